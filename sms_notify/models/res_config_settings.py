from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .sms_sms_checks import DEFAULT_MAX_SEGMENTS, MAX_SEGMENTS_PARAM
from .sms_sms_reports import DEFAULT_RETENTION_DAYS, RETENTION_PARAM


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    sms_notify_retention_days = fields.Integer(
        string="Keep Sent SMS For",
        config_parameter=RETENTION_PARAM,
        default=DEFAULT_RETENTION_DAYS,
        help="How many days sent, failed and cancelled SMS stay in the history before the "
        "daily clean-up deletes them. 0 keeps them forever.",
    )
    sms_notify_max_segments = fields.Integer(
        string="Longest SMS",
        config_parameter=MAX_SEGMENTS_PARAM,
        default=DEFAULT_MAX_SEGMENTS,
        help="How many SMS one text may take at most. A longer text is refused while it is "
        "written and is never sent. 0 means no limit.",
    )
    sms_notify_gateway_ids = fields.Many2many(
        "sms.notify.gateway",
        string="Active Gateways",
        compute="_compute_sms_notify_gateway_ids",
        help="The company's active gateways, in the order they are tried.",
    )

    @api.depends("company_id")
    def _compute_sms_notify_gateway_ids(self):
        gateways = self.env["sms.notify.gateway"]
        for settings in self:
            settings.sms_notify_gateway_ids = gateways._get_candidates(settings.company_id)

    group_sms_notify_send_card = fields.Boolean(
        string="Send messages from the customer card",
        implied_group="sms_notify.group_sms_notify_send_card",
        group="sales_team.group_sale_salesman",
        help="Every salesperson can write to a customer from the customer's contact card, with "
        "its Notify button.",
    )
    group_sms_notify_send_ready = fields.Boolean(
        string="Send order-ready notifications",
        implied_group="sms_notify.group_sms_notify_send_ready",
        group="sales_team.group_sale_salesman",
        help="Every salesperson can tell customers that their order, repair or appointment is "
        "ready, with the Notify button, for the department (sales team) they belong to.",
    )
    group_sms_notify_other_departments = fields.Boolean(
        string="Notify for other departments",
        implied_group="sms_notify.group_sms_notify_other_departments",
        group="sales_team.group_sale_salesman",
        help="Every salesperson can also notify customers about documents of departments (sales "
        "teams) they do not belong to.",
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
