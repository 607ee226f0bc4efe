from odoo import fields, models


class IrActionsServer(models.Model):
    _inherit = "ir.actions.server"

    state = fields.Selection(
        selection_add=[("sms_notify", "Schedule a customer notification")],
        ondelete={"sms_notify": "cascade"},
    )
    sms_notify_rule_id = fields.Many2one(
        "sms.notify.rule",
        string="Notification Rule",
        ondelete="cascade",
        help="The SMS Notify rule whose message this action schedules: its templates, delay, "
        "validity, departments and quiet hours.",
    )

    def _run_action_sms_notify_multi(self, eval_context=None):
        records = eval_context.get("records") or eval_context.get("record")
        if records and self.sms_notify_rule_id:
            self.sms_notify_rule_id._enqueue(records, self.env.context.get("old_values"))
        return False
