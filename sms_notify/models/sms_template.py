from odoo import fields, models

from ..tools import pricing


class SmsTemplate(models.Model):
    _inherit = "sms.template"

    sms_kind = fields.Selection(
        pricing.MESSAGE_KIND_SELECTION,
        string="Kind",
        required=True,
        default=pricing.SERVICE,
        help="Service: a notification the customer expects (order ready, reminder). "
        "Advertising: a promotion. Messages from this template are priced and checked for "
        "consent by their kind.",
    )
    operator_registered = fields.Boolean(
        string="Registered with the Operators",
        help="The operators registered this text as a service template. Under an own sender "
        "name, service messages get the service price only from registered templates; the "
        "others are charged as advertising.",
    )
