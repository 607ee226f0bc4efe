from datetime import date

from odoo.tests import tagged

from odoo.addons.sms_notify.tests.tours import RussianTourCase


@tagged("post_install", "-at_install", "sms_notify_tour_ru")
class TestLoyaltyPictures(RussianTourCase):
    """The readme's picture of a loyalty card with its points, their expiry and its Notify
    button, in Russian."""

    def test_loyalty_card_picture(self):
        customer = self.env["res.partner"].create(
            {"name": "Ирина Смирнова", "mobile": "+7 912 345-67-89", "lang": self.LANG}
        )
        program = self.env["loyalty.program"].create(
            {"name": "Бонусный клуб", "program_type": "loyalty", "portal_point_name": "баллов"}
        )
        card = (
            self.env["loyalty.card"]
            .with_context(loyalty_no_mail=True)
            .create(
                {
                    "program_id": program.id,
                    "partner_id": customer.id,
                    "points": 400,
                    "expiration_date": date(2027, 3, 31),
                }
            )
        )
        self.env["loyalty.history"].create(
            {"card_id": card.id, "description": "Заказ S00012", "issued": 400}
        )
        self.env.ref("base.user_admin").lang = self.LANG
        self.take_picture(
            f"/odoo/loyalty.card/{card.id}", "sms_notify_loyalty/loyalty_card", ".o_form_view"
        )
        self.assertEqual(self.screens, ["sms_notify_loyalty/loyalty_card"])
