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
