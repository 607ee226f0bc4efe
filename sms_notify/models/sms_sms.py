from odoo import SUPERUSER_ID, api, fields, models
from odoo.tools.sql import create_index, drop_index

from ..tools import gsm, kinds


class SmsSms(models.Model):
    _inherit = "sms.sms"
    # the queue writes a dozen columns to hundreds of rows per batch (see bulk_rows.py)
    _sms_notify_columnar_flush = True

    gateway_id = fields.Many2one(
        "sms.notify.gateway",
        readonly=True,
        index="btree_not_null",
        ondelete="restrict",
        help="The gateway that sent the message. Empty for messages sent through Odoo IAP "
        "without a configured gateway.",
    )
    preferred_gateway_id = fields.Many2one(
        "sms.notify.gateway",
        string="Send Through",
        readonly=True,
        ondelete="set null",
        # automatic rules hand their messages over with the gateway the rule names
        default=lambda self: self.env.context.get("sms_notify_gateway_id"),
        help="The gateway tried first for this message (the one its rule names). When it is "
        "down, has reached its daily limit or does not send to the number, the message goes "
        "through the company's other gateways as any other would. Only a gateway of the "
        "message's company is ever used.",
    )
    gateway_reference = fields.Char(
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
    vendor_cost = fields.Float(
        readonly=True,
        digits=(16, 4),
        help="What the gateway's vendor reported the message cost, in the vendor's currency "
        "(0 when it does not report it).",
    )
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
    send_after = fields.Datetime(
        string="Not Before",
        readonly=True,
        copy=False,
        help="The queue keeps the message until then: a promotion composed during the quiet "
        "hours waits for the morning on the recipient's clock. If its validity ends first, it "
        "is cancelled as expired instead.",
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
    message_kind = fields.Selection(
        kinds.MESSAGE_KIND_SELECTION,
        string="Kind",
        # no kind rather than a silent "service": the paths that send notifications say so,
        # and a message of unknown kind is priced and checked as advertising
        default=lambda self: self.env.context.get("sms_notify_message_kind") or False,
        help="Service: a notification the customer expects (order ready, reminder). "
        "Advertising: a promotion. Taken from the template, rule or campaign; decides the price "
        "and the consent the customer must have given. A message of no kind counts as "
        "advertising.",
    )
    sms_notify_team_id = fields.Many2one(
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
        help="The company the message is sent for: its gateways send it. The company of the "
        "document the message is about.",
    )
    template_id = fields.Many2one(
        "sms.template",
        readonly=True,
        index="btree_not_null",
        ondelete="set null",
        default=lambda self: self.env.context.get("sms_notify_template_id"),
        help="The template the text was written from.",
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
        # batch reads past every message already sent, and past every message waiting for
        # the morning (those it finds through the next index)
        drop_index(self.env.cr, "sms_sms_sms_notify_outgoing_index", self._table)
        create_index(
            self.env.cr,
            "sms_sms_sms_notify_due_index",
            self._table,
            ["id"],
            where="state = 'outgoing' AND send_after IS NULL",
        )
        # the messages that wait, by the moment the queue takes them: when they may go, or
        # when their validity ends first (see _sms_notify_claim)
        create_index(
            self.env.cr,
            "sms_sms_sms_notify_waiting_index",
            self._table,
            ["LEAST(send_after, valid_until)", "id"],
            where="state = 'outgoing' AND send_after IS NOT NULL",
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

    @api.depends("body", "channel")
    def _compute_segmenting(self):
        for sms in self:
            if sms.channel == "viber":
                # a Viber message is one message, whatever its length (up to 1,000 characters)
                sms.encoding = False
                sms.segments = 1
                continue
            analysis = gsm.analyze(sms.body or "")
            sms.encoding = analysis.encoding
            sms.segments = analysis.segments

    # ------------------------------------------------------------------
    # Sending: every message a gateway sends goes through the queue
    # (sms_sms_queue, sms_sms_checks, sms_sms_reports)
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
        # Odoo IAP sends SMS only: a Viber message of a company without gateways fails, and
        # sent Viber then SMS, its SMS follows through IAP
        viber = (self - queued)._sms_notify_where("channel", lambda channel: channel == "viber")
        viber._sms_notify_fail(
            self.env["sms.notify.gateway"],
            "sms_country_not_supported",
            self.env._(
                "No gateway of the company sends Viber messages: add one of a type that does "
                "(SMSC, Vonage), or send by SMS."
            ),
        )
        if queued | viber == self:
            return None
        return super(SmsSms, self - queued - viber)._send(
            unlink_failed=unlink_failed,
            unlink_sent=unlink_sent,
            raise_exception=raise_exception,
        )

    # ------------------------------------------------------------------
    # Outcomes: how a message leaves the queue
    # ------------------------------------------------------------------

    def _sms_notify_cancel(self, failure_type, reason):
        """Not to be sent at all: cancelled with the reason, in the history and the chatter."""
        self.sudo()._update_sms_state_and_trackers(
            "canceled",
            failure_type=failure_type,
            failure_reason=reason,
            values={"gateway_error": reason, "status_datetime": fields.Datetime.now()},
        )

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

    # ------------------------------------------------------------------
    # Billing hooks: nothing is charged without sms_notify_billing
    # ------------------------------------------------------------------

    def _sms_notify_reserve(self, company, routes, cr):
        """Reserve (charge) what these routed messages of ``company`` cost before any gateway
        call, on ``cr``, the side cursor the queue commits with the dispatch; fail the ones
        that cannot be paid for. ``routes`` is ``{gateway: messages}``; return the routes of
        the messages to send. Without billing every message is sent and nothing is charged."""
        return routes

    def _sms_notify_reserved(self):
        """What each message was charged, in ``self``'s order: kept in the dispatch, so that
        a message recovered after a crash keeps its charge (``_sms_notify_restore_reserved``)."""
        return [0] * len(self)

    def _sms_notify_restore_reserved(self, reserved):
        """Give a message recovered from a dispatch the charge ``reserved`` planned for it."""
        return None

    def _sms_notify_release(self, reason):
        """Give back what these messages were charged (each one once), e.g. when they were
        not sent or the operator did not charge them. Nothing to give back without billing."""
        return None

    def _sms_notify_sender(self, gateway):
        """The sender name these messages of ``gateway``'s company go out under: the
        gateway's own (billing imposes its tariff's)."""
        return gateway.sender

    def _sms_notify_fail(self, gateway, failure_type, error, refund=True):
        if refund:
            self._sms_notify_release(
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
