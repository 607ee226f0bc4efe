from odoo import models
from odoo.tools import split_every

#: recipients per SMS composer. SMS Marketing hands the composer all the mailing's record ids as
#: one string, which Odoo refuses to read back above 100 KiB: about 14,000 recipients.
COMPOSE_CHUNK = 5000


class MailingMailing(models.Model):
    _inherit = "mailing.mailing"

    def action_send_sms(self, res_ids=None):
        """Prepare the mailing's SMS a few thousand recipients at a time.

        SMS Marketing prepares a whole mailing in one go, which fails beyond about 14,000
        recipients and holds every record in memory. Recipients already reached in an earlier
        chunk are skipped as duplicates, as SMS Marketing skips them when a mailing is sent
        again."""
        for mailing in self:
            recipients = res_ids or mailing._get_remaining_recipients()
            for chunk in split_every(COMPOSE_CHUNK, recipients, list):
                super(MailingMailing, mailing).action_send_sms(res_ids=chunk)
                # what the chunk loaded is not needed any more
                self.env.flush_all()
                self.env.invalidate_all()
        return True
