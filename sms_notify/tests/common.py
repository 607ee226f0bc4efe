import socket
import threading
import xmlrpc.client
from contextlib import contextmanager
from datetime import timedelta
from unittest.mock import patch

from lxml import etree

from odoo.tests import TransactionCase
from odoo.tools.safe_eval import safe_eval

from odoo.addons.sms.tools.sms_api import SmsApi

from .fakes.iap import iap_accept_all, json_rpc_server  # noqa: F401  (tests import them here)
from .fakes.smsc import FakeSmsc


class SmsNotifyCommon(TransactionCase):
    """Base of the suite's tests: a customer with a mobile number and a chosen gateway.

    Every existing gateway is archived first so that a test decides alone which gateway sends
    (demo databases come with an active sandbox)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["sms.notify.gateway"].search([]).action_archive()
        # these tests are about sending, not money: with sms_notify_billing installed (its demo
        # data gives the company a tariff), nothing is charged unless a billing test says so
        if "sms.notify.balance" in cls.env:
            cls.env["sms.notify.balance"].search([]).write({"tariff_id": False})
        cls.customer = cls.env["res.partner"].create(
            {
                "name": "Anna Petrova",
                "phone": "+7 912 345-67-89",
                "country_id": cls.env.ref("base.ru").id,
            }
        )

    @classmethod
    def _create_gateway(cls, gateway_type="sandbox", **values):
        return cls.env["sms.notify.gateway"].create(
            {"name": f"Test {gateway_type}", "gateway_type": gateway_type, **values}
        )

    def _post_sms(self, record, body, numbers=None, run_queue=True):
        """Post an SMS on ``record``'s chatter, as a user pressing "Send SMS" would, then run
        the queue as the cron worker woken by the post does."""
        if numbers:
            message = record._message_sms(body, sms_numbers=numbers)
        else:
            message = record._message_sms(body, partner_ids=record.ids)
        if run_queue:
            self.env["sms.sms"]._process_queue()
        return message

    def _composer_on(self, record, **values):
        """Odoo's SMS dialog on ``record``, one customer (comment mode), as Notify and a
        chatter's *Send SMS* open it; ``values`` set its template, text, way of sending..."""
        return (
            self.env["sms.composer"]
            .with_context(default_res_model=record._name, default_res_id=record.id)
            .create(
                {
                    "composition_mode": "comment",
                    "res_model": record._name,
                    "res_id": record.id,
                    **values,
                }
            )
        )

    def _sms_of(self, message):
        return self.env["sms.sms"].search([("mail_message_id", "=", message.id)])


class SmscGatewayCommon(SmsNotifyCommon):
    """An SMSC gateway first in line, talking to a fresh local SMSC server in every test (it
    remembers what it received and its scripted failures)."""

    gateway_values = {"sequence": 1, "sender": "OPTICS", "timeout": 2}

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.gateway = cls._create_gateway(
            "smsc", login="shop", password="secret", **cls.gateway_values
        )

    def setUp(self):
        super().setUp()
        self.fake = self.enterContext(FakeSmsc(login="shop", password="secret", price=1.4))
        self.gateway.base_url = self.fake.url


class RulesCommon(SmscGatewayCommon):
    """Automatic notification rules on contacts: a template, and helpers to play the request
    that triggers a rule and the cron that sends when due."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.partner_model = cls.env.ref("base.model_res_partner")
        cls.template = cls.env["sms.template"].create(
            {
                "name": "Card ready",
                "model_id": cls.partner_model.id,
                "body": "{{ object.name }}, your loyalty card is ready.",
            }
        )

    def _rule(self, **values):
        return self.env["sms.notify.rule"].create(
            {
                "name": "Card ready",
                "model_id": self.partner_model.id,
                "sms_template_id": self.template.id,
                "condition_domain": "[('function', '=', 'Card ready')]",
                **values,
            }
        )

    def _since_before(self, rule, record):
        """Date the rule's switching-on before ``record`` was created."""
        rule.enabled_since = record.create_date - timedelta(seconds=1)

    def _commit_point(self):
        """What committing the user's request does: the rules triggered by it are scheduled."""
        self.env.flush_all()
        self.env.cr.precommit.run()

    def _scheduled(self, rule):
        return self.env["sms.notify.scheduled"].search([("rule_id", "=", rule.id)])

    def _send_due(self):
        self.env["sms.notify.scheduled"]._cron_send_due()
        self.env["sms.sms"]._process_queue()

    def _sent_texts(self):
        sent = self.env["sms.sms"].search([("state", "in", ("pending", "sent"))], order="id")
        return sent.mapped("body")


