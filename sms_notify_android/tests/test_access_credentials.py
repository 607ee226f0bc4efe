from odoo.exceptions import ValidationError
from odoo.tests import new_test_user, tagged

from odoo.addons.sms_notify.tests.common import SmsNotifyCommon


@tagged("post_install", "-at_install")
class TestPhoneCredentials(SmsNotifyCommon):
    """The phone's credentials never follow a gateway an SMS administrator who is not a
    Settings administrator points elsewhere."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.sms_admin = new_test_user(
            cls.env, login="android_sms_admin", groups="sms_notify.group_sms_notify_manager"
        )
        cls.phone = cls._create_gateway(
            "android",
            base_url="http://192.168.1.20:8080",
            login="sms",
            password="phone-password",
            android_signing_key="signing-key",
        )

    def test_sms_admin_moving_the_phone_clears_its_credentials(self):
        self.phone.with_user(self.sms_admin).base_url = "http://203.0.113.5:8080"
        self.assertRecordValues(
            self.phone, [{"login": False, "password": False, "android_signing_key": False}]
        )

    def test_sms_admin_other_changes_keep_them(self):
        self.phone.with_user(self.sms_admin).daily_limit = 50
        self.assertEqual(self.phone.android_signing_key, "signing-key")

    def test_settings_admin_keeps_them(self):
        self.phone.base_url = "http://192.168.1.21:8080"
        self.assertRecordValues(
            self.phone, [{"login": "sms", "android_signing_key": "signing-key"}]
        )

    def test_device_numbers_out_of_range_are_refused(self):
        for values in ({"daily_limit": -1}, {"android_sim_number": -1}):
            with self.subTest(values=values), self.assertRaises(ValidationError):
                self.phone.with_user(self.sms_admin).write(values)
        self.phone.with_user(self.sms_admin).write({"daily_limit": 0, "android_sim_number": 2})
        self.assertRecordValues(self.phone, [{"daily_limit": 0, "android_sim_number": 2}])
