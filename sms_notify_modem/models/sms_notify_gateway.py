import logging

import pytz

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from odoo.addons.sms_notify.tools.gateway import GatewayError
from odoo.addons.sms_notify.tools.inbound import InboundSms

# importing a client module registers its gateway type
from ..tools import modem, pdu

_logger = logging.getLogger(__name__)


class SmsNotifyGateway(models.Model):
    _inherit = "sms.notify.gateway"

    gateway_type = fields.Selection(
        selection_add=[("gsm_modem", "GSM modem")],
        ondelete={"gsm_modem": "set sandbox"},
    )
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

    @api.constrains("modem_baudrate")
    def _check_modem_baudrate(self):
        for gateway in self:
            if gateway.modem_baudrate < 0:
                raise ValidationError(
                    self.env._(
                        "%(gateway)s: the baud rate cannot be negative.", gateway=gateway.name
                    )
                )

    @api.model
    def _address_fields(self):
        return super()._address_fields() | {"modem_port"}

    @api.model
    def _form_sections(self):
        return {
            **super()._form_sections(),
            "modem": {
                "modem_port",
                "modem_baudrate",
                "modem_pin",
                "modem_smsc",
                "modem_text_mode",
            },
        }

    def _client_services(self):
        services = super()._client_services()
        services.update(
            on_unsolicited=lambda: self.sudo()._modem_unsolicited,
            owned=lambda: self.sudo()._take_capacity,
        )
        return services

    def _record_error(self, error):
        result = super()._record_error(error)
        if isinstance(error, modem.PinError):  # only a modem's client raises it
            self.sudo().modem_pin_refused = True
        return result

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

    def _blocked_reason(self):
        """A modem whose SIM refused the PIN sends nothing until the PIN is corrected."""
        if self.modem_pin_refused:
            return self.env._(
                "Waiting: the SIM of %(gateway)s refused its PIN; correct it on the gateway.",
                gateway=self.name,
            )
        return super()._blocked_reason()

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
                  AND %s = ANY(string_to_array(gateway_reference, ','))
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
        if delivered >= set(sms.gateway_reference.split(",")):
            sms._sms_notify_apply_delivery("sent")

    def _modem_receive(self, message):
        received = message.timestamp
        if received and received.tzinfo:
            received = received.astimezone(pytz.utc).replace(tzinfo=None)
        self._receive(InboundSms(message.sender, message.text, received))

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
            raise UserError(self._plain_error(error, self.env._("the modem check"))) from error
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
        listening = self._types_where(lambda client_class: hasattr(client_class, "listen"))
        for gateway in self.search([("gateway_type", "in", listening)]):
            if gateway._blocked_reason():
                continue
            if not gateway._take_capacity():
                continue  # a worker is sending through it and reads the reports itself
            try:
                gateway._get_client().listen(seconds)
            except GatewayError as error:
                gateway._record_error(error)
