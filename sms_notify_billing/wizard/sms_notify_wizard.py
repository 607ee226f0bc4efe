from odoo import api, fields, models


class SmsNotifyWizard(models.TransientModel):
    _inherit = "sms.notify.wizard"

    billed = fields.Boolean(compute="_compute_balance_checks")
    cost_enough = fields.Boolean(compute="_compute_balance_checks")
    package_billed = fields.Boolean(string="Message Package", compute="_compute_balance_checks")

    @api.depends(
        "sms_body", "message_kind", "sms_template_id", "partner_id", "channel", "delivery_mode"
    )
    def _compute_balance_checks(self):
        for wizard in self:
            composer = wizard._sms_composer(new=True) if wizard._sends_sms() else None
            wizard.billed = bool(composer) and composer.sms_notify_billed
            wizard.cost_enough = not composer or composer.sms_notify_cost_enough
            wizard.package_billed = bool(composer) and composer.sms_notify_package
