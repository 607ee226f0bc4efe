from odoo.exceptions import ValidationError
from odoo.tests import new_test_user, tagged

from odoo.addons.sms_notify.tests.common import SmsNotifyCommon


@tagged("post_install", "-at_install")
class TestDeviceCredentials(SmsNotifyCommon):
    """The SIM PIN never follows a modem an SMS administrator who is not a Settings
    administrator points elsewhere."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.sms_admin = new_test_user(
            cls.env, login="modem_sms_admin", groups="sms_notify.group_sms_notify_manager"
        )
        cls.modem_gateway = cls._create_gateway(
            "gsm_modem", modem_port="socket://127.0.0.1:7000", modem_pin="1234"
        )

    def test_sms_admin_moving_the_modem_clears_the_pin(self):
        self.modem_gateway.with_user(self.sms_admin).modem_port = "socket://203.0.113.5:7000"
        self.assertFalse(self.modem_gateway.modem_pin)

    def test_sms_admin_other_changes_keep_them(self):
        self.modem_gateway.with_user(self.sms_admin).write(
            {"modem_baudrate": 9600, "modem_port": "socket://127.0.0.1:7000", "daily_limit": 50}
        )
        self.assertEqual(self.modem_gateway.modem_pin, "1234")

    def test_settings_admin_keeps_them(self):
        self.modem_gateway.modem_port = "socket://127.0.0.1:7001"
        self.assertEqual(self.modem_gateway.modem_pin, "1234")

    def test_device_numbers_out_of_range_are_refused(self):
        for values in ({"daily_limit": -1}, {"modem_baudrate": -9600}):
            with self.subTest(values=values), self.assertRaises(ValidationError):
                self.modem_gateway.with_user(self.sms_admin).write(values)
        self.modem_gateway.with_user(self.sms_admin).write(
            {"daily_limit": 0, "modem_baudrate": 9600}
        )
        self.assertRecordValues(self.modem_gateway, [{"daily_limit": 0, "modem_baudrate": 9600}])
