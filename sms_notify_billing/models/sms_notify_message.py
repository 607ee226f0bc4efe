from odoo import fields, models


class SmsNotifyMessage(models.Model):
    _inherit = "sms.notify.message"

    price = fields.Float(
        digits=(16, 2),
        readonly=True,
        help="What the SMS balance was charged for the message; a message paid from a message "
        "package took one message of it instead.",
    )
    price_currency_id = fields.Many2one(
        "res.currency",
        readonly=True,
        help="The currency of the company's SMS balance, the one the price was charged in.",
    )
    package_message = fields.Boolean(
        string="Paid from the Package",
        readonly=True,
        help="It took one message of the company's message package, whatever its SMS parts.",
    )

    def _extra_columns(self):
        columns = super()._extra_columns()
        if self.env.context.get("sms_notify_billing_uninstall"):
            return columns
        return [
            *columns,
            ("price", "sms.price", "0"),
            # the balance has a currency of its own (its tariff's), not always the company's
            (
                "price_currency_id",
                "(SELECT balance.currency_id FROM sms_notify_balance balance"
                " WHERE balance.company_id = sms.company_id LIMIT 1)",
                "NULL::integer",
            ),
            ("package_message", "COALESCE(sms.package_message, FALSE)", "FALSE"),
        ]
