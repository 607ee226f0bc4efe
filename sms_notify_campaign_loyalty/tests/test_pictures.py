from odoo.tests import tagged

from odoo.addons.sms_notify.tests.tours import RussianTourCase
from odoo.addons.sms_notify_campaign.tests.common import create_sms_mailing

from .common import PromoMixin


@tagged("post_install", "-at_install", "sms_notify_tour_ru")
class TestPromoPictures(PromoMixin, RussianTourCase):
    """The readme's picture of an SMS mailing giving each recipient a promo code, in
    Russian."""

    def test_mailing_with_promo_codes_picture(self):
        self.env.ref("base.user_admin").lang = self.LANG
        customers = self.env["res.partner"].create(
            [
                {"name": "Анна Кузнецова", "mobile": "+7 912 300-00-01", "lang": self.LANG},
                {"name": "Борис Орлов", "mobile": "+7 912 300-00-02", "lang": self.LANG},
            ]
        )
        customers.sms_notify_ad_consent = True
        self.program.name = "Весенние купоны"
        mailing = create_sms_mailing(
            self.env,
            customers,
            subject="Весенняя акция",
            sms_subject="Весенняя акция",
            body_plaintext=":FirstName:, скидка 10% на все оправы по коду :PromoCode:",
            loyalty_program_id=self.program.id,
        )
        self.take_picture(
            f"/odoo/action-mass_mailing_sms.mailing_mailing_action_sms/{mailing.id}",
            "sms_notify_campaign_loyalty/mailing_with_promo_codes",
            ".o_form_view .o_field_widget[name=loyalty_program_id]",
        )
        self.assertEqual(self.screens, ["sms_notify_campaign_loyalty/mailing_with_promo_codes"])
