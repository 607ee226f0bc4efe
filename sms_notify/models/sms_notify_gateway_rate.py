import zlib

from odoo import api, fields, models

from ..tools import rate


class SmsNotifyGatewayRate(models.Model):
    """What queue workers took from a gateway with a send-rate limit in the last minute: one
    note per batch, the notes of the last minute only (see ``tools/rate.py``).

    A worker notes its batch on its side cursor and commits it before calling the gateway,
    while it holds the gateway's rate lock: another worker, at the same moment, sees the note
    and takes only what is left of the minute."""

    _name = "sms.notify.gateway.rate"
    _description = "SMS a rate-limited gateway took in the last minute"
    _log_access = False

    gateway_id = fields.Many2one(
        "sms.notify.gateway", required=True, ondelete="cascade", index=True
    )
    taken_at = fields.Datetime(required=True)
    count = fields.Integer(required=True)

    @api.model
    def _take(self, gateway, wanted, cr):
        """How many of ``wanted`` messages ``gateway`` takes now (a :class:`rate.Take`), noted
        on ``cr``: the caller commits it before calling the gateway."""
        if not gateway.rate_limit:
            return rate.Take(wanted)
        now = fields.Datetime.now()
        # held until the note is committed: workers take from the same minute one by one
        cr.execute("SELECT pg_advisory_xact_lock(%s)", [self._lock_key(gateway, cr)])
        cr.execute(
            "DELETE FROM sms_notify_gateway_rate WHERE gateway_id = %s AND taken_at <= %s",
            [gateway.id, now - rate.WINDOW],
        )
        cr.execute(
            "SELECT taken_at, count FROM sms_notify_gateway_rate WHERE gateway_id = %s",
            [gateway.id],
        )
        taken = rate.take(gateway.rate_limit, cr.fetchall(), now, wanted)
        if taken.count:
            cr.execute(
                "INSERT INTO sms_notify_gateway_rate (gateway_id, taken_at, count)"
                " VALUES (%s, %s, %s)",
                [gateway.id, now, taken.count],
            )
        return taken

    @api.model
    def _room(self, gateway):
        """How many more messages ``gateway`` takes now (``count``) and when one more than
        that may go (``retry_at``): a :class:`rate.Take` of what this transaction sees,
        routing's estimate (the claim's ``_take`` decides)."""
        now = fields.Datetime.now()
        self.env.cr.execute(
            "SELECT taken_at, count FROM sms_notify_gateway_rate"
            " WHERE gateway_id = %s AND taken_at > %s",
            [gateway.id, now - rate.WINDOW],
        )
        return rate.take(gateway.rate_limit, self.env.cr.fetchall(), now, gateway.rate_limit + 1)

    @staticmethod
    def _lock_key(gateway, cr):
        # not the device lock of an exclusive gateway (``_lock_key`` of the gateway): that
        # one is held by the worker's own transaction while it sends
        return zlib.crc32(f"sms_notify_gateway_rate:{cr.dbname}:{gateway.id}".encode())
