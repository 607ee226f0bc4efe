from odoo import api, fields, models
from odoo.exceptions import UserError


class SmsResend(models.TransientModel):
    _inherit = "sms.resend"

    sms_notify_billed = fields.Boolean(compute="_compute_sms_notify_billed")

    @api.depends("recipient_ids.failure_type")
    def _compute_sms_notify_billed(self):
        for wizard in self:
            balance = (
                self.env["sms.notify.balance"]
                .sudo()
                ._get_for_company(wizard._sms_notify_company(), create=False)
            )
            wizard.sms_notify_billed = bool(balance.tariff_id)

    def _sms_notify_company(self):
        """The company whose balance pays for the messages: their document's."""
        return self.mail_message_id.record_company_id or self.env.company

    def action_buy_credits(self):
        """*Insufficient credit* means the company's SMS balance, not Odoo IAP credits, when
        messages are charged to it: lead to the balance, or say who can top it up."""
        if not self.sms_notify_billed:
            return super().action_buy_credits()
        balances = self.env["sms.notify.balance"]
        if not self.env.user.has_group("sms_notify.group_sms_notify_manager"):
            raise UserError(
                self.env._(
                    "The SMS balance does not cover these messages. Ask an SMS Notify "
                    "administrator to top it up, then resend them from here."
                )
            )
        return balances._get_for_company(self._sms_notify_company()).action_request_topup()
