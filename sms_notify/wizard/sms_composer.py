from odoo import models
from odoo.exceptions import UserError

from ..tools import gsm


class SmsComposer(models.TransientModel):
    _inherit = "sms.composer"

    def _action_send_sms(self):
        self._check_segment_limit()
        return super()._action_send_sms()

    def _check_segment_limit(self):
        """Refuse a text over the segment limit while the user can still shorten it.

        Each recipient's text is checked as it will be sent (placeholders rendered), so a
        long customer name cannot slip a message over the limit."""
        limit = self.env["sms.sms"]._sms_notify_max_segments()
        if not limit:
            return
        bodies = [self.body or ""]
        if self.composition_mode == "comment":
            # a mass mailing would render every body twice; its messages are checked when
            # they are sent instead
            records = self._get_records()
            if records:
                bodies = list(self._prepare_body_values(records).values())
        longest = max((gsm.analyze(body) for body in bodies), key=lambda a: a.segments)
        if longest.segments > limit:
            raise UserError(
                self.env._(
                    "This text needs %(segments)s SMS (%(units)s characters in %(encoding)s), "
                    "more than the limit of %(limit)s. Shorten it, or raise the limit in "
                    "Settings › SMS Notify.",
                    segments=longest.segments,
                    units=longest.units,
                    encoding="GSM-7" if longest.is_gsm7 else "Unicode",
                    limit=limit,
                )
            )
