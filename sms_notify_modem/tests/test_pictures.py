from odoo.tests import tagged

from odoo.addons.sms_notify.tests.tours import RussianTourCase


@tagged("post_install", "-at_install", "sms_notify_tour_ru")
class TestModemPictures(RussianTourCase):
    """The readme's picture of the GSM modem's form, in Russian."""

    def test_modem_gateway_picture(self):
        self.env.ref("base.user_admin").lang = self.LANG
        modem = self.env["sms.notify.gateway"].create(
            {"name": "GSM-модем", "gateway_type": "gsm_modem", "modem_port": "/dev/ttyUSB0"}
        )
        self.take_picture(
            f"/odoo/action-sms_notify.sms_notify_gateway_action/{modem.id}",
            "sms_notify_modem/modem_gateway",
            ".o_form_view .o_field_widget[name=modem_port]",
        )
        self.assertEqual(self.screens, ["sms_notify_modem/modem_gateway"])
