import logging
import zlib

from odoo import api, fields, models

from odoo.addons.sms_notify.tools.gateway import GatewayError

# importing a client module registers its gateway type
from ..tools import modem, pdu

_logger = logging.getLogger(__name__)


class SmsNotifyGateway(models.Model):
    _inherit = "sms.notify.gateway"

    gateway_type = fields.Selection(
        selection_add=[("gsm_modem", "GSM modem")], ondelete={"gsm_modem": "cascade"}
    )
    modem_port = fields.Char(
        string="Port",
        help="The modem's serial port: a device (/dev/ttyUSB0, COM3) or a network serial "
        "port (socket://192.168.1.20:7000, rfc2217://192.168.1.20:7000).",
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

    def write(self, vals):
        if "modem_pin" in vals:
            vals = dict(vals, modem_pin_refused=False)  # a corrected PIN may be tried
        return super().write(vals)

    def _modem_lock_key(self):
        """The advisory lock owning this modem: one per database and gateway."""
        return zlib.crc32(f"sms_notify_modem:{self.env.cr.dbname}:{self.id}".encode())

    def _modem_take(self):
        """Whether this worker owns the modem: one process at a time talks to it, through a
        transaction-level advisory lock held until the worker commits its batch (taking it
        again in the same transaction succeeds)."""
        self.env.cr.execute("SELECT pg_try_advisory_xact_lock(%s)", [self._modem_lock_key()])
        return self.env.cr.fetchone()[0]

    @api.model
    def _get_candidates(self, company):
        """When the queue routes a batch, a modem another worker holds, or whose PIN was
        refused, goes last, so that the next modem takes the batch."""
        candidates = super()._get_candidates(company)
        if not self.env.context.get("sms_notify_routing"):
            return candidates
        modems = candidates.filtered(lambda gateway: gateway.gateway_type == "gsm_modem")
        # a modem whose PIN was refused still takes its messages, which then wait for the PIN
        unusable = modems.filtered("modem_pin_refused")
        unusable |= (modems - unusable).filtered(lambda gateway: not gateway._modem_take())
        return (candidates - unusable) + unusable

    def _get_client_config(self):
        if self.gateway_type != "gsm_modem":
            return super()._get_client_config()
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

    def _record_error(self, error):
        super()._record_error(error)
        if self.gateway_type == "gsm_modem" and isinstance(error, modem.PinError):
            self.sudo().modem_pin_refused = True

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
        self.env["sms.sms"].sudo()._sms_notify_receive(self, message.sender, message.text)

    # ------------------------------------------------------------------
    # The form
    # ------------------------------------------------------------------

    def action_modem_check(self):
        """Read the signal, the network and the operator from the modem."""
        self.ensure_one()
        health = self._get_client().health()
        self.sudo().write(
            {
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
