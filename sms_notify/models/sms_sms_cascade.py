"""Viber first, SMS when Viber does not reach the customer.

A notification sent *Viber then SMS* is a chain of ``sms.sms`` attempts: the Viber message
first, and the SMS that follows it (``cascade_origin_id``) when Viber cannot reach the number,
fails, or has not reported delivery within the wait the user set. ``tools.cascade`` decides;
this file does what it decides, in the queue's transaction:

* a Viber attempt's failure (its gateway's answer, a delivery report, a refusal in the queue)
  creates its SMS at once, which the queue sends like any other;
* the wait starts when the gateway accepted the Viber message (``cascade_deadline``); the
  queue, woken at that moment, sends the SMS of every attempt still undelivered by then;
* once the SMS exists nothing more is sent: a Viber report arriving later is recorded on its
  attempt, and the notification or mailing trace, which the SMS took over, keeps the SMS's
  outcome;
* a gateway that cascades itself (``GatewayClient.vendor_cascade``) gets the SMS text with the
  Viber message and sends it on its own; the SMS attempt is created from its report on the SMS
  channel (or when it reports Viber failed) and charged then.
"""

from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools.sql import create_index, create_unique_index, drop_index

from ..tools import cascade, kinds, schedule, viber

#: what the users pick per template, rule, Notify and campaign
DELIVERY_MODES = [
    (cascade.SMS_ONLY, "SMS only"),
    (cascade.VIBER_ONLY, "Viber only"),
    (cascade.VIBER_THEN_SMS, "Viber, then SMS"),
]
CHANNELS = [(cascade.SMS, "SMS"), (cascade.VIBER, "Viber")]
#: the wait for Viber's delivery report a new template, rule or campaign starts with
DEFAULT_WAIT_MINUTES = 15
#: the days of history the expected cost of a cascade reads Viber's reach from
VIBER_SHARE_DAYS = 30


