from odoo import fields, models


class SmsNotifyDispatch(models.Model):
    """Messages a queue worker is handing over to a gateway at this moment.

    The worker keeps its batch locked in its own transaction, commits a dispatch on the side
    just before calling the gateway, and deletes it in its transaction together with the
    answers. A dispatch still there once its messages are no longer locked therefore means
    that the worker died between the call and the answer: the queue marks those messages
    Processing with the identifiers planned for them, and asks the gateway about them later
    instead of sending them again (see ``sms.sms._sms_notify_recover_dispatches``)."""

    _name = "sms.notify.dispatch"
    _description = "SMS being handed over to a gateway"

    gateway_id = fields.Many2one("sms.notify.gateway", required=True, ondelete="cascade")
    planned = fields.Json(
        required=True, help="[sms id, number, planned gateway reference] of each message."
    )
