from odoo import models


class MailThread(models.AbstractModel):
    _inherit = "mail.thread"

    def action_sms_notify(self):
        """Open *Notify* on this record; bridges call it from their own buttons."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "sms.notify.wizard",
            "view_mode": "form",
            "target": "new",
            "name": self.env._("Notify %(name)s", name=self.display_name),
            "context": {"default_res_model": self._name, "default_res_id": self.id},
        }
