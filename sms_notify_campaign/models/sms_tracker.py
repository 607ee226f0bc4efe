import logging

from psycopg2 import errors

from odoo import models
from odoo.tools import SQL

#: trace statuses a new status does not overwrite: SMS Marketing's own table (a late report
#: must not take a trace back to an earlier step)
STATUSES_TO_IGNORE = {
    "cancel": ("cancel", "process", "pending", "sent"),
    "outgoing": ("outgoing", "process", "pending", "sent"),
    "process": ("process", "pending", "sent"),
    "pending": ("pending", "sent"),
    "bounce": ("bounce",),
    "sent": ("sent",),
    "error": ("error",),
}
#: statuses that leave a trace without a sending date
NOT_SENT_STATUSES = ("outgoing", "process", "error", "cancel")
TRACE_FIELDS = ["trace_status", "failure_type", "failure_reason", "sent_datetime"]

_logger = logging.getLogger(__name__)


class SmsTracker(models.Model):
    _inherit = "sms.tracker"

    def _update_sms_traces(self, trace_status, failure_type=False, failure_reason=False):
        """SMS Marketing's trace update, as one statement for the whole set.

        The queue reports a batch of hundreds of SMS at once; SMS Marketing checks and writes
        each trace on its own. The outcome is the same (a test holds it to SMS Marketing's):
        traces already past this status are left alone, the others get the status, and a
        sending date if they have none and the status means sent."""
        traces = self.mailing_trace_id
        if not traces:
            return self.env["mailing.trace"]
        traces.check_access("write")
        traces.flush_recordset([*TRACE_FIELDS, "mass_mailing_id"])
        traces.modified(TRACE_FIELDS, before=True)
        now = self.env.cr.now()
        self.env.cr.execute(
            SQL(
                """UPDATE mailing_trace
                      SET trace_status = %(status)s,
                          failure_type = %(failure_type)s,
                          failure_reason = %(failure_reason)s,
                          sent_datetime = CASE WHEN %(sent)s AND sent_datetime IS NULL
                                               THEN %(now)s ELSE sent_datetime END,
                          write_uid = %(uid)s,
                          write_date = %(now)s
                    WHERE id = ANY(%(ids)s)
                      AND (trace_status IS NULL OR trace_status NOT IN %(ignored)s)
                RETURNING id, mass_mailing_id""",
                status=trace_status,
                failure_type=failure_type or None,
                failure_reason=failure_reason or None,
                sent=trace_status not in NOT_SENT_STATUSES,
                now=now,
                uid=self.env.uid,
                ids=list(traces.ids),
                ignored=STATUSES_TO_IGNORE[trace_status],
            )
        )
        rows = self.env.cr.fetchall()
        updated = traces.browse([row[0] for row in rows])
        updated.invalidate_recordset([*TRACE_FIELDS, "write_uid", "write_date"])
        # SMS Marketing reads the mailing of each updated trace next (_update_sms_mailings):
        # given here, it does not fetch every column of every trace for it
        self.env.cache.update(updated, updated._fields["mass_mailing_id"], [row[1] for row in rows])
        updated.modified(TRACE_FIELDS)
        return updated

    def _update_sms_mailings(self, trace_status, traces):
        """SMS Marketing's update of the traces' mailings (marked done, or sending), left to
        the queue worker already at it when two update the same mailing at once.

        Two workers answering batches of one mailing both found it not done and both marked
        it done: the second one's update failed (could not serialize access) and rolled back
        the answers of its whole batch with it. The mailing would take the same values from
        either, and the worker that skips it leaves it to the next batch should the other
        one fail."""
        mailings = traces.mass_mailing_id
        if not mailings:
            return super()._update_sms_mailings(trace_status, traces)
        try:
            with self.env.cr.savepoint():
                self.env.cr.execute(
                    "SELECT id FROM mailing_mailing WHERE id = ANY(%s) FOR NO KEY UPDATE NOWAIT",
                    [mailings.ids],
                )
                return super()._update_sms_mailings(trace_status, traces)
        except (errors.LockNotAvailable, errors.SerializationFailure):
            _logger.info("Mailings %s are being updated by another worker", mailings.ids)
            return None
