import logging
import zlib
from datetime import datetime, time, timedelta

import pytz

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from odoo.addons.sms_notify.tools import numbers
from odoo.addons.sms_notify.tools.gateway import GatewayError

# importing a client module registers its gateway type
from ..tools import android, modem, pdu  # noqa: F401
from ..tools.inbound import InboundSms, is_stop_request

_logger = logging.getLogger(__name__)
#: a modem another worker holds is asked again after this
MODEM_BUSY_SECONDS = 2

#: what the gateway form shows of a phone or modem
DEVICE_STATUSES = [
    ("available", "Available"),
    ("limit_reached", "Daily limit reached"),
    ("rebinding", "Re-binding"),
    ("unreachable", "Unreachable"),
]


class SmsNotifyGateway(models.Model):
    _inherit = "sms.notify.gateway"

    gateway_type = fields.Selection(
        selection_add=[
            ("gsm_modem", "GSM modem"),
            ("android", "Android phone (SMS Gateway for Android)"),
        ],
        ondelete={"gsm_modem": "set default", "android": "set default"},
    )
    daily_limit = fields.Integer(
        help="Messages this gateway sends per day at most (0: no limit), counted from "
        "midnight in the company's time zone. Once reached, messages go to the next gateway "
        "that sends to their number, or wait until the next day.",
    )
    sent_today = fields.Integer(
        compute="_compute_sent_today",
        help="Messages handed over to this gateway since midnight.",
    )
    device_state = fields.Selection(
        [(key, label) for key, label in DEVICE_STATUSES if key != "limit_reached"],
        string="Last Known State",
        readonly=True,
        copy=False,
        help="What the phone or modem answered the last time it was called.",
    )
    device_status = fields.Selection(
        DEVICE_STATUSES,
        string="Status",
        compute="_compute_device_status",
        help="Available: it sends. Daily limit reached: it sends again tomorrow. Re-binding: "
        "it answers but is not ready to send yet (it restarts its SMS service). Unreachable: "
        "it does not answer (switched off, asleep, on another network).",
    )
    android_signing_key = fields.Char(
        string="Webhook Signing Key",
        groups="base.group_system",
        copy=False,
        help="The signing key set in the app (Settings › Webhooks): calls from the phone "
        "without its signature are then refused.",
    )
    android_sim_number = fields.Integer(
        string="SIM Slot",
        help="SIM card the phone sends from (1, 2, ...); 0: the phone's default.",
    )

    # GSM modem
    modem_port = fields.Char(
        string="Port",
        help="The modem's serial port: a device (/dev/ttyUSB0, COM3) or a network serial "
        "port (socket://192.168.1.20:7000, rfc2217://192.168.1.20:7000). Changing the port "
        "clears the stored SIM PIN unless a Settings administrator changes it, so that the PIN "
        "never goes to a port it was not given for.",
    )
    modem_baudrate = fields.Integer(string="Baud Rate", default=modem.DEFAULT_BAUDRATE)
    modem_pin = fields.Char(
        string="SIM PIN",
        groups="base.group_system",
        help="Entered once when the modem asks for it. A PIN the SIM refuses is never tried "
        "again by itself: three wrong PINs block the SIM.",
    )
    modem_pin_refused = fields.Boolean(
        string="PIN Refused",
        readonly=True,
        help="The SIM refused the PIN: the modem sends nothing until the PIN is corrected.",
    )
    modem_smsc = fields.Char(
        string="SMS Centre Number",
        help="The operator's SMS centre, e.g. +79168999100. Empty: the one stored on the SIM.",
    )
    modem_text_mode = fields.Boolean(
        string="Text Mode",
        help="Send in text mode instead of PDU mode. PDU mode is needed for Cyrillic, Polish "
        "letters and emoji on most modems.",
    )
    modem_signal_dbm = fields.Integer(string="Signal (dBm)", readonly=True)
    modem_registration = fields.Char(string="Network", readonly=True)
    modem_operator = fields.Char(string="Operator", readonly=True)
    modem_checked_datetime = fields.Datetime(string="Checked On", readonly=True)

    _sql_constraints = [
        ("daily_limit_positive", "CHECK(daily_limit >= 0)", "The daily limit cannot be negative."),
    ]

    @api.constrains("daily_limit", "modem_baudrate", "android_sim_number")
    def _check_device_numbers(self):
        for gateway in self:
            if gateway.daily_limit < 0:
                raise ValidationError(
                    self.env._(
                        "%(gateway)s: the daily limit cannot be negative (0: no limit).",
                        gateway=gateway.name,
                    )
                )
            if gateway.modem_baudrate < 0 or gateway.android_sim_number < 0:
                raise ValidationError(
                    self.env._(
                        "%(gateway)s: the baud rate and the SIM slot cannot be negative (SIM "
                        "slot 0: the phone's default).",
                        gateway=gateway.name,
                    )
                )

    @api.model
    def _sms_notify_address_fields(self):
        return super()._sms_notify_address_fields() | {"modem_port"}

    @api.model
    def _sms_notify_device_types(self):
        """Gateway types that are a device of the business (a phone, a modem): they have a
        daily limit and a status."""
        return ["android", "gsm_modem"]

    def _sms_notify_is_device(self):
        self.ensure_one()
        return self.gateway_type in self._sms_notify_device_types()

    # daily limit

    def _sms_notify_timezone(self):
        self.ensure_one()
        name = self.company_id.partner_id.tz or self.env.user.tz or "UTC"
        try:
            return pytz.timezone(name)
        except pytz.UnknownTimeZoneError:
            return pytz.utc

    def _sms_notify_day_start(self, days=0):
        """Local midnight of today (``days`` later), as naive UTC."""
        tz = self._sms_notify_timezone()
        today = datetime.now(tz).date() + timedelta(days=days)
        midnight = tz.localize(datetime.combine(today, time.min))
        return midnight.astimezone(pytz.utc).replace(tzinfo=None)

    def _compute_sent_today(self):
        for gateway in self:
            if not gateway.id:
                gateway.sent_today = 0
                continue
            gateway.sent_today = (
                self.env["sms.sms"]
                .sudo()
                .search_count(
                    [
                        ("gateway_id", "=", gateway.id),
                        ("sent_datetime", ">=", gateway._sms_notify_day_start()),
                    ]
                )
            )

    @api.depends("daily_limit", "device_state", "gateway_type")
    def _compute_device_status(self):
        for gateway in self:
            if not gateway._sms_notify_is_device():
                gateway.device_status = False
            elif gateway.device_state in ("rebinding", "unreachable"):
                gateway.device_status = gateway.device_state
            elif gateway.daily_limit and gateway.sent_today >= gateway.daily_limit:
                gateway.device_status = "limit_reached"
            else:
                gateway.device_status = "available"

    # the phone

    def _get_client_config(self):
        self.ensure_one()
        if self.gateway_type == "gsm_modem":
            return self._modem_client_config()
        if self.gateway_type != "android":
            return super()._get_client_config()
        gateway = self.sudo()
        config = {
            "base_url": gateway.base_url,
            "username": gateway.login,
            "password": gateway.password,
            "signing_key": gateway.android_signing_key,
            "sim_number": gateway.android_sim_number,
            "timeout": gateway.timeout,
            "webhook_secret": gateway.webhook_secret,
            "webhook_url": gateway._get_webhook_url(),
        }
        return {key: value for key, value in config.items() if value}

    def _record_error(self, error):
        result = super()._record_error(error)
        state = getattr(error, "device_state", None)
        if state and self._sms_notify_is_device():
            self.sudo().device_state = state
        if self.gateway_type == "gsm_modem" and isinstance(error, modem.PinError):
            self.sudo().modem_pin_refused = True
        return result

    def _record_success(self):
        result = super()._record_success()
        for gateway in self:
            if gateway._sms_notify_is_device() and gateway.device_state != "available":
                gateway.sudo().device_state = "available"
        return result

    def action_test_connection(self):
        action = super().action_test_connection()
        if self._sms_notify_is_device():
            self.sudo().device_state = "available"
        return action

    def action_register_webhooks(self):
        """Give the phone Odoo's address for its delivery reports and received SMS."""
        self.ensure_one()
        client = self._get_client()
        if not hasattr(client, "register_webhooks"):
            raise UserError(self.env._("This gateway has no webhooks to register."))
        url = self._get_webhook_url()
        try:
            client.register_webhooks(url)
        except GatewayError as error:
            self._record_error(error)
            raise UserError(
                self.env._(
                    "The phone did not register the webhooks: %(error)s\nThe app calls only "
                    "https:// addresses: check that Odoo is reached over https (%(url)s).",
                    error=error,
                    url=url.split("/sms_notify/")[0],
                )
            ) from error
        self._record_success()
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": self.env._("Webhooks registered"),
                "message": self.env._("The phone now reports deliveries and received SMS to Odoo."),
                "type": "success",
            },
        }

    # inbound SMS

    def _sms_notify_find_sender(self, number):
        """``(E.164 number, partner, record)`` for an SMS received from ``number``: the
        record the customer was last notified about (its chatter gets the reply), else the
        customer themselves."""
        self.ensure_one()
        normalized = numbers.normalize(number, company_country_code=self.company_id.country_id.code)
        e164 = normalized.e164 or (
            "+" + "".join(ch for ch in number if ch.isdigit()) if number else ""
        )
        last_sms = (
            self.env["sms.sms"]
            .sudo()
            .search(
                [("number", "=", e164), ("mail_message_id", "!=", False)],
                order="id desc",
                limit=1,
            )
        )
        partner = last_sms.partner_id
        if not partner:
            partner = (
                self.env["res.partner"]
                .sudo()
                .search([("phone_sanitized", "=", e164)], order="id desc", limit=1)
            )
        record = self.env["res.partner"].browse()
        message = last_sms.mail_message_id
        if message.model and message.res_id and message.model in self.env:
            target = self.env[message.model].sudo().browse(message.res_id).exists()
            if target and hasattr(target, "message_post"):
                record = target
        return e164, partner, record or partner

    def _sms_notify_receive(self, inbound):
        """File an SMS a customer sent to this gateway (an ``InboundSms`` of
        ``sms_notify_modem.tools.inbound``): in the chatter of the record they were last
        notified about, else on their contact; a reply asking to stop withdraws their consent
        to promotions. Return the chatter message, or an empty recordset when the sender is
        unknown."""
        self.ensure_one()
        e164, partner, record = self._sms_notify_find_sender(inbound.number)
        if not record:
            return self.env["mail.message"]
        stop = is_stop_request(inbound.body)
        body = self.env._("SMS from %(number)s: %(text)s", number=e164, text=inbound.body)
        message = record.with_context(mail_create_nosubscribe=True).message_post(
            body=body,
            author_id=partner.id or False,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        if stop and partner and partner.sms_notify_ad_consent:
            partner.sudo().sms_notify_ad_consent = False
            partner.sudo().message_post(
                body=self.env._(
                    "Consent to SMS promotions withdrawn: the customer replied “%(text)s” "
                    "from %(number)s.",
                    text=inbound.body,
                    number=e164,
                ),
                message_type="notification",
                subtype_xmlid="mail.mt_note",
            )
        return message

    # GSM modem

    def write(self, vals):
        if "modem_pin" in vals:
            vals = dict(vals, modem_pin_refused=False)  # a corrected PIN may be tried
        result = super().write(vals)
        if "modem_pin" in vals:
            # the messages waiting for the PIN go now
            waiting = (
                self.env["sms.sms"]
                .sudo()
                .search([("gateway_id", "in", self.ids), ("state", "=", "outgoing")])
            )
            waiting.next_try_datetime = False
            self.env["sms.sms"]._sms_notify_wake_queue()
        return result

    def _modem_lock_key(self):
        """The advisory lock owning this modem: one per database and gateway."""
        return zlib.crc32(f"sms_notify_modem:{self.env.cr.dbname}:{self.id}".encode())

    def _modem_take(self):
        """Take the modem for this worker, if no other one holds it: one process at a time
        talks to it, through a transaction-level advisory lock held until the worker commits
        its batch (taking it again in the same transaction succeeds)."""
        self.env.cr.execute("SELECT pg_try_advisory_xact_lock(%s)", [self._modem_lock_key()])
        return self.env.cr.fetchone()[0]

    def _modem_held_elsewhere(self):
        """Whether another database connection owns the modem now (without taking it: routing
        looks at every modem, and only the one a batch goes to is taken, when it is sent)."""
        self.env.cr.execute(
            """SELECT 1 FROM pg_locks
                WHERE locktype = 'advisory' AND classid = 0 AND objid = %s AND objsubid = 1
                  AND granted AND pid != pg_backend_pid()
                LIMIT 1""",
            [self._modem_lock_key()],
        )
        return bool(self.env.cr.fetchone())

    def _sms_notify_capacity(self):
        """What is left of the daily limit. A modem another worker holds, or whose PIN was
        refused, takes nothing now: its messages go to the next modem, or wait."""
        if self.gateway_type == "gsm_modem" and (
            self.modem_pin_refused or self._modem_held_elsewhere()
        ):
            return 0
        if not self.daily_limit:
            return super()._sms_notify_capacity()
        return max(0, self.daily_limit - self.sent_today)

    def _sms_notify_capacity_available_at(self):
        if self.gateway_type == "gsm_modem":
            if self.modem_pin_refused:
                return fields.Datetime.now() + timedelta(hours=1)  # or once the PIN is corrected
            if not (self.daily_limit and self.sent_today >= self.daily_limit):
                return fields.Datetime.now() + timedelta(seconds=MODEM_BUSY_SECONDS)
        if self.daily_limit:
            return self._sms_notify_day_start(days=1)
        return super()._sms_notify_capacity_available_at()

    def _sms_notify_take(self):
        if self.gateway_type == "gsm_modem":
            return self._modem_take()
        return super()._sms_notify_take()

    def _sms_notify_waiting_reason(self):
        if self.gateway_type == "gsm_modem" and self.modem_pin_refused:
            return self.env._(
                "Waiting: the SIM of %(gateway)s refused its PIN; correct it on the gateway.",
                gateway=self.name,
            )
        if self.gateway_type == "gsm_modem" and self._modem_held_elsewhere():
            return self.env._(
                "Waiting: another Odoo process is sending through %(gateway)s.", gateway=self.name
            )
        return super()._sms_notify_waiting_reason()

    def _modem_client_config(self):
        gateway = self.sudo()
        return {
            "port": gateway.modem_port,
            "baudrate": gateway.modem_baudrate,
            "pin": gateway.modem_pin,
            "smsc": gateway.modem_smsc,
            "text_mode": gateway.modem_text_mode,
            "timeout": gateway.timeout,
            "on_unsolicited": gateway._modem_unsolicited,
            "owned": gateway._modem_take,
            "pin_refused": gateway.modem_pin_refused,
        }

    # ------------------------------------------------------------------
    # What the modem says on its own: delivery reports, incoming messages
    # ------------------------------------------------------------------

    def _modem_unsolicited(self, found):
        for item in found:
            try:
                if item.kind == "+CDS":
                    self._modem_apply_report(pdu.decode_status_report(item.pdu))
                elif item.kind == "+CMT":
                    self._modem_receive(pdu.decode_deliver(item.pdu))
            except ValueError as error:
                _logger.warning("Modem %s sent an unreadable %s: %s", self.name, item.kind, error)

    def _modem_apply_report(self, report):
        """A part's report, matched to the most recent message waiting with that reference
        (references wrap at 256); the message is delivered once all its parts are."""
        reference = str(report.message_reference)
        self.env.cr.execute(
            """SELECT id FROM sms_sms
                WHERE gateway_id = %s AND state = 'pending'
                  AND %s = ANY(string_to_array(external_id, ','))
             ORDER BY sent_datetime DESC, id DESC
                LIMIT 1""",
            [self.id, reference],
        )
        row = self.env.cr.fetchone()
        if not row:
            return
        sms = self.env["sms.sms"].sudo().browse(row[0])
        if report.failed:
            failure = "sms_expired" if report.expired else "sms_not_delivered"
            sms._sms_notify_apply_delivery(
                "error", failure, reason=f"The network reports status {report.status:#04x}."
            )
            return
        if not report.delivered:
            return
        delivered = set(filter(None, (sms.modem_delivered_parts or "").split(",")))
        delivered.add(reference)
        sms.modem_delivered_parts = ",".join(sorted(delivered, key=int))
        if delivered >= set(sms.external_id.split(",")):
            sms._sms_notify_apply_delivery("sent")

    def _modem_receive(self, message):
        received = message.timestamp
        if received and received.tzinfo:
            received = received.astimezone(pytz.utc).replace(tzinfo=None)
        self._sms_notify_receive(InboundSms(message.sender, message.text, received))

    # ------------------------------------------------------------------
    # The form
    # ------------------------------------------------------------------

    def action_modem_check(self):
        """Read the signal, the network and the operator from the modem."""
        self.ensure_one()
        try:
            health = self._get_client().health()
        except GatewayError as error:
            self._record_error(error)
            raise UserError(
                self.env._("The modem did not answer: %(error)s", error=error)
            ) from error
        self.sudo().write(
            {
                "device_state": "available" if health.registered else "rebinding",
                "modem_signal_dbm": health.signal_dbm,
                "modem_registration": health.registration_label,
                "modem_operator": health.operator,
                "modem_checked_datetime": fields.Datetime.now(),
            }
        )
        return True

    @api.model
    def _cron_modem_listen(self, seconds=5):
        """Read what the modems said while no batch was being sent."""
        for gateway in self.search([("gateway_type", "=", "gsm_modem")]):
            if gateway.modem_pin_refused:
                continue
            if not gateway._modem_take():
                continue  # a worker is sending through it and reads the reports itself
            try:
                gateway._get_client().listen(seconds)
            except GatewayError as error:
                gateway._record_error(error)
