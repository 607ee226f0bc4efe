from odoo import models

#: trace statuses whose SMS did not reach the recipient: the coupon it told is archived
#: (archived codes are refused at the shop and in Sales)
NOT_RECEIVED_STATUSES = ("cancel", "error", "bounce")


class SmsTracker(models.Model):
    _inherit = "sms.tracker"

    def _update_sms_traces(self, trace_status, failure_type=False, failure_reason=False):
        """A coupon is usable while its SMS may reach the recipient: the queue cancels an
        SMS whose recipient withdrew their consent after the mailing was prepared, and a
        failed SMS is sent again with a new coupon when the mailing is retried. A coupon
        archived so comes back when a later report says its SMS arrived after all; one
        archived by hand stays archived."""
        received = trace_status not in NOT_RECEIVED_STATUSES
        with_cards = self.mailing_trace_id.filtered("loyalty_card_id")
        not_received_before = with_cards.filtered(
            lambda trace: trace.trace_status in NOT_RECEIVED_STATUSES
        )
        traces = super()._update_sms_traces(
            trace_status, failure_type=failure_type, failure_reason=failure_reason
        )
        changed = (traces & not_received_before) if received else (traces & with_cards)
        cards = changed.loyalty_card_id.sudo().filtered(lambda card: card.active != received)
        if cards:
            cards.write({"active": received})
        return traces
