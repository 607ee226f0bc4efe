from datetime import datetime, time, timedelta

import pytz

from odoo import api, fields, models
from odoo.exceptions import UserError

from odoo.addons.sms_notify.tools import numbers
from odoo.addons.sms_notify.tools.gateway import GatewayError

# importing a client module registers its gateway type
from ..tools import android  # noqa: F401
from ..tools.inbound import is_stop_request

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
        selection_add=[("android", "Android phone (SMS Gateway for Android)")],
        ondelete={"android": "set default"},
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

    _sql_constraints = [
        ("daily_limit_positive", "CHECK(daily_limit >= 0)", "The daily limit cannot be negative."),
    ]

    @api.model
    def _sms_notify_device_types(self):
        """Gateway types that are a device of the business (a phone, a modem): they have a
        daily limit and a status."""
        return ["android"]

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

    def _sms_notify_capacity(self):
        if not self.daily_limit:
            return super()._sms_notify_capacity()
        return max(0, self.daily_limit - self.sent_today)

    def _sms_notify_capacity_available_at(self):
        if not self.daily_limit:
            return super()._sms_notify_capacity_available_at()
        return self._sms_notify_day_start(days=1)

    # the phone

    def _get_client_config(self):
        self.ensure_one()
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
