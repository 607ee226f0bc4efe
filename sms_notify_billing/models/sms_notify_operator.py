from odoo import fields, models


class SmsNotifyOperator(models.Model):
    _name = "sms.notify.operator"
    _description = "Mobile Operator"
    _order = "sequence, id"

    name = fields.Char(required=True)
    code = fields.Char(required=True, help="Short technical name, unique within the country.")
    country_id = fields.Many2one("res.country")
    sequence = fields.Integer(default=10)
    active = fields.Boolean(
        default=True,
        help="Sender names submitted for registration get one registration line per active "
        "operator.",
    )

    _sql_constraints = [
        (
            "code_country_unique",
            "UNIQUE(code, country_id)",
            "Another operator of this country already has this code.",
        ),
    ]
