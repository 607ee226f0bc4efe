"""The SMS queue: every message a gateway sends goes through it.

A worker claims a batch, checks it (``sms_sms_checks``), routes and charges it, commits a
dispatch naming it, hands it over to its gateways and stores their answers
(``sms_sms_reports``); a later run recovers what a dead worker left and reconciles it with the
gateway instead of sending it twice.
"""

import contextlib
import dataclasses
import logging
import threading
import time
from collections import defaultdict
from datetime import timedelta

import psycopg2.errors

from odoo import api, fields, models

from ..tools import routing
from ..tools.gateway import GatewayError, OutgoingSms
from . import sms_sms

_logger = logging.getLogger(__name__)

#: a message Processing for longer than this lost its worker
STALE_CLAIM_MINUTES = 10
#: tries before a message fails for good after transient gateway errors
MAX_SEND_ATTEMPTS = 6
#: first wait after a transient error; it doubles with each try (30 s ... 8 min)
RETRY_BASE_SECONDS = 30
#: seconds after which messages waiting for a full gateway are routed again when the gateway
#: cannot tell when it takes messages again
CAPACITY_RETRY_SECONDS = 900
#: one run of the queue cron hands over at most this many batches, or stops taking new ones
#: after this many seconds; it reports the messages left and Odoo runs it again at once
#: (``ir.cron._run_job``), so that a huge mailing never holds a run past the time limit
QUEUE_BATCHES_PER_RUN = 10
QUEUE_SECONDS_PER_RUN = 60
#: what Odoo's own queue takes at most per run (see ``sms.sms._process_queue``)
IAP_QUEUE_LIMIT = 10000
#: what makes a message the queue's to send, but for its moment (``send_after``)
DUE = """
    state = 'outgoing'
    AND to_delete IS NOT TRUE
    AND (next_try_datetime IS NULL OR next_try_datetime <= %(now)s)
"""


