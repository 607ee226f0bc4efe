from odoo import api, fields, models


class SmsNotifyMixin(models.AbstractModel):
    """Documents with a *Notify* button (orders, repairs, appointments): whether the current
    user may press it, so that the button hides where the server would refuse."""

    _name = "sms.notify.mixin"
    _description = "Notify Button"

    sms_notify_allowed = fields.Boolean(
        compute="_compute_sms_notify_allowed",
        help="The current user may notify for this document's department.",
    )

    @api.depends_context("uid")
    def _compute_sms_notify_allowed(self):
        for record in self:
            record.sms_notify_allowed = record._sms_notify_may_notify()
