from odoo import api, fields, models

from ..tools import pricing


class SmsNotifyPackage(models.Model):
    """A size of message package a package tariff offers, at its price: what a top-up request
    buys, and how many messages paying it adds to the package."""

    _name = "sms.notify.package"
    _description = "Message Package Offer"
    _order = "tariff_id, sequence, messages, id"

    tariff_id = fields.Many2one(
        "sms.notify.tariff",
        required=True,
        index=True,
        ondelete="cascade",
        domain="[('tariff_type', '=', 'package')]",
    )
    sequence = fields.Integer(default=10)
    company_id = fields.Many2one(related="tariff_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="tariff_id.currency_id")
    messages = fields.Integer(
        required=True,
        help="Messages the package adds once paid: each message sent takes one, whatever its "
        "number of SMS parts.",
    )
    price = fields.Monetary(required=True, help="What the provider invoices for the package.")

    _sql_constraints = [
        ("messages_positive", "CHECK(messages > 0)", "A package holds at least one message."),
        ("price_not_negative", "CHECK(price >= 0)", "The price of a package cannot be negative."),
    ]

    @api.depends("messages", "price", "currency_id")
    def _compute_display_name(self):
        for package in self:
            package.display_name = self.env._(
                "%(messages)s messages, %(price)s %(currency)s",
                messages=pricing.count_text(package.messages),
                price=pricing.amount_text(package.price),
                currency=package.currency_id.name or "",
            )