# sms.sms is split into files by concern (see sms_sms.py): one class per file on purpose
class SmsSmsQueue(models.Model):
    _inherit = "sms.sms"  # pylint: disable=consider-merging-classes-inherited

    @api.model
    def _process_queue(self, ids=None):
        if not self.env["sms.notify.gateway"].sudo().search_count([], limit=1):
            return self._sms_notify_process_iap_queue(ids)
        auto_commit = not getattr(threading.current_thread(), "testing", False)
        self._sms_notify_recover_dispatches()
        self._sms_notify_reconcile_stale()
        # the SMS of Viber messages whose wait is over join this run's batches
        self._sms_notify_fall_back_overdue()
        if auto_commit:
            self.env.cr.commit()  # pylint: disable=invalid-commit
        batch_size = int(
            self.env["ir.config_parameter"].sudo().get_param("sms.session.batch.size", 500)
        )
        # only a cron run is bounded: Odoo brings it back for what is left, nothing would
        # bring back a direct call
        bounded = bool(self.env.context.get("ir_cron_progress_id"))
        deadline = time.monotonic() + QUEUE_SECONDS_PER_RUN
        batches = done = 0
        while True:
            if bounded and (batches >= QUEUE_BATCHES_PER_RUN or time.monotonic() >= deadline):
                self.env["ir.cron"]._notify_progress(
                    done=done, remaining=self._sms_notify_due_count(ids)
                )
                return None
            claimed = self._sms_notify_claim(batch_size, ids, auto_commit)
            if claimed is None:
                break
            routes, dispatch_ids, without_gateway, claimed_count = claimed
            batches += 1
            done += claimed_count
            for gateway, messages in routes.items():
                messages._sms_notify_hand_over(gateway)
            if without_gateway:
                # what Odoo's own queue does with them (see super()._process_queue)
                super(sms_sms.SmsSms, without_gateway)._send(unlink_failed=False, unlink_sent=True)
            if auto_commit:
                # the answers are kept even if a later batch kills the worker
                self.env.cr.commit()  # pylint: disable=invalid-commit
            # the dispatch is done with; this transaction's snapshot predates it, so it is
            # removed on the side (were the worker to die first, the recovery would find
            # nothing left to recover in it and remove it)
            with self._sms_notify_side_cursor(auto_commit) as cr:
                cr.execute("DELETE FROM sms_notify_dispatch WHERE id = ANY(%s)", [dispatch_ids])
            # a worker going through a large mailing keeps nothing from batch to batch: its
            # memory, and the time the garbage collector spends on it, would grow with it
            self.env.invalidate_all()
        self._sms_notify_wake_for_waiting()
        self.env["ir.cron"]._notify_progress(done=done, remaining=0)
        return None

    @api.model
    def _sms_notify_process_iap_queue(self, ids=None):
        """Odoo's own queue, for a database without any gateway (everything through Odoo
        IAP), handed only the messages whose moment has come: a message waiting for one
        (``send_after``) is left for later, or cancelled if its validity ended meanwhile."""
        self.env.flush_all()
        self.env.cr.execute(
            f"""
            SELECT id FROM sms_sms
             WHERE {DUE}
               AND (send_after IS NULL OR LEAST(send_after, valid_until) <= %(now)s)
               {"AND id = ANY(%(ids)s)" if ids else ""}
          ORDER BY id
             LIMIT %(limit)s
            """,
            {"now": fields.Datetime.now(), "ids": ids, "limit": IAP_QUEUE_LIMIT},
        )
        due = self.browse([row[0] for row in self.env.cr.fetchall()])
        waiting = due._sms_notify_where("send_after", bool)
        due -= waiting - waiting._sms_notify_cancel_expired()
        self._sms_notify_wake_for_waiting()
        if not due:
            return None  # Odoo's queue, given no ids, would take every queued message
        return super()._process_queue(ids=due.ids)

    @api.model
    def _sms_notify_due_count(self, ids=None):
        """How many messages the queue would take now (see ``_sms_notify_claim``)."""
        query = f"""
            SELECT COUNT(*) FROM sms_sms
             WHERE {DUE}
               AND (send_after IS NULL OR LEAST(send_after, valid_until) <= %(now)s)
               {"AND id = ANY(%(ids)s)" if ids else ""}
        """
        self.env.flush_all()
        self.env.cr.execute(query, {"now": fields.Datetime.now(), "ids": ids})
        return self.env.cr.fetchone()[0]

    def _sms_notify_claim(self, limit, ids=None, auto_commit=True):
        """Take up to ``limit`` due messages for this worker and check them; commit a
        dispatch naming the sendable ones, their gateway and the identifiers planned for them
        (what is asked about them after a crash). Return ``({gateway: messages}, dispatch
        ids, messages of companies without gateway, how many messages were taken)``, or
        ``None`` when nothing was due.

        Each message is routed and reserved (charged, with ``sms_notify_billing``) for its
        own company: its gateways, its sender name, its country for numbers without a country
        code.

        The batch stays locked in this worker's transaction until its answers are committed:
        ``SKIP LOCKED`` lets other workers (or servers) share the queue without ever taking
        the same message, and each message's row is written once, with its answer, instead
        of once to mark it Processing and once more with the answer."""
        self.env.flush_all()  # the previous batch's answers must be in the table we query
        batch = self.browse(self._sms_notify_claim_ids(limit, ids))
        if not batch:
            return None
        with_gateway = batch._sms_notify_with_gateway()
        routes = with_gateway._sms_notify_check_and_route()
        # committed on the side, before any gateway call, while this transaction keeps the
        # batch locked: what rate-limited gateways took, the debit and the dispatch together
        with self._sms_notify_side_cursor(auto_commit) as cr:
            if cr is not self.env.cr:
                # a balance, or what a gateway took this minute, must be read after its lock
                # is granted, not as it was when the transaction began: what a worker holding
                # the lock took is then counted
                cr.execute("SET TRANSACTION ISOLATION LEVEL READ COMMITTED")
            routes_by_company = defaultdict(dict)
            for gateway, messages in self._sms_notify_take_rate(routes, cr).items():
                routes_by_company[gateway.company_id][gateway] = messages
            routes = {}
            # billing locks balances in the same order in every worker: no deadlock between
            # two workers charging the same companies
            for company in sorted(routes_by_company, key=lambda company: company.id):
                routes.update(self._sms_notify_reserve(company, routes_by_company[company], cr))
            dispatch_values = [
                {
                    "gateway_id": gateway.id,
                    "planned": list(
                        zip(
                            messages._ids,
                            messages.mapped("number"),
                            messages.mapped("gateway_reference"),
                            messages._sms_notify_reserved(),
                            strict=True,
                        )
                    ),
                }
                for gateway, messages in routes.items()
            ]
            dispatch_ids = self.env(cr=cr)["sms.notify.dispatch"].sudo().create(dispatch_values).ids
        return routes, dispatch_ids, batch - with_gateway, len(batch)

    def _sms_notify_claim_ids(self, limit, ids=None):
        """Lock and return up to ``limit`` ids of due messages: those free to go, then those
        whose wait (``send_after``) is over, or whose validity ended while they waited (the
        checks cancel them as expired rather than send them late).

        Two queries, each along its own partial index: the lowest ids among the messages free
        to go, read past none of the thousands that may wait for the morning; and the waiting
        ones by the moment they became due."""
        params = {"now": fields.Datetime.now(), "ids": ids}
        only = "AND id = ANY(%(ids)s)" if ids else ""
        self.env.cr.execute(
            f"""
            SELECT id FROM sms_sms
             WHERE {DUE} AND send_after IS NULL {only}
          ORDER BY id
             LIMIT %(limit)s
               FOR UPDATE SKIP LOCKED
            """,
            dict(params, limit=limit),
        )
        claimed = [row[0] for row in self.env.cr.fetchall()]
        if len(claimed) < limit:
            self.env.cr.execute(
                f"""
                SELECT id FROM sms_sms
                 WHERE {DUE} AND send_after IS NOT NULL {only}
                   AND LEAST(send_after, valid_until) <= %(now)s
              ORDER BY LEAST(send_after, valid_until), id
                 LIMIT %(limit)s
                   FOR UPDATE SKIP LOCKED
                """,
                dict(params, limit=limit - len(claimed)),
            )
            claimed += [row[0] for row in self.env.cr.fetchall()]
        return claimed

    @api.model
    def _sms_notify_wake_for_waiting(self):
        """Have the queue run again when the first message waiting for a moment
        (``send_after``) becomes due, or its validity ends; once per moment, however often the
        queue runs meanwhile."""
        self.env.cr.execute(
            f"""
            SELECT MIN(LEAST(send_after, valid_until)) FROM sms_sms
             WHERE {DUE} AND send_after IS NOT NULL
               AND LEAST(send_after, valid_until) > %(now)s
            """,
            {"now": fields.Datetime.now()},
        )
        wake_at = self.env.cr.fetchone()[0]
        if not wake_at:
            return
        cron = self.env.ref("sms.ir_cron_sms_scheduler_action").sudo()
        planned = (
            self.env["ir.cron.trigger"]
            .sudo()
            .search_count([("cron_id", "=", cron.id), ("call_at", "=", wake_at)], limit=1)
        )
        if not planned:
            self._sms_notify_wake_queue(at=wake_at)

    def _sms_notify_take_rate(self, routes, cr):
        """``routes`` without the messages over their gateway's send-rate limit: those wait
        until the gateway takes messages again. What each gateway takes is noted on ``cr``.

        Routing already left a gateway no more than what this transaction saw of its minute;
        another worker may have taken some of it since, which the note taken under the
        gateway's lock counts."""
        Rate = self.env["sms.notify.gateway.rate"].sudo()
        result = {}
        # in the same order in every worker: no deadlock between two workers' rate locks
        for gateway in sorted(routes, key=lambda gateway: gateway.id):
            messages = routes[gateway]
            taken = Rate._take(gateway, len(messages), cr)
            if taken.count < len(messages):
                messages[taken.count :]._sms_notify_wait_for_rate(gateway, taken.retry_at)
            if taken.count:
                result[gateway] = messages[: taken.count]
        return result

    def _sms_notify_wait_for_rate(self, gateway, retry_at):
        """Back to the queue until ``retry_at``, when ``gateway``'s send-rate limit takes
        messages again; nothing was tried, so no attempt is counted."""
        self.sudo().write(
            {
                "state": "outgoing",
                "gateway_id": gateway.id,
                "gateway_error": gateway._rate_waiting_reason(),
                "next_try_datetime": retry_at,
                "claimed_datetime": False,
                "gateway_reference": False,
            }
        )
        self._sms_notify_wake_queue(at=retry_at)

    def _sms_notify_side_cursor(self, auto_commit):
        """A cursor committing apart from the queue's transaction; the queue's own cursor
        when nothing is committed (tests)."""
        if auto_commit:
            return self.env.registry.cursor()
        return contextlib.nullcontext(self.env.cr)

    def _sms_notify_recover_dispatches(self):
        """Messages whose worker died while handing them over: committed as Processing with
        the identifiers planned for them, as they were when the worker died, so that
        ``_sms_notify_reconcile_stale`` asks the gateway about them once the claim is old
        enough, instead of sending them a second time.

        A dispatch whose messages are still locked belongs to a live worker and is left
        alone; one whose messages were answered meanwhile has nothing left to recover."""
        for dispatch in self.env["sms.notify.dispatch"].sudo().search([]):
            try:
                with self.env.cr.savepoint():
                    self._sms_notify_recover_dispatch(dispatch)
            except psycopg2.errors.SerializationFailure:
                # its worker answered (or removed it) since this transaction began
                continue

    def _sms_notify_recover_dispatch(self, dispatch):
        # dispatches written before charges were planned have three values per message
        planned = {sms_id: tuple(rest) for sms_id, *rest in dispatch.planned}
        self.env.cr.execute("SELECT id FROM sms_sms WHERE id = ANY(%s)", [list(planned)])
        existing = {row[0] for row in self.env.cr.fetchall()}
        self.env.cr.execute(
            "SELECT id, state FROM sms_sms WHERE id = ANY(%s) FOR UPDATE SKIP LOCKED",
            [list(existing)],
        )
        free = dict(self.env.cr.fetchall())
        if set(free) != existing:
            return  # its worker is still at it
        for sms_id, state in free.items():
            if state == "outgoing":
                number, reference, *reserved = planned[sms_id]
                sms = self.browse(sms_id)
                sms.sudo().write(
                    {
                        "state": "process",
                        "gateway_id": dispatch.gateway_id.id,
                        "number": number,
                        "gateway_reference": reference or False,
                        "claimed_datetime": dispatch.create_date,
                    }
                )
                # its charge was committed with the dispatch
                sms._sms_notify_restore_reserved(reserved[0] if reserved else 0)
        self.env.cr.execute("DELETE FROM sms_notify_dispatch WHERE id = %s", [dispatch.id])

    def _sms_notify_reconcile_stale(self):
        """Settle messages whose worker died between claiming them and storing the answer.

        The gateway says which ones it received (its idempotency key or a status lookup):
        those are kept as sent, the others go back to the queue. Where the gateway cannot
        tell, the message is failed with a warning instead of being sent a second time."""
        stale_after = timedelta(minutes=STALE_CLAIM_MINUTES)
        stale = self.search(
            [
                ("state", "=", "process"),
                ("gateway_id", "!=", False),
                ("claimed_datetime", "<", fields.Datetime.now() - stale_after),
            ]
        )
        for gateway, messages in stale.grouped("gateway_id").items():
            client = gateway._get_client()
            try:
                reports = client.find_sent(messages._sms_notify_outgoing(gateway))
            except NotImplementedError:
                # it may well have been sent, and by a gateway cascading itself its SMS too
                messages.with_context(sms_notify_maybe_sent=True)._sms_notify_fail(
                    gateway,
                    "unknown",
                    self.env._(
                        "Sending was interrupted and %(gateway)s cannot tell whether it "
                        "received the message. Check with the recipient before resending.",
                        gateway=gateway.name,
                    ),
                    # it may well have been sent: its price stays charged
                    refund=False,
                )
                continue
            except GatewayError as error:
                gateway._record_error(error)
                continue  # try again at the next queue run
            received = {report.reference: report for report in reports}
            for sms in messages:
                report = received.get(sms.uuid)
                if report:
                    # the gateway holds it: at least Sent, whatever step it has reached
                    state = "pending" if report.state in ("outgoing", "process") else report.state
                    sms.write(
                        {
                            "gateway_reference": report.gateway_reference,
                            "sent_datetime": sms.claimed_datetime,
                        }
                    )
                    sms._sms_notify_apply_delivery(state, report.failure_type or False)
                else:
                    sms._sms_notify_release(
                        self.env._(
                            "Not received by %(gateway)s, queued again", gateway=gateway.name
                        )
                    )
                    sms.write(
                        {"state": "outgoing", "claimed_datetime": False, "gateway_reference": False}
                    )

    def _sms_notify_check_and_route(self):
        """Fail or cancel what must not be sent; mark the others Processing, with their number
        in E.164, the gateway that sends to it and the identifiers the gateway will know them
        by where its client chooses them (see ``GatewayClient.plan``). Return
        ``{gateway: messages}`` for the sendable ones, each sent by a gateway of its own
        company."""
        now = fields.Datetime.now()
        sendable = self._sms_notify_cancel_expired()._sms_notify_refuse_too_long()
        sendable = sendable._sms_notify_refuse_unrendered()._sms_notify_refuse_viber()
        e164_numbers = sendable._sms_notify_normalize_numbers()
        e164_numbers = self._sms_notify_refuse_without_consent(e164_numbers)
        routes = defaultdict(self.browse)
        for (company, channel), messages in (
            self.browse(list(e164_numbers))
            .grouped(lambda sms: (sms.company_id, sms.channel))
            .items()
        ):
            # a gateway sending both channels gets both in one batch: its client plans them
            for gateway, routed in messages._sms_notify_route(
                company, e164_numbers, now, channel
            ).items():
                routes[gateway] |= routed
        return dict(routes)

    def _sms_notify_refuse_viber(self):
        """Fail the Viber messages no vendor would take (see ``tools.viber``); return the
        others. Sent *Viber then SMS*, their SMS goes instead."""
        refusals = self._sms_notify_viber_refusals()
        for sms, reason in refusals.items():
            sms._sms_notify_fail(
                sms.gateway_id, "sms_rejected", self._sms_notify_viber_refusal_text(reason)
            )
        return self.browse([sms_id for sms_id in self._ids if self.browse(sms_id) not in refusals])

    def _sms_notify_route(self, company, e164_numbers, now, channel="sms"):
        """Route these messages of ``company``, all of ``channel``, to its gateways of that
        channel (see ``_sms_notify_check_and_route``)."""
        gateways = self.env["sms.notify.gateway"].sudo()._get_candidates(company)
        gateways = gateways.filtered(lambda gateway: gateway._sends_channel(channel))
        by_id = {gateway.id: gateway for gateway in gateways}
        decision = routing.route(
            gateways._routing_data(),
            [(sms_id, e164_numbers[sms_id]) for sms_id in self._ids],
            # a device is taken for this worker when the first message goes to it; one
            # another worker took meanwhile leaves the next gateway the message
            take=lambda gateway_id: by_id[gateway_id]._take_capacity(),
            # a rule's gateway first; routing ignores one that is not among the company's
            preferred={
                sms.id: sms.preferred_gateway_id.id for sms in self if sms.preferred_gateway_id
            },
        )
        for gateway_id, sms_ids in decision.waiting.items():
            self.browse(sms_ids)._sms_notify_wait_for_capacity(by_id[gateway_id])
        routes = {
            gateways.browse(gateway_id or ()): sms_ids
            for gateway_id, sms_ids in decision.routes.items()
        }
        messages, values, routed_by_gateway = self.browse(), [], {}
        for gateway, sms_ids in routes.items():
            routed = self.browse(sms_ids)
            if not gateway:
                for sms in routed:
                    sms._sms_notify_fail(
                        gateways.browse(),
                        "sms_country_not_supported",
                        self.env._(
                            "No gateway sends to %(number)s: add its country code to a "
                            "gateway's number prefixes, or leave one gateway without prefixes.",
                            number=e164_numbers[sms.id],
                        )
                        if gateways or channel == "sms"
                        else self.env._(
                            "No gateway of the company sends Viber messages: add one of a type "
                            "that does (SMSC, Vonage), or send by SMS."
                        ),
                    )
                continue
            outgoing = [
                dataclasses.replace(message, number=e164_numbers[sms.id], gateway_reference=None)
                for sms, message in zip(routed, routed._sms_notify_outgoing(gateway), strict=True)
            ]
            for message in gateway._get_client().plan(outgoing):
                values.append(
                    {
                        "state": "process",
                        "claimed_datetime": now,
                        "number": message.number,
                        "gateway_id": gateway.id,
                        "gateway_reference": message.gateway_reference or False,
                    }
                )
            messages |= routed
            routed_by_gateway[gateway] = routed
        # written together with the answers (see _sms_notify_claim)
        messages.sudo()._sms_notify_write_later(values)
        return routed_by_gateway

    def _sms_notify_wait_for_capacity(self, gateway):
        """Keep these messages queued until ``gateway``, the one that sends to their number,
        takes messages again (see ``sms.notify.gateway._capacity``). Nothing was
        tried, so no attempt is counted."""
        now = fields.Datetime.now()
        retry_at = gateway._capacity_available_at() or now + timedelta(
            seconds=CAPACITY_RETRY_SECONDS
        )
        self.sudo().write(
            {
                "state": "outgoing",
                "gateway_id": gateway.id,
                "gateway_error": gateway._waiting_reason(),
                "next_try_datetime": max(retry_at, now),
                "claimed_datetime": False,
                "gateway_reference": False,
            }
        )
        self._sms_notify_wake_queue(at=max(retry_at, now))

    def _sms_notify_outgoing(self, gateway):
        """The messages, all of the gateway's company, as the gateway client sees them."""
        sender = self._sms_notify_sender(gateway)
        # a column at a time: the ORM reads a field for many records much faster than many
        # fields record by record
        messages = [
            OutgoingSms(
                uuid=uuid,
                number=number,
                body=body,
                sender=sender,
                valid_until=valid_until or None,
                gateway_reference=gateway_reference or None,
            )
            for uuid, number, body, valid_until, gateway_reference in zip(
                self.mapped("uuid"),
                self.mapped("number"),
                self.mapped("body"),
                self.mapped("valid_until"),
                self.mapped("gateway_reference"),
                strict=True,
            )
        ]
        if all(channel == "sms" for channel in self.mapped("channel")):
            return messages
        return self._sms_notify_with_viber(gateway, messages)

    def _sms_notify_with_viber(self, gateway, messages):
        """``messages`` (one per SMS of ``self``) with what their Viber messages carry: the
        image and button, the kind, and the SMS text for a gateway that cascades itself."""
        vendor_cascade = gateway._type_class().vendor_cascade
        return [
            dataclasses.replace(
                message,
                # a Viber message goes under the gateway's Viber sender, not the SMS one
                sender=None if sms.channel == "viber" else message.sender,
                channel=sms.channel,
                kind=sms.message_kind or None,
                image_url=sms.viber_image_url or None,
                button_text=sms.viber_button_text or None,
                button_url=sms.viber_button_url or None,
                fallback_body=(
                    (sms.fallback_body or None)
                    if vendor_cascade
                    and sms.channel == "viber"
                    and sms.delivery_mode == "viber_sms"
                    else None
                ),
                fallback_wait=sms.fallback_wait or None,
            )
            for sms, message in zip(self, messages, strict=True)
        ]

    def _sms_notify_hand_over(self, gateway, raise_exception=False):
        """Hand these claimed messages over to ``gateway``, the one the claim routed them to,
        and store its answers. Only the queue worker calls it (see ``_process_queue``)."""
        messages = self._sms_notify_outgoing(gateway)
        try:
            results = gateway._get_client().send(messages)
        except GatewayError as error:
            _logger.info("Gateway %s failed a batch of %s SMS: %s", gateway.name, len(self), error)
            gateway._record_error(error)
            if raise_exception:
                raise
            self._sms_notify_handle_gateway_error(gateway, error)
            return
        except Exception as error:
            # not an answer of the gateway but a fault of its client: what the history shows
            # of it does not tell where it happened, the traceback does
            _logger.exception("Gateway %s crashed on a batch of %s SMS", gateway.name, len(self))
            if raise_exception:
                raise
            self._sms_notify_fail(gateway, "sms_server", error)
            return
        gateway._record_success()
        self._sms_notify_store_results(gateway, results)

    def _sms_notify_handle_gateway_error(self, gateway, error):
        """Keep what the gateway answered before it failed; decide the fate of the rest.

        A message that may have reached the gateway is never failed (the user would send it
        again): it stays *Processing* until its status is known.  After a transient error
        (outage, timeout before sending, rate limit) the message goes back to the queue."""
        answered = {result.uuid for result in error.results}
        if answered:
            self.filtered(lambda sms: sms.uuid in answered)._sms_notify_store_results(
                gateway, error.results
            )
        rest = self.filtered(lambda sms: sms.uuid not in answered).sudo()
        if error.maybe_sent:
            rest.write({"state": "process", "gateway_id": gateway.id, "gateway_error": str(error)})
        elif error.transient:
            rest._sms_notify_retry_later(gateway, error)
        else:
            rest._sms_notify_fail(gateway, error.failure_type, error)

    def _sms_notify_retry_later(self, gateway, error):
        """Back to the queue with an exponential wait; the gateway is marked down for as long,
        so the next gateway by priority takes over meanwhile. After too many tries the message
        fails with the gateway's last error."""
        now = fields.Datetime.now()
        gateway._mark_down(error)
        # charged again when they are handed over, maybe at another price or gateway
        self._sms_notify_release(
            self.env._("Not sent yet, %(gateway)s unavailable", gateway=gateway.name)
        )
        for sms in self:
            attempts = sms.send_attempts + 1
            if attempts >= MAX_SEND_ATTEMPTS:
                sms.send_attempts = attempts
                sms._sms_notify_fail(gateway, error.failure_type or "sms_server", error)
                continue
            wait = max(error.retry_after or 0, RETRY_BASE_SECONDS * 2 ** (attempts - 1))
            sms.write(
                {
                    "state": "outgoing",
                    "gateway_id": gateway.id,
                    "gateway_error": str(error),
                    "send_attempts": attempts,
                    "next_try_datetime": now + timedelta(seconds=wait),
                    "claimed_datetime": False,
                    # the next try is planned afresh, maybe on another gateway
                    "gateway_reference": False,
                }
            )
        if self:
            self._sms_notify_wake_queue(at=min(self.mapped("next_try_datetime") or [now]))
