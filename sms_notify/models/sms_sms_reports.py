"""What becomes of a message once handed over: the gateway's answers, delivery reports
(pushed, polled, from IAP or played by the sandbox) and how long the history keeps it."""

import logging
from collections import defaultdict
from datetime import timedelta

from odoo import api, fields, models
from odoo.osv import expression

from ..tools import sandbox
from ..tools.gateway import GatewayError, numbered_reference_key
from ..tools.iap import IAP_ACCEPTED_STATES
from ..tools.states import may_move

_logger = logging.getLogger(__name__)

RETENTION_PARAM = "sms_notify.retention_days"
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


# sms.sms is split into files by concern (see sms_sms.py): one class per file on purpose
class SmsSmsReports(models.Model):
    _inherit = "sms.sms"  # pylint: disable=consider-merging-classes-inherited

    sms_notify_sandbox = fields.Boolean(
        string="Sandbox (not sent)",
        compute="_compute_sms_notify_sandbox",
        search="_search_sms_notify_sandbox",
        help="Handed to the sandbox gateway, which sends nothing: its Delivered or Error only "
        "plays the operator's report.",
    )

    def _sms_notify_sandbox_domain(self):
        """The messages a gateway that only plays the operator accepted: the same rule as the
        customer history's *Sandbox (not sent)* status (see sms_notify_message.py)."""
        return [
            ("gateway_id.gateway_type", "in", self.env["sms.notify.gateway"]._simulated_types()),
            ("sent_datetime", "!=", False),
            ("state", "in", ("pending", "sent", "error")),
        ]

    @api.depends("gateway_id.gateway_type", "sent_datetime", "state")
    def _compute_sms_notify_sandbox(self):
        simulated = self.env["sms.notify.gateway"]._simulated_types()
        for sms in self:
            sms.sms_notify_sandbox = bool(
                sms.gateway_id.gateway_type in simulated
                and sms.sent_datetime
                and sms.state in ("pending", "sent", "error")
            )

    def _search_sms_notify_sandbox(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            return NotImplemented
        domain = self._sms_notify_sandbox_domain()
        return domain if (operator == "=") == value else ["!", *expression.normalize_domain(domain)]

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
        for sms_id, uuid, gateway_reference, segments in zip(
            messages._ids,
            messages.mapped("uuid"),
            messages.mapped("gateway_reference"),
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
            values = {"vendor_cost": result.cost}
            if result.gateway_reference and result.gateway_reference != gateway_reference:
                values["gateway_reference"] = result.gateway_reference
            if result.segments and result.segments != segments:
                values["segments"] = result.segments
            if result.cascade_reference:
                values["cascade_reference"] = result.cascade_reference
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
            messages.browse(refused_ids)._sms_notify_release(
                self.env._("Refused by %(gateway)s", gateway=gateway.name)
            )
        if unanswered:
            messages.browse(unanswered)._sms_notify_fail(
                gateway, "unknown", "The gateway gave no answer for it."
            )
        client_class = gateway._type_class()
        if client_class and client_class.simulated_reports:
            self._sms_notify_schedule_sandbox_reports(gateway)

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
        if refund and state == "error":
            # Viber bills a business message only when it delivers it
            viber = self._sms_notify_where("channel", lambda channel: channel == "viber")
            viber._sms_notify_release(
                self.env._("Viber did not deliver it: %(reason)s", reason=reason or failure_type)
            )
            if failure_type in NOT_CHARGED_FAILURES:
                (self - viber)._sms_notify_release(
                    self.env._(
                        "Not charged by the operator: %(reason)s", reason=reason or failure_type
                    )
                )
        self._update_sms_state_and_trackers(
            state,
            failure_type=failure_type,
            failure_reason=reason,
            # the operator's reason stays with the message, as the history shows it
            values={
                "status_datetime": fields.Datetime.now(),
                **({"gateway_error": reason} if reason else {}),
            },
        )

    @api.model
    def _sms_notify_apply_reports(self, gateway, reports):
        """Apply delivery reports of ``gateway`` to its messages, found by the gateway's own
        identifiers. A report for an unknown message, or one that would move a message back
        from a final state or back to an earlier step, changes nothing: reports may come twice
        or out of order.

        Identifiers holding a phone (``"<id>:<phone>"``, SMSC) match on the phone's digits,
        whatever spelling the vendor reports it in. Reports on the SMS a gateway sent on its
        own after a Viber message go to that SMS (see ``sms_sms_cascade``)."""
        reports = self._sms_notify_apply_cascade_reports(gateway, reports)
        by_key = {
            numbered_reference_key(report.gateway_reference): report
            for report in reports
            if report.gateway_reference
        }
        messages = self.search(
            [("gateway_id", "=", gateway.id), *self._sms_notify_gateway_reference_domain(by_key)]
        )
        for sms in messages:
            report = by_key.get(numbered_reference_key(sms.gateway_reference))
            if not report or not may_move(sms.state, report.state):
                continue
            # a vendor cascading itself says whether it sends the SMS after a Viber failure
            sms.with_context(
                sms_notify_vendor_falls_back=report.vendor_falls_back
            )._sms_notify_apply_delivery(
                report.state, report.failure_type or False, reason=report.error_message or False
            )
            if report.done_at:
                sms.status_datetime = report.done_at
        return messages

    @api.model
    def _sms_notify_gateway_reference_domain(self, keys):
        """A domain finding the messages whose external id may have one of ``keys``
        (``numbered_reference_key`` forms): the exact ids, and for ``"<id>:<phone>"`` keys
        every message of that vendor id, whose phone is compared on its digits afterwards."""
        exact = [key for key in keys if numbered_reference_key(key) == key]
        prefixes = sorted({key.partition(":")[0] for key in keys if ":" in key})
        domains = [[("gateway_reference", "in", exact)]] + [
            [("gateway_reference", "=like", f"{prefix}:%")]
            for prefix in prefixes
            if prefix.isdigit()
        ]
        return expression.OR(domains)

    @api.model
    def _cron_poll_delivery_status(self, limit=1000):
        """Ask gateways that can be polled about the messages still waiting for a report."""
        waiting = self.search(
            [
                ("state", "=", "pending"),
                ("gateway_id", "!=", False),
                ("gateway_reference", "!=", False),
            ],
            order="sent_datetime",
            limit=limit,
        )
        for gateway, messages in waiting.grouped("gateway_id").items():
            client = gateway._get_client()
            if not client.supports_status_query:
                continue
            try:
                reports = client.fetch_status(messages.mapped("gateway_reference"))
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
                    ("gateway_id.gateway_type", "in", self.env["sms.notify.gateway"]._iap_types()),
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
        simulated = self.env["sms.notify.gateway"]._simulated_types()
        waiting = self.search(
            [("state", "=", "pending"), ("gateway_id.gateway_type", "in", simulated)]
        )
        outcomes = defaultdict(lambda: self.browse())
        next_report = False
        for sms in waiting:
            report_at = sms.sent_datetime + timedelta(seconds=sms.gateway_id.sandbox_delivery_delay)
            if report_at <= now:
                outcome = sandbox.delivery_outcome(sms.number, sms.channel)
                if outcome:
                    outcomes[outcome] |= sms
            else:
                next_report = min(next_report or report_at, report_at)
        for (state, failure_type), reported in outcomes.items():
            reported._sms_notify_apply_delivery(state, failure_type)
        if next_report:
            cron = self.env.ref("sms_notify.ir_cron_sandbox_delivery_reports")
            cron.sudo()._trigger(at=next_report)

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
