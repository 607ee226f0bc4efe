from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    sms_notify_sale_ready = fields.Selection(
        [
            ("delivered", "Everything is delivered"),
            ("confirmed", "The order is confirmed"),
            ("invoiced", "The order is fully invoiced"),
        ],
        string="Orders Are Ready When",
        default="delivered",
        required=True,
        help="When the Notify button appears on a sale order, and so when the customer can be "
        "told that the order is ready.",
    )
