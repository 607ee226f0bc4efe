from odoo import api, fields, models
from odoo.exceptions import ValidationError


class SmsNotifyOperator(models.Model):
    _name = "sms.notify.operator"
    _description = "Mobile Operator"
    _order = "sequence, id"

    name = fields.Char(required=True)
    code = fields.Char(required=True, help="Short technical name, unique within the country.")
    country_id = fields.Many2one(
        "res.country",
        help="Sender names of companies of this country are registered with the operator. "
        "Empty: offered to companies of every country.",
    )
    sequence = fields.Integer(default=10)
    active = fields.Boolean(
        default=True,
        help="Sender names submitted for registration get one registration line per active "
        "operator of their company's country.",
    )

    _sql_constraints = [
        (
            "code_country_unique",
            "UNIQUE(code, country_id)",
            "Another operator of this country already has this code.",
        ),
    ]

    @api.model
    def _domain_offered_to(self, country):
        """Operators a company of ``country`` registers sender names with: those of its country
        and those without a country (the same domain as the fields' domains in the views)."""
        return ["|", ("country_id", "=", False), ("country_id", "=", country.id)]

    def _check_offered_to(self, company):
        """Refuse operators of another country than ``company``'s: a domain in a view is no
        barrier for RPC or imports."""
        foreign = self.filtered(
            lambda operator: operator.country_id and operator.country_id != company.country_id
        )
        if foreign:
            raise ValidationError(
                self.env._(
                    "%(operators)s register sender names in %(countries)s only, and %(company)s "
                    "is in %(country)s. Choose operators of the company's country (or without "
                    "a country), or correct the company's country.",
                    operators=", ".join(foreign.mapped("name")),
                    countries=", ".join(foreign.country_id.mapped("name")),
                    company=company.name,
                    country=company.country_id.name or self.env._("no country"),
                )
            )