# sms.sms is split into files by concern (see sms_sms.py): one class per file on purpose
class SmsSmsCascade(models.Model):
    _inherit = "sms.sms"  # pylint: disable=consider-merging-classes-inherited

    channel = fields.Selection(
        CHANNELS,
        required=True,
        readonly=True,
        default=cascade.SMS,
        help="SMS, or a Viber business message.",
    )
    delivery_mode = fields.Selection(
        DELIVERY_MODES,
        readonly=True,
        default=cascade.SMS_ONLY,
        help="How the notification this message belongs to goes out: Viber then SMS sends "
        "the SMS when Viber cannot reach the customer or does not report delivery in time.",
    )
    fallback_body = fields.Text(
        string="Fallback SMS Text",
        readonly=True,
        help="The SMS sent when this Viber message does not reach the customer.",
    )
    fallback_wait = fields.Integer(
        string="Wait for Viber (seconds)",
        readonly=True,
        help="How long Viber may take to report delivery before the SMS goes.",
    )
    viber_image_url = fields.Char(string="Viber Image", readonly=True)
    viber_button_text = fields.Char(string="Viber Button", readonly=True)
    viber_button_url = fields.Char(string="Viber Button Link", readonly=True)
    cascade_origin_id = fields.Many2one(
        "sms.sms",
        string="Follows",
        readonly=True,
        # unique where set: one SMS per Viber message (see init)
        ondelete="set null",
        help="The Viber message this SMS was sent after, because it did not reach the customer.",
    )
    cascade_fallback_ids = fields.One2many(
        "sms.sms", "cascade_origin_id", string="Fallback SMS", readonly=True
    )
    cascade_deadline = fields.Datetime(
        string="SMS Not Before",
        readonly=True,
        copy=False,
        help="When the SMS goes if Viber has not reported delivery by then.",
    )
    cascade_reference = fields.Char(
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="The gateway's identifier of the cascade it runs itself (Viber, then its own "
        "SMS), which its reports on each channel name.",
    )

    def init(self):
        result = super().init()
        # one SMS per Viber message, whatever two workers handling two reports at once decide:
        # the second one's insert waits for the first and fails, and its request is retried
        create_unique_index(
            self.env.cr,
            "sms_sms_cascade_origin_unique",
            self._table,
            ["cascade_origin_id"],
        )
        drop_index(self.env.cr, "sms_sms__cascade_origin_id_index", self._table)
        # every queue run looks for the waits that are over, among the attempts still waiting
        create_index(
            self.env.cr,
            "sms_sms_cascade_deadline_index",
            self._table,
            ["cascade_deadline"],
            where="cascade_deadline IS NOT NULL AND state IN ('process', 'pending')",
        )
        # the expected cost of a cascade reads the company's Viber messages of the last days
        create_index(
            self.env.cr,
            "sms_sms_viber_reach_index",
            self._table,
            ["company_id", "create_date"],
            where="channel = 'viber'",
        )
        return result

    @api.model_create_multi
    def create(self, vals_list):
        """Messages created in a Viber mode (the composer names it in the context, see
        ``sms.composer._sms_notify_send_context``) are Viber attempts: their text is the
        Viber text, and the SMS text they were created with waits as their fallback."""
        delivery = self.env.context.get("sms_notify_delivery") or {}
        mode = delivery.get("mode") or cascade.SMS_ONLY
        if mode != cascade.SMS_ONLY:
            viber_body = self.env.context.get("sms_notify_viber_body")
            for vals in vals_list:
                if "channel" in vals:
                    continue
                vals.update(self._sms_notify_viber_values(vals.get("body"), viber_body, delivery))
        return super().create(vals_list)

    @api.model
    def _sms_notify_viber_values(self, sms_text, viber_text, delivery):
        """The values of a Viber attempt whose SMS text is ``sms_text`` and Viber text
        ``viber_text`` (the SMS text when empty), sent as ``delivery`` says (its mode, wait,
        image and button)."""
        mode = delivery.get("mode") or cascade.VIBER_THEN_SMS
        return {
            "channel": cascade.VIBER,
            "delivery_mode": mode,
            "body": viber_text or sms_text,
            "fallback_body": sms_text if mode == cascade.VIBER_THEN_SMS else False,
            "fallback_wait": delivery.get("wait") or DEFAULT_WAIT_MINUTES * 60,
            "viber_image_url": delivery.get("image_url") or False,
            "viber_button_text": delivery.get("button_text") or False,
            "viber_button_url": delivery.get("button_url") or False,
        }

    # ------------------------------------------------------------------
    # The engine: each outcome of a Viber attempt decides its SMS
    # ------------------------------------------------------------------

    def _update_sms_state_and_trackers(
        self, new_state, failure_type=None, failure_reason=False, values=None
    ):
        """Every outcome passes here (see ``sms_sms.py``): a Viber attempt that failed sends
        its SMS, which takes the notification over before the failure could reach it; one
        the gateway accepted starts its wait."""
        if new_state == "sent":
            self._sms_notify_recall_queued_sms()
        cascading = self._sms_notify_cascading()
        if cascading and new_state == "error" and self.env.context.get("sms_notify_maybe_sent"):
            # the gateway may hold the Viber message and, cascading itself, send its SMS: the
            # suite sends none of its own (see sms_sms_queue._sms_notify_reconcile_stale)
            cascading -= cascading.filtered(lambda sms: sms.gateway_id._type_class().vendor_cascade)
        if cascading and new_state == "error":
            # a gateway that accepted the Viber message with its SMS sends the SMS itself when
            # its report says so (see DeliveryReport.vendor_falls_back); otherwise the suite does
            by_vendor = self.browse()
            if self.env.context.get("sms_notify_vendor_falls_back"):
                by_vendor = cascading._sms_notify_where("cascade_reference", bool)
            for gateway, attempts in by_vendor.grouped("gateway_id").items():
                attempts._sms_notify_fall_back(handed_over=gateway)
            (cascading - by_vendor)._sms_notify_fall_back()
        result = super()._update_sms_state_and_trackers(
            new_state, failure_type=failure_type, failure_reason=failure_reason, values=values
        )
        if cascading and new_state == "pending":
            cascading._sms_notify_start_wait()
        return result

    def _sms_notify_recall_queued_sms(self):
        """Viber delivered these messages before their SMS left the queue: the SMS is
        cancelled, and the notification or trace it had taken over goes back to the Viber
        message, whose delivery it then shows."""
        viber_sent = self._sms_notify_where("channel", lambda channel: channel == cascade.VIBER)
        queued = viber_sent.sudo().cascade_fallback_ids.filtered(
            lambda sms: sms.state == "outgoing"
        )
        if not queued:
            return
        queued._sms_notify_hand_trackers_over(queued.cascade_origin_id)
        queued._sms_notify_cancel(
            "sms_duplicate", self.env._("Not sent: Viber delivered the message first.")
        )

    def _sms_notify_cascading(self):
        """The Viber attempts of ``self`` whose SMS may still have to go: sent *Viber then
        SMS*, no SMS yet."""
        candidates = self._sms_notify_where("channel", lambda channel: channel == cascade.VIBER)
        candidates = candidates._sms_notify_where(
            "delivery_mode", lambda mode: mode == cascade.VIBER_THEN_SMS
        )
        return candidates.filtered(lambda sms: not sms.cascade_fallback_ids)

    def _sms_notify_start_wait(self):
        """The SMS of these accepted Viber attempts goes at their deadline unless Viber reports
        delivery first; the queue is woken then. A gateway cascading itself keeps its own
        wait."""
        own = self.filtered(lambda sms: not sms.cascade_reference and sms.sent_datetime)
        for sms in own:
            sms.cascade_deadline = sms.sent_datetime + timedelta(seconds=sms.fallback_wait)
        if own:
            self._sms_notify_wake_queue(at=min(own.mapped("cascade_deadline")))

    @api.model
    def _sms_notify_fall_back_overdue(self):
        """Send the SMS of every Viber attempt whose wait is over without a delivery report
        (the queue does it first on each run)."""
        now = fields.Datetime.now()
        overdue = self.search(
            [
                ("cascade_deadline", "<=", now),
                ("state", "in", ("process", "pending")),
                ("cascade_fallback_ids", "=", False),
            ]
        )
        due = overdue.filtered(
            lambda sms: (
                cascade.next_step(
                    sms.delivery_mode,
                    [cascade.Attempt(cascade.VIBER, sms.state, sms.sent_datetime)],
                    now,
                    sms.fallback_wait,
                ).action
                == cascade.SEND_SMS
            )
        )
        due._sms_notify_fall_back()
        return due

    def _sms_notify_fall_back(self, handed_over=None):
        """Create the SMS of these Viber attempts and give it their notification or trace.

        ``handed_over`` names the gateway that sent the SMS on its own (a vendor cascade): the
        SMS is then recorded as handed over to it, and charged, instead of queued. Return the
        SMS created."""
        attempts = self._sms_notify_cascading().sudo()
        if not attempts:
            return self.browse()
        # written, not only read: a second transaction deciding the same SMS meanwhile fails
        # to write them and is retried, and then finds the SMS this one created
        attempts.flush_recordset(["cascade_deadline"])
        self.env.cr.execute(
            "UPDATE sms_sms SET cascade_deadline = NULL WHERE id = ANY(%s)", [list(attempts.ids)]
        )
        attempts.invalidate_recordset(["cascade_deadline"])
        values = []
        for sms in attempts:
            sms_values = sms._sms_notify_fallback_values()
            if handed_over:
                sms_values.update(
                    {
                        "state": "pending",
                        "gateway_id": handed_over.id,
                        "cascade_reference": sms.cascade_reference,
                        "sent_datetime": fields.Datetime.now(),
                    }
                )
            values.append(sms_values)
        fallbacks = self.sudo().create(values)
        attempts._sms_notify_hand_trackers_over(fallbacks)
        if handed_over:
            fallbacks._sms_notify_charge_handed_over(handed_over)
        else:
            self._sms_notify_wake_queue()
        return fallbacks

    def _sms_notify_fallback_values(self):
        """The SMS that follows this Viber attempt: its fallback text to the same customer,
        for the same document, company, kind and validity. Addons add their links (the
        mailing)."""
        self.ensure_one()
        return {
            "channel": cascade.SMS,
            "delivery_mode": cascade.VIBER_THEN_SMS,
            "cascade_origin_id": self.id,
            "body": self.fallback_body or self.body,
            "number": self.number,
            "partner_id": self.partner_id.id,
            "mail_message_id": self.mail_message_id.id,
            "company_id": self.company_id.id,
            "message_kind": self.message_kind,
            "sms_notify_team_id": self.sms_notify_team_id.id,
            "template_id": self.template_id.id,
            "preferred_gateway_id": self.preferred_gateway_id.id,
            "valid_until": self.valid_until,
            "send_after": self._sms_notify_fallback_not_before(),
            "state": "outgoing",
        }

    def _sms_notify_fallback_not_before(self):
        """A promotion's SMS due during the quiet hours on its recipient's clock waits for
        their end, as the promotion itself did (a notification's goes when it is due)."""
        self.ensure_one()
        if kinds.message_kind(self.message_kind) != kinds.ADVERTISING:
            return False
        quiet = self.company_id._sms_notify_quiet_hours(kinds.ADVERTISING)
        now = fields.Datetime.now()
        tz = self.partner_id.tz or self.company_id.partner_id.tz or "UTC"
        wake = schedule.after_quiet_hours(now, quiet, tz)
        return wake if wake != now else False

    def _sms_notify_hand_trackers_over(self, fallbacks):
        """The notification (chatter) and tracker of each of these messages follow the
        message of ``fallbacks`` in the same place from now on (a Viber attempt's, its SMS;
        an SMS recalled, its Viber attempt again): what the customer finally got is what they
        show. A mailing's trace keeps its link to the Viber message, whose id the tracked
        links of both texts carry; its tracker carries the status."""
        by_uuid = dict(zip(self.mapped("uuid"), fallbacks.mapped("uuid"), strict=True))
        trackers = self.env["sms.tracker"].sudo().search([("sms_uuid", "in", list(by_uuid))])
        for tracker in trackers:
            tracker.sms_uuid = by_uuid[tracker.sms_uuid]
        by_id = dict(zip(self.ids, fallbacks.ids, strict=True))
        notifications = (
            self.env["mail.notification"].sudo().search([("sms_id_int", "in", list(by_id))])
        )
        for notification in notifications:
            notification.sms_id_int = by_id[notification.sms_id_int]

    def _sms_notify_charge_handed_over(self, gateway):
        """Charge SMS a gateway sent on its own (a vendor cascade's): nothing without
        billing."""
        return None

    # ------------------------------------------------------------------
    # Reports of a gateway that cascades itself
    # ------------------------------------------------------------------

    @api.model
    def _sms_notify_apply_cascade_reports(self, gateway, reports):
        """Reports on the SMS a gateway sent on its own after a Viber message: the first one
        creates that SMS (charged, taking the notification over), every one moves it on.
        Return the reports that named no such cascade, for the usual matching."""
        cascade_reports = [
            report
            for report in reports
            if report.channel == cascade.SMS and report.cascade_reference
        ]
        if not cascade_reports:
            return reports
        references = {report.cascade_reference for report in cascade_reports}
        attempts = self.search(
            [
                ("gateway_id", "=", gateway.id),
                ("cascade_reference", "in", list(references)),
            ]
        )
        viber_attempts = {
            sms.cascade_reference: sms for sms in attempts if sms.channel == cascade.VIBER
        }
        sms_attempts = {
            sms.cascade_reference: sms for sms in attempts if sms.channel == cascade.SMS
        }
        unmatched = [report for report in reports if report not in cascade_reports]
        for report in cascade_reports:
            attempt = viber_attempts.get(report.cascade_reference)
            if not attempt:
                unmatched.append(report)
                continue
            fallback = sms_attempts.get(report.cascade_reference)
            if not fallback:
                fallback = attempt._sms_notify_fall_back(handed_over=gateway)
                if not fallback:
                    continue  # the SMS went through the queue already
                sms_attempts[report.cascade_reference] = fallback
            if report.gateway_reference and not fallback.gateway_reference:
                fallback.gateway_reference = report.gateway_reference
            fallback._sms_notify_apply_delivery(
                report.state, report.failure_type or False, reason=report.error_message or False
            )
            if report.done_at and report.state != "pending":
                fallback.status_datetime = report.done_at
        return unmatched

    @api.model
    def _sms_notify_viber_share(self, company, days=VIBER_SHARE_DAYS):
        """The share of ``company``'s Viber messages of the last ``days`` that Viber
        delivered (0 to 1), what the expected cost of a cascade counts on: a message Viber
        failed, or left silent until its SMS went, was not reached. ``None`` before any
        Viber message was delivered or failed."""
        self.flush_model(["company_id", "channel", "state", "cascade_origin_id"])
        self.env.cr.execute(
            """
            SELECT COUNT(*) FILTER (WHERE viber.state = 'sent'),
                   COUNT(*) FILTER (WHERE viber.state IN ('sent', 'error') OR EXISTS (
                       SELECT 1 FROM sms_sms sms WHERE sms.cascade_origin_id = viber.id))
              FROM sms_sms viber
             WHERE viber.company_id = %s AND viber.channel = 'viber'
               AND viber.create_date >= %s
            """,
            [company.id, fields.Datetime.now() - timedelta(days=days)],
        )
        reached, total = self.env.cr.fetchone()
        return reached / total if total else None

    # ------------------------------------------------------------------
    # Checks of a Viber attempt before it goes
    # ------------------------------------------------------------------

    def _sms_notify_viber_refusals(self):
        """``{sms: reason code}`` for the Viber attempts of ``self`` no vendor would take (see
        ``tools.viber.refusal``)."""
        refusals = {}
        for sms in self:
            if sms.channel != cascade.VIBER:
                continue
            reason = viber.refusal(
                sms.body,
                sms.viber_image_url,
                sms.viber_button_text,
                sms.viber_button_url,
            )
            if reason:
                refusals[sms] = reason
        return refusals

    @api.model
    def _sms_notify_check_viber_wait(self, mode, minutes, name):
        """Refuse, naming ``name`` (a template, a rule, a mailing), a wait for Viber of
        ``minutes`` out of Viber's bounds when it sends ``mode``."""
        if mode != cascade.VIBER_THEN_SMS:
            return
        try:
            cascade.check_wait((minutes or 0) * 60)
        except ValueError as error:
            raise ValidationError(
                self.env._("%(name)s: wait for Viber between 1 minute and 24 hours.", name=name)
            ) from error

    @api.model
    def _sms_notify_viber_refusal_text(self, reason):
        """What the user reads about a Viber message refused for ``reason``."""
        texts = {
            viber.EMPTY: self.env._("The Viber message has no text and no image."),
            viber.TEXT_TOO_LONG: self.env._(
                "The Viber text is longer than %(limit)s characters: shorten it.",
                limit=viber.MAX_TEXT,
            ),
            viber.BUTTON_TOO_LONG: self.env._(
                "The Viber button's caption is longer than %(limit)s characters: shorten it.",
                limit=viber.MAX_BUTTON_TEXT,
            ),
            viber.BUTTON_WITHOUT_LINK: self.env._(
                "The Viber button has a caption but no link: give it both, or neither."
            ),
            viber.LINK_WITHOUT_BUTTON: self.env._(
                "The Viber button has a link but no caption: give it both, or neither."
            ),
            viber.NOT_A_LINK: self.env._(
                "The Viber image and button link must be web addresses (http:// or https://)."
            ),
            viber.TEXT_WITH_IMAGE_NEEDS_BUTTON: self.env._(
                "Viber sends a text with an image only with a button: add a button, or send "
                "the image alone."
            ),
            viber.BUTTON_NEEDS_TEXT: self.env._("A Viber button needs a text above it."),
        }
        return texts.get(reason, reason)
