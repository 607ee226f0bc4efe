from odoo import fields, models


class SmsSms(models.Model):
    _inherit = "sms.sms"

    # a mailing's results are read from its SMS: without an index each mailing form would read
    # the whole SMS history
    mailing_id = fields.Many2one(index="btree_not_null")

    def _sms_notify_fallback_values(self):
        # the SMS after a mailing's Viber message is the mailing's too (its results, its cost)
        return dict(super()._sms_notify_fallback_values(), mailing_id=self.mailing_id.id)
