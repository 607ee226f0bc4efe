from odoo import models

from ..tools import promo


class MailingSmsTest(models.TransientModel):
    _inherit = "mailing.sms.test"

    def _sms_notify_test_rendered(self):
        """A test shows the promotion's name and a code of the coupons' form; the code is a
        sample: a test makes no coupon."""
        text = super()._sms_notify_test_rendered()
        if not promo.find(text):
            return text
        return promo.fill(
            promo.mark(text),
            self.env["loyalty.card"]._generate_code(),
            self.mailing_id.loyalty_program_id.name or "",
        )
