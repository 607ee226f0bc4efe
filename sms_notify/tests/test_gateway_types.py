"""The gateway form, the model and the webhook route ask the gateway's type.

A type added by another addon declares its fields, its help and how its webhooks authenticate
on its ``GatewayClient`` class; nothing in the core names it."""

import hashlib
import hmac
import json
import re
from urllib.parse import urlsplit

from lxml import etree

from odoo.tests import Form, HttpCase, tagged

from ..tools.gateway import (
    GATEWAY_TYPES,
    WEBHOOK_SIGNATURE,
    DeliveryReport,
    GatewayClient,
    ReportRejected,
    register_gateway,
)
from .common import SmsNotifyCommon

FORM_ONLY_HELP = "A gateway type of the tests: it needs a login and may have a sender."


class _FormOnlyType(GatewayClient):
    form_fields = {"login": True, "sender": False}
    form_help = FORM_ONLY_HELP


class _SignedType(GatewayClient):
    """Signs each webhook call: ``X-Test-Signature`` is the hex HMAC-SHA256 of the body under
    the gateway's password; the body names a message and its new state."""

    supports_webhook = True
    webhook_auth = WEBHOOK_SIGNATURE
    config_fields = {"signing_key": "password"}

    def verify_signature(self, method, url, headers, params, body):
        key = (self.config.get("signing_key") or "").encode()
        expected = hmac.new(key, body, hashlib.sha256).hexdigest()
        if not key or not hmac.compare_digest(headers.get("x-test-signature", ""), expected):
            raise ReportRejected("the call is not signed by the gateway's key")

    def parse_report(self, method, url, headers, params, body=b""):
        data = json.loads(body)
        return [DeliveryReport(gateway_reference=data["id"], state=data["state"])]


def _register(test_class, code, client_class):
    register_gateway(code)(client_class)
    test_class.addClassCleanup(GATEWAY_TYPES.pop, code, None)


def _set_type(gateway, code):
    """Give ``gateway`` a type that only the tests register (the selection does not list it)."""
    gateway.env.cr.execute(
        "UPDATE sms_notify_gateway SET gateway_type = %s WHERE id = %s", [code, gateway.id]
    )
    gateway.invalidate_recordset()


