from odoo import fields, models
from odoo.exceptions import AccessError


class BaseAutomation(models.Model):
    _inherit = "base.automation"

    sms_notify_rule_ids = fields.One2many("sms.notify.rule", "automation_id")

    def write(self, vals):
        if vals.get("active"):
            # switching a notification rule on (here or on the rule) dates it: documents older
            # than that are not notified; a rule already on keeps its date
            switched_on = self.filtered(lambda automation: not automation.active)
            switched_on.sudo().with_context(
                active_test=False
            ).sms_notify_rule_ids.enabled_since = fields.Datetime.now()
        return super().write(vals)

    def _execute_webhook(self, payload):
        # a notification rule is never called from outside, even through an address its
        # automation rule was given before rules had none
        if self.sudo().with_context(active_test=False).sms_notify_rule_ids:
            raise AccessError(self.env._("A notification rule has no webhook."))
        return super()._execute_webhook(payload)

    def action_open_sms_notify_rule(self):
        self.ensure_one()
        rule = self.with_context(active_test=False).sms_notify_rule_ids[:1]
        return {
            "type": "ir.actions.act_window",
            "res_model": "sms.notify.rule",
            "view_mode": "form",
            "res_id": rule.id,
        }
