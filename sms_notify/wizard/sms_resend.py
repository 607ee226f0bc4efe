from odoo import models

from ..models.mail_thread import SMS_POSTED_BY_CODE


class SmsResend(models.TransientModel):
    _inherit = "sms.resend"

    def action_resend(self):
        """Sending again is sending: the user must be one who may notify the document's
        customer (the dialog lets them correct the numbers)."""
        message = self.mail_message_id
        if not self.env.su and message.model and message.res_id:
            self.env[message.model].browse(message.res_id)._sms_notify_check_may_notify()
        return super(
            SmsResend, self.with_context(sms_notify_sms_post=SMS_POSTED_BY_CODE)
        ).action_resend()
