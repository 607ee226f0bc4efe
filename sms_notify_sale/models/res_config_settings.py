from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    sms_notify_sale_ready = fields.Selection(
        related="company_id.sms_notify_sale_ready", readonly=False
    )
