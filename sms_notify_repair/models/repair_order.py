from odoo import api, fields, models
from odoo.exceptions import UserError

from odoo.addons.sms_notify.tools.tokens import Token


class RepairOrder(models.Model):
    _name = "repair.order"
    _inherit = ["repair.order", "sms.notify.mixin"]

    sms_notify_team_id = fields.Many2one(
        "crm.team",
        string="Department",
        default=lambda self: self.env["crm.team"]._get_default_team_id(),
        check_company=True,
        tracking=True,
        help="The sales team (shop, workshop) the repair belongs to: only its members, and "
        "users who may notify for other departments, notify its customer.",
    )

    sms_notify_ready_date_text = fields.Char(
        string="Ready Date for Messages",
        compute="_compute_sms_notify_ready_date_text",
        help="The day the repair is scheduled for, as messages show it, in the customer's "
        "language and time zone.",
    )

    @api.depends("schedule_date", "partner_id.lang", "partner_id.tz")
    def _compute_sms_notify_ready_date_text(self):
        for repair in self:
            repair.sms_notify_ready_date_text = repair._sms_notify_day_text(
                repair.schedule_date, repair.partner_id
            )

    def _sms_notify_team_field(self):
        return "sms_notify_team_id"

    def _sms_notify_tokens(self):
        _ = self.env._
        return [
            *super()._sms_notify_tokens(),
            Token("RepairNumber", "object.name", _("Repair number"), ("ID", "НомерРемонта")),
            Token(
                "Product", "object.product_id.name", _("Repaired product"), ("Изделие", "Produkt")
            ),
            Token(
                "ReadyDate",
                "object.sms_notify_ready_date_text",
                _("Ready date"),
                ("ДатаГотовности", "ДатаВыдачи", "DataOdbioru"),
            ),
        ]

    def _sms_notify_default_templates(self):
        self.ensure_one()
        if self.state != "done":
            return super()._sms_notify_default_templates()
        return self._sms_notify_fitting_templates(
            [
                "sms_notify_repair.sms_template_repair_done",
                "sms_notify_repair.mail_template_repair_done",
            ]
        )

    def action_repair_cancel(self):
        result = super().action_repair_cancel()
        self._sms_notify_cancel_scheduled(self.env._("The repair was cancelled."))
        return result

    def _sms_notify_check_ready(self):
        for repair in self.filtered(lambda repair: repair.state != "done"):
            raise UserError(
                self.env._(
                    "%(repair)s is not repaired yet: its customer is notified once it is done.",
                    repair=repair.name,
                )
            )
        return super()._sms_notify_check_ready()
