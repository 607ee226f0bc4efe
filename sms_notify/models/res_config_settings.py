from odoo import fields, models

from .sms_sms import (
    DEFAULT_MAX_SEGMENTS,
    DEFAULT_RETENTION_DAYS,
    MAX_SEGMENTS_PARAM,
    RETENTION_PARAM,
)


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    sms_notify_retention_days = fields.Integer(
        string="Keep sent SMS for (days)",
        config_parameter=RETENTION_PARAM,
        default=DEFAULT_RETENTION_DAYS,
        help="Sent, failed and cancelled SMS older than this are deleted by the daily clean-up. "
        "0 keeps them forever.",
    )
    sms_notify_max_segments = fields.Integer(
        string="Longest SMS (parts)",
        config_parameter=MAX_SEGMENTS_PARAM,
        default=DEFAULT_MAX_SEGMENTS,
        help="A text needing more SMS than this is refused when composed and never reaches a "
        "gateway. 0 removes the limit.",
    )
