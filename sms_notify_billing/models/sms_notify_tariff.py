from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..tools import pricing


class SmsNotifyTariff(models.Model):
    _name = "sms.notify.tariff"
    _description = "SMS Tariff"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    currency_id = fields.Many2one(
        "res.currency",
        compute="_compute_currency_id",
        store=True,
        readonly=False,
        precompute=True,
        required=True,
        # a copy for another company takes that company's currency
        copy=False,
        help="The currency of the tariff's prices and fees. A tariff applies only to an SMS "
        "balance kept in the same currency: nothing is converted.",
    )
    tariff_type = fields.Selection(
        [
            (pricing.SHARED_NAME, "Shared sender name"),
            (pricing.OWN_NAME, "Own sender name"),
            (pricing.PACKAGE, "Message package"),
        ],
        string="Type",
        required=True,
        default=pricing.SHARED_NAME,
        help="Shared sender name: every message goes out under the provider's name, at one "
        "price. Own sender name: your registered name, a monthly fee for its registration with "
        "the operators, and separate prices for service and advertising messages. Message "
        "package: you buy a number of messages in advance and each message sent takes one, "
        "whatever its length.",
    )
    package_ids = fields.One2many(
        "sms.notify.package",
        "tariff_id",
        string="Packages",
        help="The package sizes offered, with their prices: a top-up request buys one, and "
        "paying it adds its messages to the balance.",
    )
    price_per_message = fields.Monetary(
        string="Price per SMS", help="Price of each SMS part, whatever the message's kind."
    )
    price_service = fields.Monetary(
        string="Service SMS Price",
        help="Price of each SMS part of a service message (order ready, reminder, bonus "
        "points) whose template the operators registered as a service template.",
    )
    price_advertising = fields.Monetary(
        string="Advertising SMS Price",
        help="Price of each SMS part of an advertising message, and of service messages whose "
        "template is not registered with the operators.",
    )
    price_viber_service = fields.Monetary(
        string="Service Viber Price",
        help="Price of a service Viber message (order ready, reminder), charged when Viber "
        "delivers it. A Viber message is one message whatever its length.",
    )
    price_viber_advertising = fields.Monetary(
        string="Advertising Viber Price",
        help="Price of an advertising Viber message, charged when Viber delivers it.",
    )
    monthly_fee = fields.Monetary(
        help="Charged to the balance on the first day of every month for the registration of "
        "the sender name with the operators."
    )
    shared_sender = fields.Char(
        string="Provider's Sender Name",
        help="Name messages go out under on this tariff, and under an own-name tariff until "
        "the company's sender name is active. Empty: the gateway's sender name.",
    )
    description = fields.Text(translate=True)

    _sql_constraints = [
        (
            "prices_not_negative",
            "CHECK(COALESCE(price_per_message, 0) >= 0 AND COALESCE(price_service, 0) >= 0 "
            "AND COALESCE(price_advertising, 0) >= 0 AND COALESCE(monthly_fee, 0) >= 0 "
            "AND COALESCE(price_viber_service, 0) >= 0 "
            "AND COALESCE(price_viber_advertising, 0) >= 0)",
            "Prices and fees cannot be negative.",
        ),
    ]

    @api.constrains(
        "price_per_message",
        "price_service",
        "price_advertising",
        "monthly_fee",
        "price_viber_service",
        "price_viber_advertising",
    )
    def _check_prices_not_negative(self):
        for tariff in self:
            prices = (
                tariff.price_per_message,
                tariff.price_service,
                tariff.price_advertising,
                tariff.price_viber_service,
                tariff.price_viber_advertising,
                tariff.monthly_fee,
            )
            if any(price < 0 for price in prices):
                raise ValidationError(
                    self.env._(
                        "%(tariff)s: prices and the monthly fee cannot be negative.",
                        tariff=tariff.name,
                    )
                )

    @api.depends("company_id")
    def _compute_currency_id(self):
        """The currency of the company's SMS balance, else the company's."""
        balances = self.env["sms.notify.balance"]
        for tariff in self:
            if not tariff.currency_id:
                balance = balances._get_for_company(tariff.company_id, create=False)
                tariff.currency_id = balance.currency_id or tariff.company_id.currency_id

    @api.constrains("currency_id")
    def _check_balances_currency(self):
        self.env["sms.notify.balance"].sudo().search(
            [("tariff_id", "in", self.ids)]
        )._check_tariff_currency()

    def _pricing(self):
        """The tariff as the pure price calculation sees it."""
        self.ensure_one()
        return pricing.Tariff(
            tariff_type=self.tariff_type,
            price_per_message=self.price_per_message,
            price_service=self.price_service,
            price_advertising=self.price_advertising,
            price_viber_service=self.price_viber_service,
            price_viber_advertising=self.price_viber_advertising,
            monthly_fee=self.monthly_fee if self.tariff_type == pricing.OWN_NAME else 0,
        )