@contextmanager
def _iap_calls_allowed(env, url):
    """Point Odoo's IAP SMS client at ``url`` (always on 127.0.0.1).

    Odoo refuses every IAP call while tests run; the guard is lifted around the HTTP call
    itself only, so everything else still knows it runs in a test (and never commits)."""
    env["ir.config_parameter"].sudo().set_param("sms.endpoint", url)
    contact_iap = SmsApi._contact_iap

    def contact_iap_unguarded(api, *args, **kwargs):
        current = threading.current_thread()
        testing = getattr(current, "testing", False)
        current.testing = False
        try:
            return contact_iap(api, *args, **kwargs)
        finally:
            current.testing = testing

    with patch.object(SmsApi, "_contact_iap", contact_iap_unguarded):
        yield


@contextmanager
def iap_endpoint(env, answer):
    """Odoo's IAP SMS client talks to a local JSON-RPC server answering with ``answer``."""
    with json_rpc_server(answer) as (url, calls), _iap_calls_allowed(env, url):
        yield calls


@contextmanager
def iap_unreachable(env):
    """Odoo's IAP SMS client talks to a local port where nothing listens."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with _iap_calls_allowed(env, f"http://127.0.0.1:{port}"):
        yield


class RpcRefusals:
    """Calls over XML-RPC as a given user, and what a refusal looks like there: Odoo's
    ``/xmlrpc/2`` answers an AccessError with fault code 4 and a UserError (ValidationError
    included) with fault code 2, the message as fault string."""

    FAULT_CODES = {"AccessError": 4, "UserError": 2, "ValidationError": 2}

    def _rpc(self, user, password, model, method, args, kwargs=None):
        return self.xmlrpc_object.execute_kw(
            self.env.cr.dbname, user.id, password, model, method, args, kwargs or {}
        )

    @contextmanager
    def assertRpcRefused(self, exception_name, *texts):
        with self.assertRaises(xmlrpc.client.Fault) as caught:
            yield caught
        fault = caught.exception
        self.assertEqual(
            fault.faultCode, self.FAULT_CODES[exception_name], f"not a {exception_name}: {fault}"
        )
        for text in texts:
            self.assertIn(text, fault.faultString)


class ReadyFilterCase(TransactionCase):
    """The "Ready to Notify" search filter of a document addon, applied as its user applies
    it: the filter's domain from the search view the user gets."""

    def _ready_filter_results(self, user, view_xmlid, records):
        """Which of ``records`` the "Ready to Notify" filter of ``view_xmlid`` lists for
        ``user``, or None when the filter is not in the user's view."""
        model = self.env[records._name].with_user(user)
        arch = model.get_view(self.env.ref(view_xmlid).id, "search")["arch"]
        filters = etree.fromstring(arch).xpath("//filter[@name='sms_notify_ready_to_notify']")
        if not filters:
            return None
        domain = safe_eval(filters[0].get("domain"), {"uid": user.id})
        return model.search([*domain, ("id", "in", records.ids)])

    def _button_shown(self, user, records):
        """Which of ``records`` show the Notify button to ``user`` (the form's condition)."""
        raise NotImplementedError

    def assertFilterListsTheButtons(self, user, view_xmlid, records, expected):
        listed = self._ready_filter_results(user, view_xmlid, records)
        shown = self._button_shown(user, records.with_user(user))
        self.assertEqual(shown, expected.with_user(user), "the test's own expectation")
        self.assertEqual(listed, shown)
