from odoo.tests import tagged

from odoo.addons.sms_notify.tests.tours import RussianTourCase


@tagged("post_install", "-at_install", "sms_notify_tour_ru")
class TestAndroidPictures(RussianTourCase):
    """The readme's picture of the phone's form with its setup steps and code, in Russian."""

    def test_phone_gateway_picture(self):
        self.env.ref("base.user_admin").lang = self.LANG
        self.env["ir.config_parameter"].sudo().set_param("web.base.url", "https://erp.optika.ru")
        phone = self.env["sms.notify.gateway"].create(
            {
                "name": "Телефон салона",
                "gateway_type": "android",
                "base_url": "http://192.168.1.20:8080",
                "login": "sms",
                "password": "phone-pass",
            }
        )
        self.take_picture(
            f"/odoo/action-sms_notify.sms_notify_gateway_action/{phone.id}",
            "sms_notify_android/phone_gateway",
            ".o_form_view .o_field_widget[name=gateway_type]",
        )
        self.assertEqual(self.screens, ["sms_notify_android/phone_gateway"])
