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

    def run(self):
        # an automation runs its actions once per record: a rule firing on 10,000 records in
        # one save must not build 10,000 evaluation contexts just to note their ids
        if (
            len(self) == 1
            and self.state == "sms_notify"
            and self.sms_notify_rule_id
            and not self.groups_id
            and self.env.context.get("active_model") == self.model_id.model
        ):
            context = self.env.context
            ids = context.get("active_ids") or [context.get("active_id")]
            records = self.env[self.model_id.model].browse([id_ for id_ in ids if id_])
            if records:
                self.sms_notify_rule_id._enqueue(records, context.get("old_values"))
            return False
        return super().run()

    def _run_action_sms_notify_multi(self, eval_context=None):
        records = eval_context.get("records") or eval_context.get("record")
        if records and self.sms_notify_rule_id:
            self.sms_notify_rule_id._enqueue(records, self.env.context.get("old_values"))
        return False
