from odoo import fields, models


class SmsTemplate(models.Model):
    _inherit = "sms.template"

    operator_registered = fields.Boolean(
        string="Registered with the Operators",
        help="The operators registered this text as a service template. Under an own sender "
        "name, service messages get the service price only from registered templates; the "
        "others are charged as advertising.",
    )
