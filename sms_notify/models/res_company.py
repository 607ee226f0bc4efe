from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    sms_notify_quiet_start = fields.Float(
        string="Quiet Hours From",
        default=21.0,
        help="From this hour of the customer's clock, automatic messages wait for the morning.",
    )
    sms_notify_quiet_end = fields.Float(
        string="Quiet Hours Until",
        default=9.0,
        help="The hour of the customer's clock when waiting automatic messages go.",
    )
    sms_notify_quiet_advertising = fields.Boolean(
        string="Quiet Hours for Promotions",
        default=True,
        help="Automatic advertising messages wait for the end of the quiet hours.",
    )
    sms_notify_quiet_service = fields.Boolean(
        string="Quiet Hours for Notifications",
        help="Automatic service messages (order ready, reminders) wait for the end of the "
        "quiet hours too.",
    )
