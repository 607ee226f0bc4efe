import xmlrpc.client

from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

from .common import RpcRefusals, SmsNotifyCommon
from .fakes.smsc import FakeSmsc


class AdminAccessCommon(RpcRefusals, SmsNotifyCommon, HttpCase):
    """An SMS Notify Administrator who is not a Settings administrator, and one who is."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.sms_admin = new_test_user(
            cls.env,
            login="sms_admin",
            password="sms_admin_pw",
            groups="sms_notify.group_sms_notify_manager",
        )
        cls.settings_admin = new_test_user(
            cls.env,
            login="settings_admin",
            password="settings_admin_pw",
            groups="base.group_system",
        )
        cls.passwords = {cls.sms_admin: "sms_admin_pw", cls.settings_admin: "settings_admin_pw"}

    def _as(self, user, model, method, args, kwargs=None):
        return self._rpc(user, self.passwords[user], model, method, args, kwargs)

    def _refused(self, record, values, *texts):
        """Writing ``values`` as the SMS administrator is refused with ``texts`` and changes
        nothing."""
        before = record.read(list(values))[0]
        with self.subTest(model=record._name, values=values):
            with self.assertRpcRefused("ValidationError", *texts):
                self._as(self.sms_admin, record._name, "write", [[record.id], values])
            self.env.invalidate_all()
            self.assertEqual(record.read(list(values))[0], before)


@tagged("post_install", "-at_install")
class TestGatewayCredentials(AdminAccessCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.gateway = cls._create_gateway("smsc", login="shop", password="secret", timeout=2)

    def setUp(self):
        super().setUp()
        self.vendor = self.enterContext(FakeSmsc(login="shop", password="secret"))
        # another server, somewhere else, recording what it is sent
        self.elsewhere = self.enterContext(FakeSmsc(login="thief", password="stolen"))
        self.gateway.base_url = self.vendor.url
        self.webhook_secret = self.gateway.webhook_secret

    def _received_text(self, fake):
        return "\n".join(
            f"{request.path} {request.query} {request.headers} {request.body!r}"
            for request in fake.requests
        )

    def _test_connection(self, user):
        try:
            return self._as(
                user, "sms.notify.gateway", "action_test_connection", [[self.gateway.id]]
            )
        except xmlrpc.client.Fault as fault:
            self.assertEqual(fault.faultCode, self.FAULT_CODES["UserError"], fault.faultString)
            return fault

    @mute_logger("odoo.http")
    def test_sms_admin_moving_a_gateway_does_not_take_its_credentials_along(self):
        self._as(
            self.sms_admin,
            "sms.notify.gateway",
            "write",
            [[self.gateway.id], {"base_url": self.elsewhere.url}],
        )
        self._test_connection(self.sms_admin)
        received = self._received_text(self.elsewhere)
        self.assertNotIn("secret", received)
        self.assertNotIn("shop", received)
        self.assertNotIn(self.webhook_secret, received)
        self.env.invalidate_all()
        self.assertRecordValues(
            self.gateway,
            [{"base_url": self.elsewhere.url, "login": False, "password": False, "api_key": False}],
        )
        # delivery reports of the old address are no longer accepted either
        self.assertTrue(self.gateway.webhook_secret)
        self.assertNotEqual(self.gateway.webhook_secret, self.webhook_secret)

    def test_sms_admin_changing_the_type_clears_the_credentials(self):
        self._as(
            self.sms_admin,
            "sms.notify.gateway",
            "write",
            [[self.gateway.id], {"gateway_type": "serwersms"}],
        )
        self.env.invalidate_all()
        self.assertRecordValues(self.gateway, [{"login": False, "password": False}])

    def test_sms_admin_editing_anything_else_keeps_the_credentials(self):
        self._as(
            self.sms_admin,
            "sms.notify.gateway",
            "write",
            [[self.gateway.id], {"name": "SMSC main", "timeout": 5, "base_url": self.vendor.url}],
        )
        self.env.invalidate_all()
        self.assertRecordValues(self.gateway, [{"login": "shop", "password": "secret"}])
        self.assertEqual(self.gateway.webhook_secret, self.webhook_secret)
        self._test_connection(self.sms_admin)
        self.assertIn("secret", self._received_text(self.vendor))

    @mute_logger("odoo.http")
    def test_vonage_signature_secret_is_a_credential_an_sms_admin_cannot_read_or_move(self):
        vonage = self._create_gateway(
            "vonage", api_key="key", password="secret", signature_secret="sig-secret"
        )
        with self.assertRaises(xmlrpc.client.Fault) as refusal:
            self._as(
                self.sms_admin, "sms.notify.gateway", "read", [[vonage.id], ["signature_secret"]]
            )
        self.assertEqual(refusal.exception.faultCode, self.FAULT_CODES["AccessError"])
        self._as(
            self.sms_admin,
            "sms.notify.gateway",
            "write",
            [[vonage.id], {"base_url": "https://elsewhere.example"}],
        )
        self.env.invalidate_all()
        self.assertRecordValues(
            vonage, [{"signature_secret": False, "api_key": False, "password": False}]
        )

    @mute_logger("odoo.http")
    def test_sms_admin_cannot_copy_the_credentials_elsewhere(self):
        # a copy would read the credentials, which only Settings administrators may
        with self.assertRpcRefused("AccessError", "login"):
            self._as(
                self.sms_admin,
                "sms.notify.gateway",
                "copy",
                [[self.gateway.id]],
                {"default": {"base_url": self.elsewhere.url}},
            )

    def test_settings_admin_moving_a_gateway_keeps_its_credentials(self):
        moved = self.enterContext(FakeSmsc(login="shop", password="secret"))
        self._as(
            self.settings_admin,
            "sms.notify.gateway",
            "write",
            [[self.gateway.id], {"base_url": moved.url}],
        )
        answer = self._test_connection(self.settings_admin)
        self.assertIsInstance(answer, dict, "the connection test should work")
        self.env.invalidate_all()
        self.assertRecordValues(self.gateway, [{"login": "shop", "password": "secret"}])
        self.assertIn("secret", self._received_text(moved))


@tagged("post_install", "-at_install")
class TestNumbersInRange(AdminAccessCommon):
    """Numbers that make no sense (negative limits, hours outside the day) are refused with
    the range that is allowed, whoever enters them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.gateway = cls._create_gateway("sandbox")
        cls.template = cls.env["sms.template"].create(
            {
                "name": "Ready",
                "model_id": cls.env.ref("base.model_res_partner").id,
                "body": "Ready",
            }
        )
        cls.rule = cls.env["sms.notify.rule"].create(
            {
                "name": "Ready",
                "model_id": cls.env.ref("base.model_res_partner").id,
                "sms_template_id": cls.template.id,
            }
        )

    @mute_logger("odoo.http")
    def test_gateway_and_rule_numbers(self):
        self._refused(self.gateway, {"timeout": 0}, "at least one second")
        self._refused(self.gateway, {"timeout": -5}, "at least one second")
        self._refused(self.gateway, {"sandbox_delivery_delay": -1}, "cannot be negative")
        self._refused(self.rule, {"validity_minutes": -60}, "cannot be negative")
        self._refused(self.rule, {"delay_minutes": -1}, "cannot be negative")
        # sensible numbers still go
        self._as(
            self.sms_admin, "sms.notify.gateway", "write", [[self.gateway.id], {"timeout": 30}]
        )
        self._as(
            self.sms_admin, "sms.notify.rule", "write", [[self.rule.id], {"validity_minutes": 0}]
        )
        self.assertEqual(self.gateway.timeout, 30)

    def _apply_settings(self, values):
        settings_id = self._as(self.settings_admin, "res.config.settings", "create", [values])
        self._as(self.settings_admin, "res.config.settings", "execute", [[settings_id]])

    def _stored_settings(self):
        self.env.invalidate_all()
        params = self.env["ir.config_parameter"].sudo()
        company = self.env.company
        return (
            params.get_param("sms_notify.retention_days"),
            params.get_param("sms_notify.max_segments"),
            company.sms_notify_quiet_start,
            company.sms_notify_quiet_end,
        )

    @mute_logger("odoo.http")
    def test_settings_out_of_range_are_refused(self):
        before = self._stored_settings()
        cases = [
            ({"sms_notify_retention_days": -1}, "0 keeps them forever"),
            ({"sms_notify_max_segments": -2}, "0: no limit"),
            ({"sms_notify_quiet_start": 25.0}, "from 0:00 to 24:00"),
            ({"sms_notify_quiet_end": -1.0}, "from 0:00 to 24:00"),
        ]
        for values, text in cases:
            with self.subTest(values=values), self.assertRpcRefused("ValidationError", text):
                self._apply_settings(values)
        self.assertEqual(self._stored_settings(), before)
        self._apply_settings(
            {
                "sms_notify_retention_days": 30,
                "sms_notify_max_segments": 6,
                "sms_notify_quiet_start": 22.0,
                "sms_notify_quiet_end": 8.0,
            }
        )
        self.assertEqual(self._stored_settings(), ("30", "6", 22.0, 8.0))
