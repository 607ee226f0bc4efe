from odoo import api, fields, models
from odoo.exceptions import UserError

from ..models.mail_thread import SMS_POSTED_BY_CODE


class SmsResend(models.TransientModel):
    _inherit = "sms.resend"

    sms_notify_billed = fields.Boolean(compute="_compute_sms_notify_billed")

    @api.depends("recipient_ids.failure_type")
    def _compute_sms_notify_billed(self):
        for wizard in self:
            account = (
                self.env["sms.notify.account"]
                .sudo()
                ._get_for_company(wizard._sms_notify_company(), create=False)
            )
            wizard.sms_notify_billed = bool(account.tariff_id)

    def _sms_notify_company(self):
        """The company whose balance pays for the messages: their document's."""
        return self.mail_message_id.record_company_id or self.env.company

    def action_buy_credits(self):
        """*Insufficient credit* means the company's SMS balance, not Odoo IAP credits, when
        messages are charged to it: lead to the balance, or say who can top it up."""
        if not self.sms_notify_billed:
            return super().action_buy_credits()
        account = self.env["sms.notify.account"]
        if not self.env.user.has_group("sms_notify.group_sms_notify_manager"):
            raise UserError(
                self.env._(
                    "The SMS balance does not cover these messages. Ask an SMS Notify "
                    "administrator to top it up, then resend them from here."
                )
            )
        return account._get_for_company(self._sms_notify_company()).action_request_topup()

    def action_resend(self):
        """Sending again is sending: the user must be one who may notify the document's
        customer (the dialog lets them correct the numbers)."""
        message = self.mail_message_id
        if not self.env.su and message.model and message.res_id:
            self.env[message.model].browse(message.res_id)._sms_notify_check_may_notify()
        return super(
            SmsResend, self.with_context(sms_notify_sms_post=SMS_POSTED_BY_CODE)
        ).action_resend()
