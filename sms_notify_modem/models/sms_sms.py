from odoo import fields, models


class SmsSms(models.Model):
    _inherit = "sms.sms"

    modem_delivered_parts = fields.Char(
        readonly=True,
        copy=False,
        help="References of the parts a modem's network reported delivered; the message is "
        "delivered when all its parts are.",
    )
