from odoo import fields, models

from .sms_sms import DEFAULT_RETENTION_DAYS, RETENTION_PARAM


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    sms_notify_retention_days = fields.Integer(
        string="Keep sent SMS for (days)",
        config_parameter=RETENTION_PARAM,
        default=DEFAULT_RETENTION_DAYS,
        help="Sent, failed and cancelled SMS older than this are deleted by the daily clean-up. "
        "0 keeps them forever.",
    )
