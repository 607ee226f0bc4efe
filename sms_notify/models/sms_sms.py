import contextlib
import dataclasses
import logging
import threading
import time
from collections import defaultdict
from datetime import timedelta

import psycopg2.errors

from odoo import SUPERUSER_ID, api, fields, models
from odoo.osv import expression
from odoo.tools.sql import create_index

from ..tools import consent, gsm, numbers, pricing, routing, sandbox, tokens
from ..tools.gateway import GatewayError, OutgoingSms, numbered_reference_key
from ..tools.iap import IAP_ACCEPTED_STATES
from ..tools.states import may_move

_logger = logging.getLogger(__name__)

RETENTION_PARAM = "sms_notify.retention_days"
MAX_SEGMENTS_PARAM = "sms_notify.max_segments"
DEFAULT_MAX_SEGMENTS = 4
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
DEFAULT_RETENTION_DAYS = 365
#: delivery failures the operators do not charge for: the message never left for the phone
NOT_CHARGED_FAILURES = (
    "sms_number_format",
    "sms_invalid_destination",
    "sms_country_not_supported",
    "sms_not_allowed",
    "sms_rejected",
    "sms_blacklist",
)


class SmsSms(models.Model):
    _inherit = "sms.sms"

    gateway_id = fields.Many2one(
        "sms.notify.gateway",
        readonly=True,
        index="btree_not_null",
        ondelete="restrict",
        help="The gateway that sent the message. Empty for messages sent through Odoo IAP "
        "without a configured gateway.",
    )
    external_id = fields.Char(
        string="Gateway Reference",
        readonly=True,
        index="btree_not_null",
        help="The identifier the gateway gave the message.",
    )
    encoding = fields.Selection(
        [("gsm7", "GSM-7"), ("ucs2", "Unicode (UCS-2)")],
        compute="_compute_segmenting",
        store=True,
        help="GSM-7 fits 160 characters in one SMS; any other character switches the whole "
        "message to Unicode, 70 characters per SMS.",
    )
    segments = fields.Integer(
        string="SMS Parts",
        compute="_compute_segmenting",
        store=True,
        readonly=False,
        help="How many SMS the operator bills for this message.",
    )
    failure_type = fields.Selection(
        # kept SMS also carry the delivery-report failures Odoo only stores on notifications
        selection_add=[
            ("sms_expired", "Expired"),
            ("sms_invalid_destination", "Invalid Destination"),
            ("sms_not_allowed", "Not Allowed"),
            ("sms_not_delivered", "Not Delivered"),
            ("sms_rejected", "Rejected"),
        ]
    )
    cost = fields.Float(readonly=True, digits=(16, 4), help="Price the gateway reported.")
    sent_datetime = fields.Datetime(
        string="Handed Over", readonly=True, help="When the gateway accepted the message."
    )
    status_datetime = fields.Datetime(
        string="Status Date", readonly=True, help="When the last delivery report arrived."
    )
    gateway_error = fields.Char(
        readonly=True, help="What the gateway said when it refused the message."
    )
    valid_until = fields.Datetime(
        copy=False,
        # automatic rules hand their messages over with the validity the rule gives them
        default=lambda self: self.env.context.get("sms_notify_valid_until"),
        help="A message not handed over to the gateway by then is cancelled as expired instead "
        "of arriving late; gateways that support it also stop trying to deliver it then.",
    )
    send_attempts = fields.Integer(
        readonly=True, copy=False, help="How many times handing the message over failed."
    )
    next_try_datetime = fields.Datetime(
        string="Next Try",
        readonly=True,
        copy=False,
        help="After a gateway outage, the message waits until then before the next try.",
    )
    sms_kind = fields.Selection(
        pricing.MESSAGE_KIND_SELECTION,
        string="Kind",
        # no kind rather than a silent "service": the paths that send notifications say so,
        # and a message of unknown kind is priced and checked as advertising
        default=lambda self: self.env.context.get("sms_notify_kind") or False,
        help="Service: a notification the customer expects (order ready, reminder). "
        "Advertising: a promotion. Taken from the template, rule or campaign; decides the price "
        "and the consent the customer must have given. A message of no kind counts as "
        "advertising.",
    )
    team_id = fields.Many2one(
        "crm.team",
        string="Department",
        readonly=True,
        index="btree_not_null",
        default=lambda self: self.env.context.get("sms_notify_team_id"),
        help="The department (sales team) of the document the message is about.",
    )
    company_id = fields.Many2one(
        "res.company",
        required=True,
        readonly=True,
        index=True,
        default=lambda self: self._sms_notify_default_company(),
        help="The company the message is sent for: its gateways send it and its SMS balance "
        "pays for it. The company of the document the message is about.",
    )
    template_id = fields.Many2one(
        "sms.template",
        readonly=True,
        index="btree_not_null",
        ondelete="set null",
        default=lambda self: self.env.context.get("sms_notify_template_id"),
        help="The template the text was written from.",
    )
    registered_template = fields.Boolean(
        string="Registered Service Template",
        default=lambda self: bool(self.env.context.get("sms_notify_registered_template")),
        help="Its text comes from a template the operators registered as a service template: "
        "under an own sender name only such service messages get the service price.",
    )
    price = fields.Float(
        digits=(16, 2),
        readonly=True,
        copy=False,
        help="Charged to the SMS balance under the tariff in force when it was handed over; "
        "0 when it was refunded or nothing is charged.",
    )
    claimed_datetime = fields.Datetime(
        readonly=True,
        copy=False,
        help="When a queue worker took the message to hand it over. A message still Processing "
        "long after that lost its worker and is reconciled with the gateway.",
    )

    def init(self):
        result = super().init()
        # the queue takes the lowest outgoing ids again and again: without this index each
        # batch reads past every message already sent
        create_index(
            self.env.cr,
            "sms_sms_sms_notify_outgoing_index",
            self._table,
            ["id"],
            where="state = 'outgoing'",
        )
        return result

    @api.model
    def _sms_notify_default_company(self):
        """The company a new message is sent and paid for. The chatter, the composer and the
        rules name the document's company in the context (see
        ``mail.thread._notify_thread_by_sms``), as they name its department; but a context
        also comes from the client, so a user's messages stay with the user's own companies
        whatever it names (crons and rules run as the superuser, for any company)."""
        company = (
            self.env["res.company"].browse(self.env.context.get("sms_notify_company_id"))
            or self.env.company
        )
        if self.env.uid == SUPERUSER_ID or company in self.env.user.company_ids:
            return company
        if self.env.company in self.env.user.company_ids:
            return self.env.company
        return self.env.user.company_id

    @api.depends("body")
    def _compute_segmenting(self):
        for sms in self:
            analysis = gsm.analyze(sms.body or "")
            sms.encoding = analysis.encoding
            sms.segments = analysis.segments

    # ------------------------------------------------------------------
    # Queue: every message a gateway sends goes through it
    # ------------------------------------------------------------------

    def send(self, unlink_failed=False, unlink_sent=True, auto_commit=False, raise_exception=False):
        """With a gateway, sending means queueing and waking the queue at once.

        Only the queue worker talks to gateways: it commits each message as being handed over
        before calling the gateway, which a user's transaction cannot do, and so nothing is
        lost or sent twice when a worker dies mid-call."""
        self._sms_notify_check_may_change()
        queued = self._sms_notify_with_gateway()
        if queued:
            self._sms_notify_wake_queue()
        if queued == self:
            return None
        # the messages of a company without gateway go through Odoo IAP, as Odoo sends them
        return super(SmsSms, self - queued).send(
            unlink_failed=unlink_failed,
            unlink_sent=unlink_sent,
            auto_commit=auto_commit,
            raise_exception=raise_exception,
        )

    @api.model
    def _sms_notify_wake_queue(self, at=None):
        """Have the queue cron run at ``at`` (at once by default) rather than at its next
        scheduled run: nothing waits "within the hour"."""
        self.env.ref("sms.ir_cron_sms_scheduler_action").sudo()._trigger(at=at)

    def _sms_notify_check_may_change(self):
        """Sending, resending or cancelling messages through their public methods needs the
        right to change them (SMS Notify administrators): these methods are callable over RPC,
        and the composer and the chatter reach them as superuser once they checked the user's
        right to send."""
        if not self.env.su:
            self.check_access("write")

    def resend_failed(self):
        self._sms_notify_check_may_change()
        return super().resend_failed()

    def action_set_canceled(self):
        self._sms_notify_check_may_change()
        return super().action_set_canceled()

    def action_set_error(self, failure_type):
        self._sms_notify_check_may_change()
        return super().action_set_error(failure_type)

    def action_set_outgoing(self):
        self._sms_notify_check_may_change()
        return super().action_set_outgoing()

    def _sms_notify_where(self, fname, predicate):
        """``filtered()`` on one field, read for the whole set at once: a queue batch is
        filtered several times, and ``filtered()`` reads each record on its own."""
        return self.browse(
            [
                record_id
                for record_id, value in zip(self._ids, self.mapped(fname), strict=True)
                if predicate(value)
            ]
        )

    def _sms_notify_account(self, company=None):
        """The SMS balance of ``company`` (by default the company of these messages, which
        must have one), or an empty recordset when it has none yet."""
        company = company or self.company_id.ensure_one()
        return self.env["sms.notify.account"].sudo()._get_for_company(company, create=False)

    def _sms_notify_with_gateway(self):
        """The messages of ``self`` whose company sends through gateways; those of other
        companies go through Odoo IAP."""
        by_company = self.sudo().grouped("company_id")
        if not by_company:
            return self.browse()
        sending = (
            self.env["sms.notify.gateway"]
            .sudo()
            ._get_companies_sending(self.env["res.company"].union(*by_company))
        )
        sent_ids = {
            sms_id
            for company, messages in by_company.items()
            if company in sending
            for sms_id in messages._ids
        }
        return self.browse([sms_id for sms_id in self._ids if sms_id in sent_ids])

    @api.model
    def _process_queue(self, ids=None):
        if not self.env["sms.notify.gateway"].sudo().search_count([], limit=1):
            return super()._process_queue(ids=ids)
        auto_commit = not getattr(threading.current_thread(), "testing", False)
        self._sms_notify_recover_dispatches()
        self._sms_notify_reconcile_stale()
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
                super(SmsSms, without_gateway)._send(unlink_failed=False, unlink_sent=True)
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
        self.env["ir.cron"]._notify_progress(done=done, remaining=0)
        return None

    @api.model
    def _sms_notify_due_count(self, ids=None):
        """How many messages the queue would take now (see ``_sms_notify_claim``)."""
        query = """
            SELECT COUNT(*) FROM sms_sms
             WHERE state = 'outgoing'
               AND to_delete IS NOT TRUE
               AND (next_try_datetime IS NULL OR next_try_datetime <= %(now)s)
               {ids}
        """.format(ids="AND id = ANY(%(ids)s)" if ids else "")
        self.env.flush_all()
        self.env.cr.execute(query, {"now": fields.Datetime.now(), "ids": ids})
        return self.env.cr.fetchone()[0]

    def _sms_notify_claim(self, limit, ids=None, auto_commit=True):
        """Take up to ``limit`` due messages for this worker and check them; commit a
        dispatch naming the sendable ones, their gateway and the identifiers planned for them
        (what is asked about them after a crash). Return ``({gateway: messages}, dispatch
        ids, messages of companies without gateway, how many messages were taken)``, or
        ``None`` when nothing was due.

        Each message is routed, priced and charged for its own company: its gateways, its
        balance and tariff, its sender name, its country for numbers without a country code.

        The batch stays locked in this worker's transaction until its answers are committed:
        ``SKIP LOCKED`` lets other workers (or servers) share the queue without ever taking
        the same message, and each message's row is written once, with its answer, instead
        of once to mark it Processing and once more with the answer."""
        query = """
            SELECT id FROM sms_sms
             WHERE state = 'outgoing'
               AND to_delete IS NOT TRUE
               AND (next_try_datetime IS NULL OR next_try_datetime <= %(now)s)
               {ids}
          ORDER BY id
             LIMIT %(limit)s
               FOR UPDATE SKIP LOCKED
        """.format(ids="AND id = ANY(%(ids)s)" if ids else "")
        self.env.flush_all()  # the previous batch's answers must be in the table we query
        self.env.cr.execute(query, {"now": fields.Datetime.now(), "limit": limit, "ids": ids})
        batch = self.browse([row[0] for row in self.env.cr.fetchall()])
        if not batch:
            return None
        with_gateway = batch._sms_notify_with_gateway()
        routes = with_gateway._sms_notify_check_and_route()
        routes_by_company = defaultdict(dict)
        for gateway, messages in routes.items():
            routes_by_company[gateway.company_id][gateway] = messages
        # committed on the side, before any gateway call, while this transaction keeps the
        # batch locked: the debit and the dispatch together
        with self._sms_notify_side_cursor(auto_commit) as cr:
            if cr is not self.env.cr:
                # a balance must be read after its account's lock is granted, not as it was
                # when the transaction began: the charge of a worker holding the lock is then
                # counted
                cr.execute("SET TRANSACTION ISOLATION LEVEL READ COMMITTED")
            routes = {}
            # accounts are locked in the same order by every worker: no deadlock between two
            # workers charging the same companies
            for company in sorted(routes_by_company, key=lambda company: company.id):
                company_routes = routes_by_company[company]
                account = self._sms_notify_account(company)
                if account.tariff_id:
                    company_routes = self._sms_notify_charge(account, company_routes, cr)
                routes.update(company_routes)
            dispatch_values = [
                {
                    "gateway_id": gateway.id,
                    "planned": list(
                        zip(
                            messages._ids,
                            messages.mapped("number"),
                            messages.mapped("external_id"),
                            messages.mapped("price"),
                            strict=True,
                        )
                    ),
                }
                for gateway, messages in routes.items()
            ]
            dispatch_ids = self.env(cr=cr)["sms.notify.dispatch"].sudo().create(dispatch_values).ids
        return routes, dispatch_ids, batch - with_gateway, len(batch)

    def _sms_notify_charge(self, account, routes, cr):
        """Charge the routed messages, all of the account's company, to its balance on ``cr``
        (which reads committed data, see ``_sms_notify_claim``); fail the ones it does not
        cover. Return the routes of the charged ones."""
        messages = self.browse()
        for routed in routes.values():
            messages |= routed
        # the ledger is written on the side cursor; the messages, and the price each one is
        # given, stay in this transaction with the rest of their claim
        refused, balance = account.with_env(account.env(cr=cr))._sms_notify_charge(messages)
        if refused:
            currency = account.currency_id
            refused._sms_notify_fail(
                refused.gateway_id[:1],
                "sms_credit",
                self.env._(
                    "Not sent: the SMS balance (%(balance)s %(currency)s) does not cover it. "
                    "Top up the balance in SMS Notify › Balance, then resend the message.",
                    balance=pricing.amount_text(balance),
                    currency=currency.name,
                ),
            )
        return {
            gateway: charged for gateway, routed in routes.items() if (charged := routed - refused)
        }

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
        # dispatches written before prices were planned have three values per message
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
                number, reference, *price = planned[sms_id]
                self.browse(sms_id).sudo().write(
                    {
                        "state": "process",
                        "gateway_id": dispatch.gateway_id.id,
                        "number": number,
                        "external_id": reference or False,
                        "claimed_datetime": dispatch.create_date,
                        # its debit was committed with the dispatch
                        "price": price[0] if price else 0,
                    }
                )
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
                messages._sms_notify_fail(
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
                        {"external_id": report.external_id, "sent_datetime": sms.claimed_datetime}
                    )
                    sms._sms_notify_apply_delivery(state, report.failure_type or False)
                else:
                    sms._sms_notify_refund(
                        self.env._(
                            "Not received by %(gateway)s, queued again", gateway=gateway.name
                        )
                    )
                    sms.write(
                        {"state": "outgoing", "claimed_datetime": False, "external_id": False}
                    )

    def _sms_notify_check_and_route(self):
        """Fail or cancel what must not be sent; mark the others Processing, with their number
        in E.164, the gateway that sends to it and the identifiers the gateway will know them
        by where its client chooses them (see ``GatewayClient.plan``). Return
        ``{gateway: messages}`` for the sendable ones, each sent by a gateway of its own
        company."""
        now = fields.Datetime.now()
        sendable = self._sms_notify_cancel_expired()._sms_notify_refuse_too_long()
        sendable = sendable._sms_notify_refuse_unrendered()
        e164_numbers = sendable._sms_notify_normalize_numbers()
        e164_numbers = self._sms_notify_refuse_without_consent(e164_numbers)
        routes = {}
        for company, messages in self.browse(list(e164_numbers)).grouped("company_id").items():
            routes.update(messages._sms_notify_route(company, e164_numbers, now))
        return routes

    def _sms_notify_route(self, company, e164_numbers, now):
        """Route these messages of ``company`` to its gateways (see
        ``_sms_notify_check_and_route``)."""
        gateways = self.env["sms.notify.gateway"].sudo()._get_candidates(company)
        by_id = {gateway.id: gateway for gateway in gateways}
        decision = routing.route(
            gateways._sms_notify_routing_data(),
            [(sms_id, e164_numbers[sms_id]) for sms_id in self._ids],
            # a device is taken for this worker when the first message goes to it; one
            # another worker took meanwhile leaves the next gateway the message
            take=lambda gateway_id: by_id[gateway_id]._sms_notify_take(),
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
                        ),
                    )
                continue
            outgoing = [
                dataclasses.replace(message, number=e164_numbers[sms.id], external_id=None)
                for sms, message in zip(routed, routed._sms_notify_outgoing(gateway), strict=True)
            ]
            for message in gateway._get_client().plan(outgoing):
                values.append(
                    {
                        "state": "process",
                        "claimed_datetime": now,
                        "number": message.number,
                        "gateway_id": gateway.id,
                        "external_id": message.external_id or False,
                    }
                )
            messages |= routed
            routed_by_gateway[gateway] = routed
        # written together with the answers (see _sms_notify_claim)
        messages.sudo()._sms_notify_write_later(values)
        return routed_by_gateway

    def _sms_notify_wait_for_capacity(self, gateway):
        """Keep these messages queued until ``gateway``, the one that sends to their number,
        takes messages again (see ``sms.notify.gateway._sms_notify_capacity``). Nothing was
        tried, so no attempt is counted."""
        now = fields.Datetime.now()
        retry_at = gateway._sms_notify_capacity_available_at() or now + timedelta(
            seconds=CAPACITY_RETRY_SECONDS
        )
        self.sudo().write(
            {
                "state": "outgoing",
                "gateway_id": gateway.id,
                "gateway_error": gateway._sms_notify_waiting_reason(),
                "next_try_datetime": max(retry_at, now),
                "claimed_datetime": False,
                "external_id": False,
            }
        )
        self._sms_notify_wake_queue(at=max(retry_at, now))

    def _sms_notify_outgoing(self, gateway):
        """The messages, all of the gateway's company, as the gateway client sees them."""
        account = self._sms_notify_account(gateway.company_id)
        sender = (account and account._sms_notify_sender()) or gateway.sender
        # a column at a time: the ORM reads a field for many records much faster than many
        # fields record by record
        return [
            OutgoingSms(
                uuid=uuid,
                number=number,
                body=body,
                sender=sender,
                valid_until=valid_until or None,
                external_id=external_id or None,
            )
            for uuid, number, body, valid_until, external_id in zip(
                self.mapped("uuid"),
                self.mapped("number"),
                self.mapped("body"),
                self.mapped("valid_until"),
                self.mapped("external_id"),
                strict=True,
            )
        ]

    def _send(self, unlink_failed=False, unlink_sent=True, raise_exception=False):
        """Odoo's own paths (its ``send``, its queue) reach the gateways only through the
        queue: the messages of a company with gateways are left to it and wake it, the others
        go through Odoo IAP as Odoo sends them."""
        queued = self._sms_notify_with_gateway()
        if queued:
            # only the queue worker may call a gateway (see send())
            self._sms_notify_wake_queue()
        if queued == self:
            return None
        return super(SmsSms, self - queued)._send(
            unlink_failed=unlink_failed,
            unlink_sent=unlink_sent,
            raise_exception=raise_exception,
        )

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

    def _sms_notify_cancel_expired(self):
        """Cancel the messages whose validity ended before they could be handed over; return
        the others."""
        now = fields.Datetime.now()
        expired = self._sms_notify_where(
            "valid_until", lambda valid_until: valid_until and valid_until <= now
        )
        expired._sms_notify_cancel(
            "sms_expired", self.env._("Not sent: its validity ended before sending.")
        )
        return self - expired

    def _sms_notify_cancel(self, failure_type, reason):
        """Not to be sent at all: cancelled with the reason, in the history and the chatter."""
        self.sudo()._update_sms_state_and_trackers(
            "canceled",
            failure_type=failure_type,
            failure_reason=reason,
            values={"gateway_error": reason, "status_datetime": fields.Datetime.now()},
        )

    def _sms_notify_refuse_without_consent(self, e164_numbers):
        """Cancel the messages their recipient did not agree to receive (see
        ``tools/consent.py``); return ``e164_numbers`` without them."""
        if not e164_numbers:
            return e164_numbers
        messages = self.browse(list(e164_numbers)).sudo()
        blacklisted = set(
            self.env["phone.blacklist"]
            .sudo()
            .search([("number", "in", list(set(e164_numbers.values())))])
            .mapped("number")
        )
        refused = defaultdict(list)
        for sms, kind in zip(messages, messages.mapped("sms_kind"), strict=True):
            partner = sms.partner_id
            reason = consent.refusal(
                kind,
                blacklisted=e164_numbers[sms.id] in blacklisted,
                customer=bool(partner),
                opted_out=partner.sms_notify_opt_out,
                advertising_consent=partner.sms_notify_ad_consent,
            )
            if reason:
                refused[reason].append(sms.id)
        for reason, sms_ids in refused.items():
            failure_type, text = self._sms_notify_consent_refusal(reason)
            self.browse(sms_ids)._sms_notify_cancel(failure_type, text)
        refused_ids = {sms_id for sms_ids in refused.values() for sms_id in sms_ids}
        return {
            sms_id: number for sms_id, number in e164_numbers.items() if sms_id not in refused_ids
        }

    def _sms_notify_consent_refusal(self, reason):
        """``(failure type, what the user reads)`` of a consent refusal."""
        return {
            consent.BLACKLISTED: (
                "sms_blacklist",
                self.env._("Not sent: the number is on the SMS blacklist."),
            ),
            consent.OPTED_OUT: (
                "sms_optout",
                self.env._(
                    "Not sent: the customer asked not to receive SMS (No SMS on their contact)."
                ),
            ),
            consent.NO_ADVERTISING_CONSENT: (
                "sms_optout",
                self.env._(
                    "Not sent: the customer has not agreed to SMS promotions. Send it as a "
                    "service message if it is not a promotion, or record their consent first."
                ),
            ),
        }[reason]

    def _sms_notify_refuse_too_long(self):
        """Fail the messages over the segment limit before any gateway call; return the
        others. The composer refuses them already; this catches every other way in."""
        limit = self._sms_notify_max_segments()
        too_long = self._sms_notify_where("segments", lambda segments: limit and segments > limit)
        for sms in too_long:
            sms._sms_notify_fail(
                sms.gateway_id,
                "unknown",
                self.env._(
                    "The message needs %(segments)s SMS, more than the limit of %(limit)s: "
                    "shorten it, or raise the limit in the settings.",
                    segments=sms.segments,
                    limit=limit,
                ),
            )
        return self - too_long

    def _sms_notify_refuse_unrendered(self):
        """Cancel, before any charge or gateway call, the messages whose text is empty or
        still holds a token or placeholder (see ``tokens.unrendered_reason``); return the
        others. The composer refuses them already; this catches every other way in."""
        refused = self.browse()
        for sms, body in zip(self, self.sudo().mapped("body"), strict=True):
            if reason := tokens.unrendered_reason(body):
                text = self._sms_notify_unrendered_text(reason, body)
                sms._sms_notify_cancel("unknown", self.env._("Not sent: %(reason)s", reason=text))
                refused |= sms
        return self - refused

    @api.model
    def _sms_notify_unrendered_text(self, reason, body):
        """What the user reads about a text ``tokens.unrendered_reason`` refuses."""
        if reason == tokens.EMPTY_TEXT:
            return self.env._("the text is empty. Write the message, or pick an SMS template.")
        if reason == tokens.UNKNOWN_TOKEN:
            return self.env._(
                "the text still holds %(tokens)s, which no token of the document fills in. "
                "Pick tokens from the palette beside the template's text.",
                tokens=", ".join(f":{code}:" for code in tokens.find_tokens(body)),
            )
        return self.env._(
            "the text holds a placeholder that was not filled in ({{ without }}, or an "
            "expression that could not be read). Correct the text or its template."
        )

    @api.model
    def _sms_notify_max_segments(self):
        return int(
            self.env["ir.config_parameter"]
            .sudo()
            .get_param(MAX_SEGMENTS_PARAM, DEFAULT_MAX_SEGMENTS)
        )

    def _sms_notify_normalize_numbers(self):
        """Fail the messages no SMS can reach, before any gateway call; return
        ``{sms id: E.164 number}`` for the others."""
        e164_numbers = {}
        # a number without its country code is read in the country of the message's company
        for company, messages in self.sudo().grouped("company_id").items():
            company_country = company.country_id.code
            for sms, number in zip(messages, messages.mapped("number"), strict=True):
                # the customer's country only matters to a number without its country code
                international = bool(number) and number.startswith("+")
                normalized = numbers.normalize(
                    number,
                    country_code=None if international else sms.partner_id.country_id.code,
                    company_country_code=company_country,
                    translate=self.env._,
                )
                if normalized.ok:
                    e164_numbers[sms.id] = normalized.e164
                else:
                    sms._sms_notify_fail(sms.gateway_id, normalized.failure_type, normalized.reason)
        return e164_numbers

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
        self._sms_notify_refund(
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
                    "external_id": False,
                }
            )
        if self:
            self._sms_notify_wake_queue(at=min(self.mapped("next_try_datetime") or [now]))

    def _sms_notify_store_results(self, gateway, results):
        """Store each gateway answer on its SMS and push the state to notifications/traces.

        Messages are kept (never marked for deletion): the history shows them until the
        retention period ends. Notifications and traces are updated once per outcome, not once
        per message: a mailing's batch usually has one or two outcomes for hundreds of SMS."""
        now = fields.Datetime.now()
        by_uuid = {result.uuid: result for result in results}
        messages = self.sudo()
        outcomes = defaultdict(list)
        own_values = defaultdict(list)
        unanswered = []
        # the claim gave them this gateway already, unless they come from elsewhere
        other_gateway = messages.gateway_id != gateway
        for sms_id, uuid, external_id, segments in zip(
            messages._ids,
            messages.mapped("uuid"),
            messages.mapped("external_id"),
            messages.mapped("segments"),
            strict=True,
        ):
            result = by_uuid.get(uuid)
            if result is None:
                unanswered.append(sms_id)
                continue
            outcome = (result.state, result.failure_type or False, result.error_message or False)
            outcomes[outcome].append(sms_id)
            # what the claim gave them already is left alone, so that most of a batch shares
            # its values and is written at once
            values = {"cost": result.cost}
            if result.external_id and result.external_id != external_id:
                values["external_id"] = result.external_id
            if result.segments and result.segments != segments:
                values["segments"] = result.segments
            own_values[tuple(sorted(values.items()))].append(sms_id)
        # kept in the cache: the claim's values and these reach the table in one UPDATE per
        # message when the batch is committed
        for items, sms_ids in own_values.items():
            messages.browse(sms_ids).write(dict(items))
        for (state, failure_type, reason), sms_ids in outcomes.items():
            values = {
                "gateway_error": reason,
                "sent_datetime": now if state != "error" else False,
                "status_datetime": now,
            }
            if other_gateway:
                values["gateway_id"] = gateway.id
            messages.browse(sms_ids)._update_sms_state_and_trackers(
                state, failure_type=failure_type, failure_reason=reason, values=values
            )
        refused_ids = [
            sms_id
            for (state, _failure, _reason), sms_ids in outcomes.items()
            if state == "error"
            for sms_id in sms_ids
        ]
        if refused_ids:
            messages.browse(refused_ids)._sms_notify_refund(
                self.env._("Refused by %(gateway)s", gateway=gateway.name)
            )
        if unanswered:
            messages.browse(unanswered)._sms_notify_fail(
                gateway, "unknown", "The gateway gave no answer for it."
            )
        if gateway.gateway_type == "sandbox":
            self._sms_notify_schedule_sandbox_reports(gateway)

    def _update_sms_state_and_trackers(
        self, new_state, failure_type=None, failure_reason=False, values=None
    ):
        """Move these messages to ``new_state``, with their notifications or traces, and
        update the chatter's icons: Odoo's own transition, which every outcome of the queue
        and of the delivery reports takes too.

        Extended with the reason the notifications and traces show (``failure_reason``) and
        the ``values`` written with the state (what the gateway said, the status date...).
        The trackers are updated for the whole set at once, and the chatter told once, not
        once per notification: callers group their messages by outcome."""
        if not self:
            return
        self.write({"state": new_state, "failure_type": failure_type, **(values or {})})
        # what sms_tracker_id computes, for the whole set in one search
        trackers = self.env["sms.tracker"].search([("sms_uuid", "in", self.mapped("uuid"))])
        trackers.with_context(sms_skip_msg_notification=True)._action_update_from_sms_state(
            new_state, failure_type=failure_type, failure_reason=failure_reason
        )
        self.mail_message_id._notify_message_notification_update()

    def _sms_notify_refund(self, reason):
        """Give back to the balance what these messages were charged (each one once)."""
        charged = self._sms_notify_where("price", bool)
        if not charged:
            return
        # to the balance that paid for them: their company's
        for company, refunded in charged.sudo().grouped("company_id").items():
            account = self._sms_notify_account(company)
            if account:
                account._sms_notify_refund(sum(refunded.mapped("price")), len(refunded), reason)
        charged.sudo().write({"price": 0})

    def _sms_notify_fail(self, gateway, failure_type, error, refund=True):
        if refund:
            self._sms_notify_refund(
                self.env._("Not sent: %(reason)s", reason=str(error))
                if len(self) == 1
                else self.env._("%(count)s SMS not sent", count=len(self))
            )
        self.sudo()._update_sms_state_and_trackers(
            "error",
            failure_type=failure_type,
            failure_reason=str(error),
            values={
                "gateway_id": gateway.id,
                "gateway_error": str(error),
                "status_datetime": fields.Datetime.now(),
            },
        )

    # ------------------------------------------------------------------
    # Delivery reports
    # ------------------------------------------------------------------

    def _sms_notify_apply_delivery(self, state, failure_type=False, reason=False, refund=True):
        """Record a delivery report: the SMS, its notification or trace, and the chatter icon.

        Only messages the report moves forward take it (``tools.states.may_move``): a late
        "still in progress" never takes a handed-over message back, and a delivered, failed or
        cancelled message keeps its state, its price and its notification.  ``refund=False``
        for reports whose sender bills itself (IAP): nothing of ours to give back.
        Returns the messages that took the report."""
        moving = self.filtered(lambda sms: may_move(sms.state, state))
        if not moving:
            return moving
        moving._sms_notify_record_delivery(state, failure_type, reason, refund)
        return moving

    def _sms_notify_record_delivery(self, state, failure_type, reason, refund):
        if refund and state == "error" and failure_type in NOT_CHARGED_FAILURES:
            self._sms_notify_refund(
                self.env._("Not charged by the operator: %(reason)s", reason=reason or failure_type)
            )
        self._update_sms_state_and_trackers(
            state,
            failure_type=failure_type,
            failure_reason=reason,
            values={"status_datetime": fields.Datetime.now()},
        )

    @api.model
    def _sms_notify_apply_reports(self, gateway, reports):
        """Apply delivery reports of ``gateway`` to its messages, found by the gateway's own
        identifiers. A report for an unknown message, or one that would move a message back
        from a final state or back to an earlier step, changes nothing: reports may come twice
        or out of order.

        Identifiers holding a phone (``"<id>:<phone>"``, SMSC) match on the phone's digits,
        whatever spelling the vendor reports it in."""
        by_key = {
            numbered_reference_key(report.external_id): report
            for report in reports
            if report.external_id
        }
        messages = self.search(
            [("gateway_id", "=", gateway.id), *self._sms_notify_external_id_domain(by_key)]
        )
        for sms in messages:
            report = by_key.get(numbered_reference_key(sms.external_id))
            if not report or not may_move(sms.state, report.state):
                continue
            sms._sms_notify_apply_delivery(
                report.state, report.failure_type or False, reason=report.error_message or False
            )
            if report.done_at:
                sms.status_datetime = report.done_at
        return messages

    @api.model
    def _sms_notify_external_id_domain(self, keys):
        """A domain finding the messages whose external id may have one of ``keys``
        (``numbered_reference_key`` forms): the exact ids, and for ``"<id>:<phone>"`` keys
        every message of that vendor id, whose phone is compared on its digits afterwards."""
        exact = [key for key in keys if numbered_reference_key(key) == key]
        prefixes = sorted({key.partition(":")[0] for key in keys if ":" in key})
        domains = [[("external_id", "in", exact)]] + [
            [("external_id", "=like", f"{prefix}:%")] for prefix in prefixes if prefix.isdigit()
        ]
        return expression.OR(domains)

    @api.model
    def _cron_poll_delivery_status(self, limit=1000):
        """Ask gateways that can be polled about the messages still waiting for a report."""
        waiting = self.search(
            [("state", "=", "pending"), ("gateway_id", "!=", False), ("external_id", "!=", False)],
            order="sent_datetime",
            limit=limit,
        )
        for gateway, messages in waiting.grouped("gateway_id").items():
            client = gateway._get_client()
            if not client.supports_status_query:
                continue
            try:
                reports = client.fetch_status(messages.mapped("external_id"))
            except GatewayError as error:
                gateway._record_error(error)
                continue
            self._sms_notify_apply_reports(gateway, reports)

    @api.model
    def _sms_notify_iap_waiting(self, uuids):
        """The messages an IAP delivery report may change: sent through IAP (no gateway of
        ours, or an IAP gateway, even archived since) and still waiting for their report."""
        return (
            self.with_context(active_test=False)
            .search(
                [
                    ("uuid", "in", list(uuids)),
                    ("state", "in", ("process", "pending")),
                    "|",
                    ("gateway_id", "=", False),
                    ("gateway_id.gateway_type", "=", "iap"),
                ]
            )
            .with_context(active_test=True)
        )

    def _sms_notify_apply_iap_status(self, iap_status):
        """Apply IAP's report; IAP bills its own credit, so nothing is ever refunded here."""
        state = IAP_ACCEPTED_STATES.get(iap_status)
        if state:
            return self._sms_notify_apply_delivery(state, refund=False)
        failure_type = f"sms_{iap_status}"
        if failure_type not in self.DELIVERY_ERRORS:
            failure_type = "unknown"
        return self._sms_notify_apply_delivery(
            "error", failure_type, reason=iap_status, refund=False
        )

    def _sms_notify_schedule_sandbox_reports(self, gateway):
        cron = self.env.ref("sms_notify.ir_cron_sandbox_delivery_reports", raise_if_not_found=False)
        if cron:
            delay = timedelta(seconds=gateway.sandbox_delivery_delay)
            cron.sudo()._trigger(at=fields.Datetime.now() + delay)

    @api.model
    def _cron_sandbox_delivery_reports(self):
        """Play the operator for the sandbox: report each waiting message once its delay passed."""
        now = fields.Datetime.now()
        waiting = self.search(
            [("state", "=", "pending"), ("gateway_id.gateway_type", "=", "sandbox")]
        )
        outcomes = defaultdict(lambda: self.browse())
        next_report = False
        for sms in waiting:
            report_at = sms.sent_datetime + timedelta(seconds=sms.gateway_id.sandbox_delivery_delay)
            if report_at <= now:
                outcomes[sandbox.delivery_outcome(sms.number)] |= sms
            else:
                next_report = min(next_report or report_at, report_at)
        for (state, failure_type), reported in outcomes.items():
            reported._sms_notify_apply_delivery(state, failure_type)
        if next_report:
            cron = self.env.ref("sms_notify.ir_cron_sandbox_delivery_reports")
            cron.sudo()._trigger(at=next_report)

    # ------------------------------------------------------------------
    # History retention
    # ------------------------------------------------------------------

    @api.autovacuum
    def _gc_device(self):
        """Keep sent SMS as history instead of deleting them at once.

        Odoo deletes every sent SMS at the next clean-up; here a message in a final state is
        deleted only once it is older than the retention period (0 keeps it forever).
        """
        days = int(
            self.env["ir.config_parameter"]
            .sudo()
            .get_param(RETENTION_PARAM, DEFAULT_RETENTION_DAYS)
        )
        if days <= 0:
            return
        cutoff = fields.Datetime.now() - timedelta(days=days)
        self.env.cr.execute(
            """DELETE FROM sms_sms
                WHERE state IN ('pending', 'sent', 'error', 'canceled')
                  AND create_date < %s""",
            [cutoff],
        )
        _logger.info("Deleted %d SMS older than %d days", self.env.cr.rowcount, days)