@tagged("post_install", "-at_install")
class TestGatewayTypeForm(SmsNotifyCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        _register(cls, "test_form_only", _FormOnlyType)

    def test_a_type_declares_its_fields_and_help(self):
        gateway = self._create_gateway("sandbox")
        _set_type(gateway, "test_form_only")
        # the name and the type are on every form; the connection group holds its fields
        self.assertEqual(
            gateway.type_fields, ["name", "gateway_type", "login", "sender", "credentials"]
        )
        self.assertEqual(gateway.type_required_fields, ["name", "gateway_type", "login"])
        self.assertEqual(gateway.type_help, FORM_ONLY_HELP)
        self.assertFalse(gateway.is_device)
        self.assertFalse(gateway.can_test_connection)

    def test_the_form_shows_exactly_the_fields_of_the_type(self):
        gateway = self._create_gateway("sandbox")
        _set_type(gateway, "test_form_only")
        form = Form(gateway.with_user(self.env.ref("base.user_admin")))
        self.assertFalse(form._get_modifier("login", "invisible"))
        self.assertTrue(form._get_modifier("login", "required"))
        self.assertFalse(form._get_modifier("sender", "invisible"))
        self.assertFalse(form._get_modifier("sender", "required"))
        for hidden in ("password", "api_key", "account_sid", "base_url", "timeout"):
            self.assertTrue(form._get_modifier(hidden, "invisible"), hidden)

    def test_the_form_follows_the_chosen_type(self):
        form = Form(self.env["sms.notify.gateway"].with_user(self.env.ref("base.user_admin")))
        form.name = "Twilio"
        form.gateway_type = "twilio"
        for shown in ("account_sid", "password", "base_url", "sender"):
            self.assertFalse(form._get_modifier(shown, "invisible"), shown)
        self.assertTrue(form._get_modifier("account_sid", "required"))
        for hidden in ("login", "api_key", "sandbox_delivery_delay"):
            self.assertTrue(form._get_modifier(hidden, "invisible"), hidden)
        form.gateway_type = "sandbox"
        self.assertFalse(form._get_modifier("sandbox_delivery_delay", "invisible"))
        self.assertTrue(form._get_modifier("account_sid", "invisible"))
        self.assertFalse(form._get_modifier("account_sid", "required"))
        self.assertIn("Sandbox", form.type_help)

    def test_no_view_names_a_gateway_type(self):
        """Addons add types without patching the form's conditions: a condition may ask
        whether a type is chosen, never which one."""
        arch = self.env["sms.notify.gateway"].get_views([(False, "form")])["views"]["form"]["arch"]
        names_a_type = re.compile(r"gateway_type\s*(==|!=|in\b|not\s+in\b)|in\s+gateway_type")
        for node in etree.fromstring(arch).iter():
            for attribute in ("invisible", "required", "readonly", "column_invisible"):
                self.assertFalse(
                    names_a_type.search(node.get(attribute) or ""), etree.tostring(node)
                )

    def test_the_help_is_shown_in_the_user_language(self):
        self.env["res.lang"]._activate_lang("ru_RU")
        self.env["res.lang"]._activate_lang("pl_PL")
        gateway = self._create_gateway("sandbox")
        self.assertTrue(gateway.with_context(lang="ru_RU").type_help.startswith("Песочница"))
        self.assertTrue(gateway.with_context(lang="pl_PL").type_help.startswith("Piaskownica"))
        self.assertTrue(gateway.with_context(lang="en_US").type_help.startswith("Sandbox"))


@tagged("post_install", "-at_install")
class TestSignedWebhook(SmsNotifyCommon, HttpCase):
    """A type whose vendor signs its calls: the route refuses what is not signed."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        _register(cls, "test_signed", _SignedType)

    def setUp(self):
        super().setUp()
        self.gateway = self._create_gateway("sandbox")
        _set_type(self.gateway, "test_signed")
        self.gateway.sudo().password = "signing-key"
        self.sms = (
            self.env["sms.sms"]
            .sudo()
            .create(
                {
                    "number": "+79123456789",
                    "body": "Your glasses are ready",
                    "state": "pending",
                    "gateway_id": self.gateway.id,
                    "gateway_reference": "ext-1",
                }
            )
        )

    def _call(self, headers=None):
        body = json.dumps({"id": "ext-1", "state": "sent"}).encode()
        return self.url_open(
            urlsplit(self.gateway.webhook_url).path,
            data=body,
            headers={"Content-Type": "application/json", **(headers or {})},
        ), body

    def test_unsigned_and_forged_calls_are_refused_and_change_nothing(self):
        response, _body = self._call()
        self.assertEqual(response.status_code, 403)
        forged = hmac.new(b"guess", b"{}", hashlib.sha256).hexdigest()
        response, _body = self._call({"X-Test-Signature": forged})
        self.assertEqual(response.status_code, 403)
        self.sms.invalidate_recordset()
        self.assertEqual(self.sms.state, "pending")

    def test_a_signed_call_is_applied(self):
        body = json.dumps({"id": "ext-1", "state": "sent"}).encode()
        signature = hmac.new(b"signing-key", body, hashlib.sha256).hexdigest()
        response, _body = self._call({"X-Test-Signature": signature})
        self.assertEqual(response.status_code, 200)
        self.sms.invalidate_recordset()
        self.assertEqual(self.sms.state, "sent")

    def test_a_wrong_secret_in_the_address_is_not_found(self):
        response = self.url_open(f"/sms_notify/report/{self.gateway.id}/not-the-secret", data=b"{}")
        self.assertEqual(response.status_code, 404)
