from odoo.tests import tagged

from odoo.addons.sms_notify.tests.tours import RussianTourCase


@tagged("post_install", "-at_install", "sms_notify_tour_ru")
class TestPaymentPictures(RussianTourCase):
    """The readme's picture of a requested top-up with its Pay Online button, in Russian."""

    def test_requested_topup_picture(self):
        admin = self.env.ref("base.user_admin")
        admin.lang = self.LANG
        self.env.ref("payment.payment_provider_demo").write(
            {"state": "test", "company_id": self.env.company.id}
        )
        topup = self.env["sms.notify.topup"].with_user(admin).create({"amount": 5000})
        topup.action_request()
        self.take_picture(
            f"/odoo/sms.notify.topup/{topup.id}",
            "sms_notify_payment/topup",
            ".o_form_view button[name=action_pay_online]",
        )
        self.assertEqual(self.screens, ["sms_notify_payment/topup"])
