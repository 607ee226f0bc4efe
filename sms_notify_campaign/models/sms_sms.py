from odoo import fields, models


class SmsSms(models.Model):
    _inherit = "sms.sms"

    # a mailing's results are read from its SMS: without an index each mailing form would read
    # the whole SMS history
    mailing_id = fields.Many2one(index="btree_not_null")

    def _sms_notify_fallback_values(self):
        # the SMS after a mailing's Viber message is the mailing's too (its results, its cost)
        return dict(super()._sms_notify_fallback_values(), mailing_id=self.mailing_id.id)

    def _sms_notify_hand_trackers_over(self, fallbacks):
        """The mailing's trace follows the SMS too: its statistics and its link to the SMS
        (the tracker, moved by the core, carries its status)."""
        result = super()._sms_notify_hand_trackers_over(fallbacks)
        by_id = dict(zip(self.ids, fallbacks.ids, strict=True))
        traces = self.env["mailing.trace"].sudo().search([("sms_id_int", "in", list(by_id))])
        for trace in traces:
            trace.sms_id_int = by_id[trace.sms_id_int]
        return result
