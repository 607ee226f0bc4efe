from odoo.tests import tagged

from odoo.addons.sms_notify.tests.tours import RussianTourCase


@tagged("post_install", "-at_install", "sms_notify_tour_ru")
class TestAccountPictures(RussianTourCase):
    """The readme's picture of the provider's bill for a top-up, in Russian."""

    def test_topup_bill_picture(self):
        admin = self.env.ref("base.user_admin")
        admin.lang = self.LANG
        # a top-up paid online gets no bill: the demo database's payment provider is off here
        if "payment.provider" in self.env:
            self.env["payment.provider"].search([]).state = "disabled"
        provider = self.env["res.partner"].create({"name": "SMS-Провайдер", "is_company": True})
        balance = self.env["sms.notify.balance"]._get_for_company(self.env.company)
        balance.provider_id = provider
        topup = self.env["sms.notify.topup"].with_user(admin).create({"amount": 5000})
        topup.action_request()
        self.assertTrue(topup.invoice_id)
        self.take_picture(
            f"/odoo/account.move/{topup.invoice_id.id}",
            "sms_notify_account/topup_bill",
            ".o_form_view .o_field_widget[name=invoice_line_ids] .o_data_row",
        )
        self.assertEqual(self.screens, ["sms_notify_account/topup_bill"])
