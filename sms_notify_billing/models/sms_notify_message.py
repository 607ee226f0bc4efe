from odoo import fields, models


class SmsNotifyMessage(models.Model):
    _inherit = "sms.notify.message"

    price = fields.Float(
        digits=(16, 2),
        readonly=True,
        help="What the SMS balance was charged for the message.",
    )

    def _extra_columns(self):
        columns = super()._extra_columns()
        if self.env.context.get("sms_notify_billing_uninstall"):
            return columns
        return [*columns, ("price", "sms.price", "0")]
