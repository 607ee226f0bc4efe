from odoo.tests import tagged

from odoo.addons.sms_notify.tests.tours import RussianTourCase


@tagged("post_install", "-at_install", "sms_notify_tour_ru")
class TestBillingPictures(RussianTourCase):
    """The readme's pictures of billing, in Russian: the company's SMS balance with its
    ledger, and the tariffs."""

    def test_balance_and_tariffs_pictures(self):
        balance = self.env.ref("sms_notify_billing.sms_notify_balance_main")
        self.env.ref("base.user_admin").lang = self.LANG
        self.take_picture(
            f"/odoo/sms.notify.balance/{balance.id}", "sms_notify_billing/balance", ".o_form_view"
        )
        self.take_picture(
            "/odoo/action-sms_notify_billing.sms_notify_tariff_action",
            "sms_notify_billing/tariffs",
            ".o_list_view .o_data_row",
        )
        self.assertEqual(self.screens, ["sms_notify_billing/balance", "sms_notify_billing/tariffs"])
