from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    sms_notify_provider_email = fields.Char(
        related="company_id.sms_notify_provider_email", readonly=False
    )
