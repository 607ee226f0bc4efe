import threading

from odoo import fields, models
from odoo.tools import split_every

from odoo.addons.sms_notify.tools import kinds

#: recipients per SMS composer. SMS Marketing hands the composer all the mailing's record ids as
#: one string, which Odoo refuses to read back above 100 KiB: about 14,000 recipients. Smaller
#: chunks let the first SMS leave sooner; each chunk rereads the numbers already reached.
COMPOSE_CHUNK = 2000
#: the first chunk is smaller still: the queue starts sending as soon as it is committed
FIRST_COMPOSE_CHUNK = 500


class MailingMailing(models.Model):
    _inherit = "mailing.mailing"

    message_kind = fields.Selection(
        kinds.MESSAGE_KIND_SELECTION,
        string="SMS Kind",
        default=kinds.ADVERTISING,
        help="Advertising: a promotion, priced as advertising and sent only to customers who "
        "agreed to receive promotions. Service: a notification every recipient expects, such as "
        "a change of opening hours.",
    )

    def _get_seen_list_sms(self):
        """SMS Marketing's records (and numbers) this mailing reached before; nothing when
        none of the records of ``sms_notify_seen_among`` in the context was reached.

        SMS Marketing reads every record the mailing reached, for each composer: at 100,000
        recipients prepared 2,000 at a time, millions of rows read to keep the few of each
        chunk (none: a chunk holds only recipients not reached yet). The composer, its only
        caller, asks about a chunk; one look at that chunk's traces answers the usual case."""
        among = self.env.context.get("sms_notify_seen_among")
        if among is not None:
            self.ensure_one()
            self.env["mailing.trace"].flush_model(["mass_mailing_id", "model", "res_id"])
            self.env.cr.execute(
                """SELECT 1 FROM mailing_trace
                    WHERE mass_mailing_id = %s AND model = %s AND res_id = ANY(%s)
                    LIMIT 1""",
                [self.id, self.mailing_model_real, list(among)],
            )
            if not self.env.cr.fetchone():
                return [], []
        return super()._get_seen_list_sms()

    def _send_sms_get_composer_values(self, res_ids):
        return dict(super()._send_sms_get_composer_values(res_ids), message_kind=self.message_kind)

    def action_send_sms(self, res_ids=None):
        """Prepare the mailing's SMS a few thousand recipients at a time, each chunk committed
        and handed to the SMS queue before the next one is prepared.

        SMS Marketing prepares a whole mailing in one transaction, which fails beyond about
        14,000 recipients, holds every record in memory and sends nothing until the end. Here
        a queue worker sends a chunk while the next one is prepared, and a mailing interrupted
        half-way resumes where it stopped: recipients already reached are skipped as
        duplicates, as SMS Marketing skips them when a mailing is sent again. As in Odoo's own
        e-mail mailings, nothing is committed when testing."""
        auto_commit = not getattr(threading.current_thread(), "testing", False)
        for mailing in self:
            recipients = res_ids or mailing._get_remaining_recipients()
            first, rest = recipients[:FIRST_COMPOSE_CHUNK], recipients[FIRST_COMPOSE_CHUNK:]
            for chunk in [first, *split_every(COMPOSE_CHUNK, rest, list)] if first else []:
                super(MailingMailing, mailing).action_send_sms(res_ids=chunk)
                self.env["sms.sms"]._sms_notify_wake_queue()
                if auto_commit:
                    self.env.cr.commit()  # pylint: disable=invalid-commit
                # what the chunk loaded is not needed any more
                self.env.flush_all()
                self.env.invalidate_all()
        return True
