from odoo import fields, models
from odoo.exceptions import ValidationError

from .sms_sms_checks import DEFAULT_MAX_SEGMENTS, MAX_SEGMENTS_PARAM
from .sms_sms_reports import DEFAULT_RETENTION_DAYS, RETENTION_PARAM


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

    group_sms_notify_send_card = fields.Boolean(
        string="Send messages from the customer card",
        implied_group="sms_notify.group_sms_notify_send_card",
        group="sales_team.group_sale_salesman",
        help="Every salesperson may send a customer a message of their choice from the card.",
    )
    group_sms_notify_send_ready = fields.Boolean(
        string="Send order-ready notifications",
        implied_group="sms_notify.group_sms_notify_send_ready",
        group="sales_team.group_sale_salesman",
        help="Every salesperson may notify customers from their orders, repairs and "
        "appointments, for their own department.",
    )
    group_sms_notify_other_departments = fields.Boolean(
        string="Notify for other departments",
        implied_group="sms_notify.group_sms_notify_other_departments",
        group="sales_team.group_sale_salesman",
        help="Every salesperson may also notify about documents of other departments (sales "
        "teams).",
    )

    def set_values(self):
        # config parameters have no constraint of their own: checked before any is stored
        for settings in self:
            if settings.sms_notify_retention_days < 0:
                raise ValidationError(
                    self.env._(
                        "Keep sent SMS: the number of days cannot be negative (0 keeps them "
                        "forever)."
                    )
                )
            if settings.sms_notify_max_segments < 0:
                raise ValidationError(
                    self.env._("Longest SMS: the number of parts cannot be negative (0: no limit).")
                )
        return super().set_values()

    sms_notify_quiet_start = fields.Float(
        related="company_id.sms_notify_quiet_start", readonly=False
    )
    sms_notify_quiet_end = fields.Float(related="company_id.sms_notify_quiet_end", readonly=False)
    sms_notify_quiet_advertising = fields.Boolean(
        related="company_id.sms_notify_quiet_advertising", readonly=False
    )
    sms_notify_quiet_service = fields.Boolean(
        related="company_id.sms_notify_quiet_service", readonly=False
    )
