import logging
import secrets
import zlib
from datetime import datetime, time, timedelta

import pytz
from werkzeug.urls import url_join

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools.translate import get_translated_module, get_translation

from odoo.addons.sms.tools.sms_api import SmsApi

# importing a client module registers its gateway type
from ..tools import (  # noqa: F401
    iap,
    numbers,
    plain_errors,
    reachability,
    routing,
    sandbox,
    serwersms,
    smsapi,
    smsc,
    twilio,
    vonage,
)
from ..tools.gateway import WEBHOOK_IAP, GatewayError, get_client_class
from ..tools.inbound import is_stop_request

_logger = logging.getLogger(__name__)

#: how long a gateway is skipped after a transient failure
DOWN_SECONDS = 120
#: a gateway another worker holds (one of an ``exclusive`` type) is asked again after this
BUSY_SECONDS = 2

#: what the gateway form shows of a device of the business (a phone, a modem)
DEVICE_STATUSES = [
    ("available", "Available"),
    ("limit_reached", "Daily limit reached"),
    ("rebinding", "Re-binding"),
    ("unreachable", "Unreachable"),
]


class SmsNotifyGateway(models.Model):
    _name = "sms.notify.gateway"
    _description = "SMS Gateway"
    _order = "sequence, id"

    name = fields.Char(required=True)
    gateway_type = fields.Selection(
        [
            ("sandbox", "Sandbox (sends nothing)"),
            ("iap", "Odoo IAP"),
            ("smsc", "SMSC.ru / SMSC.kz / SMSC.ua"),
            ("smsapi", "SMSAPI.pl"),
            ("serwersms", "SerwerSMS.pl"),
            ("twilio", "Twilio"),
            ("vonage", "Vonage (SMS and Viber)"),
        ],
        string="Type",
        required=True,
        help="How messages leave Odoo: the vendor or device that sends them. The form then "
        "asks what this type needs. The sandbox records messages in its outbox and simulates "
        "delivery reports; Odoo IAP uses Odoo's own paid SMS service.",
    )
    sequence = fields.Integer(
        default=10, help="The first active gateway of the company sends its messages."
    )
    # the Gateways menu creates them inactive (its action's context): a key of this model's
    # own, as ``default_active`` would also deactivate records of other models created from
    # the form (a company created from its company field)
    active = fields.Boolean(
        default=lambda self: not self.env.context.get("sms_notify_new_gateway_inactive"),
        help="Only active gateways send. A gateway created on this form starts inactive: "
        "Test Connection activates it once the gateway answers, or activate it yourself.",
    )
    company_id = fields.Many2one(
        "res.company",
        required=True,
        default=lambda self: self.env.company,
        index=True,
    )
    sandbox_delivery_delay = fields.Integer(
        string="Simulated delivery delay",
        default=sandbox.DEFAULT_DELIVERY_DELAY,
        help="Seconds after sending at which the sandbox reports the message as delivered "
        "(or as not delivered for numbers ending in 0000).",
    )
    base_url = fields.Char(
        string="API Address",
        help="Where Odoo calls the gateway. For a vendor, leave it empty for its main site "
        "(for SMSC, https://smsc.kz or https://smsc.ua reach the Kazakh or Ukrainian site). "
        "Changing the address or the type "
        "clears the stored login, password, keys and PIN unless a Settings administrator "
        "changes it, so that they never go to an address they were not given for.",
    )
    login = fields.Char(
        groups="base.group_system",
        help="The login of the account (or of the device's app) that sends the messages.",
    )
    password = fields.Char(
        string="Password / Auth Token",
        groups="base.group_system",
        help="The password, auth token or API secret that goes with the login or key; the "
        "text on top of the form says which one this type needs.",
    )
    api_key = fields.Char(
        string="API Key / Token",
        groups="base.group_system",
        help="The API key or token of the account; the text on top of the form says where "
        "to find it.",
    )
    account_sid = fields.Char(
        string="Account SID", help="The account SID shown in the vendor's console."
    )
    signature_secret = fields.Char(
        groups="base.group_system",
        help="Vonage signature secret (API settings of the Vonage dashboard): Vonage signs "
        "every delivery report with it, and a report without that signature is refused.",
    )
    viber_sender = fields.Char(
        help="The Viber business sender (service ID) the vendor registered for you; the "
        "customer sees its name and logo in Viber.",
    )
    channels = fields.Char(
        compute="_compute_type_declarations",
        help="The channels this gateway type sends on.",
    )
    number_prefixes = fields.Char(
        help="Comma-separated international prefixes this gateway sends to, e.g. +7, +48. "
        "Empty: every number. Other numbers go to the next gateway.",
    )
    sender = fields.Char(
        string="Sender Name",
        help="Name or number shown to the recipient, as registered with the vendor.",
    )
    timeout = fields.Integer(
        default=10, help="Seconds to wait for the gateway before giving up on a call."
    )
    rate_limit = fields.Integer(
        string="Rate Limit (SMS per Minute)",
        help="Messages this gateway is handed at most in any minute (0: no limit), whatever "
        "the number of Odoo workers sending: set it to what the vendor's contract allows. "
        "Messages over it wait for the next minute (or go to the next gateway that sends to "
        "their number); none fails for it.",
    )
    webhook_secret = fields.Char(
        groups="base.group_system",
        copy=False,
        default=lambda self: secrets.token_urlsafe(24),
        help="Part of the delivery-report address: only the gateway knows it.",
    )
    down_until = fields.Datetime(
        readonly=True,
        copy=False,
        help="After an outage the gateway is skipped until then and the next gateway by "
        "sequence sends instead.",
    )
    webhook_url = fields.Char(
        string="Delivery Report Address",
        compute="_compute_webhook_url",
        groups="base.group_system",
        help="Built from Odoo's public address (the web.base.url system parameter). Give it "
        "to the vendor where it asks for a status callback URL.",
    )
    webhook_warning = fields.Text(
        string="Delivery Report Warning",
        compute="_compute_webhook_warning",
        help="Why the vendor or the device cannot call the delivery report address.",
    )
    last_error = fields.Text(readonly=True, copy=False)
    last_error_date = fields.Datetime(readonly=True, copy=False)
    balance = fields.Float(readonly=True, copy=False, digits=(16, 2))
    balance_currency = fields.Char(readonly=True, copy=False)
    balance_date = fields.Datetime(string="Balance Checked", readonly=True, copy=False)
    # what the gateway's type declares (``GatewayClient`` attributes), for the form
    type_fields = fields.Json(
        compute="_compute_type_declarations",
        help="The fields the form shows for this gateway type.",
    )
    type_required_fields = fields.Json(
        compute="_compute_type_declarations",
        help="The fields this gateway type needs filled in.",
    )
    type_help = fields.Text(
        compute="_compute_type_declarations",
        help="What the form says about this gateway type.",
    )
    can_test_connection = fields.Boolean(compute="_compute_type_declarations")
    base_url_placeholder = fields.Char(
        compute="_compute_type_declarations",
        help="What the address field suggests for this gateway type.",
    )
    sms_ids = fields.One2many("sms.sms", "gateway_id", string="Messages")
    sms_count = fields.Integer(compute="_compute_sms_count", string="Messages Sent")
    # A device of the business (an Android phone, a GSM modem: each in its own addon) has a
    # daily limit and a status; the core holds them so that neither addon needs the other.
    is_device = fields.Boolean(
        compute="_compute_is_device",
        help="A phone or modem of the business: it has a daily limit and a status.",
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

    _sql_constraints = [
        (
            "sandbox_delivery_delay_positive",
            "CHECK(sandbox_delivery_delay >= 0)",
            "The simulated delivery delay cannot be negative.",
        ),
        ("timeout_positive", "CHECK(timeout > 0)", "The timeout must be at least one second."),
        ("daily_limit_positive", "CHECK(daily_limit >= 0)", "The daily limit cannot be negative."),
        ("rate_limit_positive", "CHECK(rate_limit >= 0)", "The rate limit cannot be negative."),
    ]

    @api.constrains("timeout", "sandbox_delivery_delay")
    def _check_durations(self):
        for gateway in self:
            if gateway.timeout < 1:
                raise ValidationError(
                    self.env._(
                        "%(gateway)s: the timeout must be at least one second.",
                        gateway=gateway.name,
                    )
                )
            if gateway.sandbox_delivery_delay < 0:
                raise ValidationError(
                    self.env._(
                        "%(gateway)s: the simulated delivery delay cannot be negative.",
                        gateway=gateway.name,
                    )
                )

    @api.constrains("daily_limit", "rate_limit")
    def _check_daily_limit(self):
        for gateway in self:
            if gateway.daily_limit < 0:
                raise ValidationError(
                    self.env._(
                        "%(gateway)s: the daily limit cannot be negative (0: no limit).",
                        gateway=gateway.name,
                    )
                )
            if gateway.rate_limit < 0:
                raise ValidationError(
                    self.env._(
                        "%(gateway)s: the rate limit cannot be negative (0: no limit).",
                        gateway=gateway.name,
                    )
                )

    # ------------------------------------------------------------------
    # The gateway's type: what its client class declares
    # ------------------------------------------------------------------

    @api.model
    def _type_class_of(self, gateway_type):
        """The client class registered for ``gateway_type``, or ``None``."""
        try:
            return get_client_class(gateway_type)
        except KeyError:
            return None

    def _type_class(self):
        self.ensure_one()
        return self._type_class_of(self.gateway_type)

    @api.model
    def _types_where(self, declares):
        """The gateway types of the selection whose client class satisfies ``declares``."""
        selection = self._fields["gateway_type"].get_values(self.env)
        return [
            code
            for code in selection
            if (client_class := self._type_class_of(code)) and declares(client_class)
        ]

    @api.model
    def _iap_types(self):
        """The types that send through Odoo IAP (their reports come to ``/sms/status``)."""
        return self._types_where(lambda client_class: client_class.webhook_auth == WEBHOOK_IAP)

    @api.model
    def _simulated_types(self):
        """The types whose delivery reports Odoo plays itself (the sandbox)."""
        return self._types_where(lambda client_class: client_class.simulated_reports)

    def _translate_type_text(self, client_class, text):
        """``text`` declared by ``client_class`` (marked with ``tools.gateway._lt``), in the
        user's language: the translation belongs to the addon that defines the type."""
        if not text:
            return False
        module = get_translated_module(client_class.__module__)
        return get_translation(module, self.env.lang or "en_US", text, ())

    @api.model
    def _form_sections(self):
        """The groups of the form (by name) and the fields they hold: a group shows when the
        type declares one of its fields. Addons that put their fields in a group extend this."""
        return {
            "credentials": {
                "base_url",
                "login",
                "password",
                "api_key",
                "account_sid",
                "signature_secret",
                "viber_sender",
                "webhook_url",
                "sender",
                "timeout",
                "balance",
            }
        }

    @api.depends("gateway_type")
    @api.depends_context("lang")
    def _compute_type_declarations(self):
        # the name and the type are on every form (and keep the lists never empty)
        always = ["name", "gateway_type"]
        sections = self._form_sections()
        for gateway in self:
            client_class = gateway._type_class()
            declared = client_class.form_field_names() if client_class else {}
            shown = [name for name in declared if name in self._fields]
            gateway.type_fields = (
                always
                + shown
                + [section for section, names in sections.items() if names & set(shown)]
            )
            gateway.type_required_fields = always + [name for name in shown if declared[name]]
            gateway.type_help = client_class and self._translate_type_text(
                client_class, client_class.form_help
            )
            gateway.can_test_connection = bool(client_class and client_class.can_test_connection())
            placeholder = client_class and client_class.form_placeholders.get("base_url")
            gateway.base_url_placeholder = (
                gateway._translate_type_text(client_class, placeholder)
                if placeholder
                else self.env._("the vendor's main site")
            )
            gateway.channels = ", ".join(
                label
                for channel, label in (("sms", "SMS"), ("viber", "Viber"))
                if client_class and channel in client_class.channels
            )

    @api.model
    def _address_fields(self):
        """The fields that tell the client where to connect. Gateway types added by other
        modules extend this."""
        return {"gateway_type", "base_url"}

    @api.model
    def _credential_fields(self):
        """The secrets the client sends to the gateway's address: the stored fields only
        Settings administrators may read."""
        return {
            name: field
            for name, field in self._fields.items()
            if field.store and not field.compute and field.groups == "base.group_system"
        }

    def _is_moved_by(self, vals):
        self.ensure_one()
        return any(
            (vals[name] or False) != (self[name] or False)
            for name in self._address_fields() & vals.keys()
        )

    def write(self, vals):
        # an SMS administrator who is no Settings administrator may point a gateway elsewhere,
        # but not take the credentials along: they are forgotten in the same write
        moved = self.browse()
        if not self.env.is_system() and self._address_fields() & vals.keys():
            moved = self.filtered(lambda gateway: gateway._is_moved_by(vals))
        result = super().write(vals)
        for gateway in moved:
            gateway.sudo().write(
                {
                    name: field.default(gateway) if field.default else False
                    for name, field in self._credential_fields().items()
                }
            )
        return result

    @api.depends("webhook_secret")
    def _compute_webhook_url(self):
        for gateway in self:
            gateway.webhook_url = gateway.id and gateway._get_webhook_url()

    @api.depends("gateway_type")
    @api.depends_context("lang")
    def _compute_webhook_warning(self):
        for gateway in self:
            gateway.webhook_warning = gateway.id and gateway._webhook_warning()

    def _webhook_warning(self):
        """Why the caller of this gateway's report address cannot reach it (see
        ``tools.reachability``), in the user's language, or ``False``."""
        self.ensure_one()
        client_class = self._type_class()
        if not client_class or "webhook_url" not in client_class.form_field_names():
            return False
        warning = reachability.report_address_warning(
            self._get_webhook_url(),
            caller=client_class.webhook_caller,
            needs_https=client_class.webhook_needs_https,
        )
        if not warning:
            return False
        message, values = warning
        return self._translate_core_text(message) % values

    def _translate_core_text(self, text):
        """``text`` of the core's ``tools`` (marked with ``_lt``) in the user's language."""
        return get_translation("sms_notify", self.env.lang or "en_US", text, ())

    @api.depends("sms_ids")
    def _compute_sms_count(self):
        counts = dict(
            self.env["sms.sms"]._read_group(
                [("gateway_id", "in", self.ids)], ["gateway_id"], ["__count"]
            )
        )
        for gateway in self:
            gateway.sms_count = counts.get(gateway, 0)

    @api.model
    def _get_for_company(self, company):
        """Whether the company sends through gateways at all: an empty recordset when none is
        configured (Odoo then sends through IAP as it always did)."""
        return self.search([("company_id", "=", company.id)], limit=1)

    @api.model
    def _get_companies_sending(self, companies):
        """The companies of ``companies`` that send through gateways (the others send through
        Odoo IAP as Odoo does without gateways), found with one query."""
        return self.env["res.company"].union(
            *(
                company
                for [company] in self._read_group(
                    [("company_id", "in", companies.ids)], ["company_id"]
                )
            )
        )

    @api.model
    def _get_candidates(self, company):
        """The company's gateways in the order they are tried: by sequence, the ones that are
        down after those that are up."""
        gateways = self.search([("company_id", "=", company.id)])
        now = fields.Datetime.now()
        ordered = routing.in_order(
            routing.Gateway(gateway.id, down=bool(down_until and down_until > now))
            for gateway, down_until in zip(gateways, gateways.mapped("down_until"), strict=True)
        )
        return self.browse([gateway.id for gateway in ordered])

    def _sends_channel(self, channel):
        """Whether this gateway's type sends on ``channel`` (``sms`` or ``viber``)."""
        self.ensure_one()
        client_class = self._type_class()
        return bool(client_class) and channel in client_class.channels

    def _route(self, number):
        """The first of these gateways that sends to ``number`` (an E.164 number)."""
        gateway = routing.first_sending(self._routing_data(with_capacity=False), number)
        return self.browse(gateway and gateway.id)

    def _routing_data(self, with_capacity=True):
        """These gateways, in their order, as ``tools.routing`` routes messages to them: their
        prefixes, whether they are down and, ``with_capacity``, how many more messages they
        take now."""
        now = fields.Datetime.now()
        return [
            routing.Gateway(
                gateway.id,
                prefixes=routing.parse_prefixes(gateway.number_prefixes),
                capacity=gateway._capacity() if with_capacity else None,
                down=bool(gateway.down_until and gateway.down_until > now),
            )
            for gateway in self
        ]

    def _capacity(self):
        """How many more messages this gateway takes now, or ``None`` when it takes any number.

        Routing passes over a gateway with no capacity left (one that waits for a correction,
        one another worker holds, a phone or modem that reached its daily limit): its messages
        go to the next gateway that sends to their number, or wait in the queue until
        :meth:`_capacity_available_at`."""
        self.ensure_one()
        if self._blocked_reason() or self._held_elsewhere():
            return 0
        limits = []
        if self.daily_limit:
            limits.append(max(0, self.daily_limit - self.sent_today))
        if self.rate_limit:
            limits.append(self._rate_room().count)
        return min(limits, default=None)

    def _rate_room(self):
        """What the send-rate limit leaves of the current minute (``count``) and when a
        message more than that may go (``retry_at``; see ``sms.notify.gateway.rate``)."""
        self.ensure_one()
        return self.env["sms.notify.gateway.rate"].sudo()._room(self)

    def _capacity_available_at(self):
        """When a gateway without capacity left takes messages again (naive UTC), or ``None``
        when it cannot tell (the waiting messages are then tried again a little later)."""
        self.ensure_one()
        now = fields.Datetime.now()
        if self._blocked_reason():
            return now + timedelta(hours=1)  # or as soon as it is corrected
        limit_reached = self.daily_limit and self.sent_today >= self.daily_limit
        if not limit_reached and self.rate_limit and not self._held_elsewhere():
            return self._rate_room().retry_at
        client_class = self._type_class()
        if client_class and client_class.exclusive and not limit_reached:
            return now + timedelta(seconds=BUSY_SECONDS)  # another worker holds it
        if self.daily_limit:
            return self._day_start(days=1)
        return None

    def _take_capacity(self):
        """Reserve the gateway for this worker's batch, when the first message is routed to
        it; ``False`` when another worker holds it. Only gateways of an ``exclusive`` type (a
        device one process at a time talks to) are reserved: through a transaction-level
        advisory lock held until the worker commits its batch (taking it again in the same
        transaction succeeds)."""
        self.ensure_one()
        client_class = self._type_class()
        if not (client_class and client_class.exclusive):
            return True
        self.env.cr.execute("SELECT pg_try_advisory_xact_lock(%s)", [self._lock_key()])
        return self.env.cr.fetchone()[0]

    def _held_elsewhere(self):
        """Whether another database connection holds this gateway of an ``exclusive`` type
        now (without taking it: routing looks at every gateway, and only the one a batch goes
        to is taken, when it is sent)."""
        self.ensure_one()
        client_class = self._type_class()
        if not (client_class and client_class.exclusive and self.id):
            return False
        self.env.cr.execute(
            """SELECT 1 FROM pg_locks
                WHERE locktype = 'advisory' AND classid = 0 AND objid = %s AND objsubid = 1
                  AND granted AND pid != pg_backend_pid()
                LIMIT 1""",
            [self._lock_key()],
        )
        return bool(self.env.cr.fetchone())

    def _lock_key(self):
        """The advisory lock a worker holds while it sends through this gateway: one per
        database and gateway."""
        return zlib.crc32(f"sms_notify_gateway:{self.env.cr.dbname}:{self.id}".encode())

    def _blocked_reason(self):
        """Why the gateway sends nothing until a user corrects it (e.g. a SIM that refused its
        PIN), or ``False``. Addons whose gateways can be blocked extend this."""
        self.ensure_one()
        return False

    def _waiting_reason(self):
        """What the history says of a message waiting for this gateway's capacity."""
        self.ensure_one()
        blocked = self._blocked_reason()
        if blocked:
            return blocked
        if self._held_elsewhere():
            return self.env._(
                "Waiting: another Odoo process is sending through %(gateway)s.", gateway=self.name
            )
        limit_reached = self.daily_limit and self.sent_today >= self.daily_limit
        if not limit_reached and self.rate_limit:
            return self._rate_waiting_reason()
        return self.env._(
            "Waiting: %(gateway)s takes no more messages for now (daily limit reached).",
            gateway=self.name,
        )

    def _rate_waiting_reason(self):
        return self.env._(
            "Waiting: %(gateway)s sends at most %(limit)s SMS a minute.",
            gateway=self.name,
            limit=self.rate_limit,
        )

    def _mark_down(self, error):
        wait = max(error.retry_after or 0, DOWN_SECONDS)
        self.sudo().down_until = fields.Datetime.now() + timedelta(seconds=wait)

    def _record_success(self):
        if self.down_until or self.last_error:
            self.sudo().write({"down_until": False, "last_error": False, "last_error_date": False})
        for gateway in self:
            if gateway.is_device and gateway.device_state != "available":
                gateway.sudo().device_state = "available"

    def _get_client(self):
        self.ensure_one()
        try:
            client_class = get_client_class(self.gateway_type)
        except KeyError as error:
            raise UserError(
                self.env._(
                    "The gateway type of %(gateway)s is not available: install the module "
                    "that provides it or choose another type.",
                    gateway=self.display_name,
                )
            ) from error
        return client_class(self._get_client_config())

    def _get_client_config(self):
        """Everything the client needs, as plain values and callables (clients never see the
        ORM): the fields its type declares (``config_fields``), the timeout, the webhook's
        address and secret for types with webhooks, and the services it asks for."""
        self.ensure_one()
        client_class = self._type_class()
        if not client_class:
            return {}
        gateway = self.sudo()
        config = {key: gateway[name] for key, name in client_class.config_fields.items()}
        config["timeout"] = gateway.timeout
        if "webhook_url" in client_class.form_field_names():
            config["webhook_secret"] = gateway.webhook_secret
            config["webhook_url"] = gateway._get_webhook_url()
        config = {key: value for key, value in config.items() if value}
        services = gateway._client_services()
        for name in client_class.services:
            config[name] = services[name]()
        return config

    def _client_services(self):
        """What the gateway offers its client from the Odoo environment, by name: a function
        building each value. A type lists the names it needs in ``GatewayClient.services``;
        addons offer more."""
        self.ensure_one()

        def iap_send_batch():
            reports_url = url_join(self.get_base_url(), "/sms/status")
            api = SmsApi(self.env)
            return lambda messages: api._send_sms_batch(messages, delivery_reports_url=reports_url)

        return {"send_batch": iap_send_batch}

    def _get_webhook_url(self):
        self.ensure_one()
        return url_join(
            self.get_base_url(), f"/sms_notify/report/{self.id}/{self.sudo().webhook_secret}"
        )

    def _record_error(self, error):
        self.sudo().write({"last_error": str(error), "last_error_date": fields.Datetime.now()})
        # a device's client says whether it is away or not ready (see DEVICE_STATUSES)
        state = getattr(error, "device_state", None)
        if state and self.is_device:
            self.sudo().device_state = state

    def _plain_error(self, error, what):
        """``error`` (a ``GatewayError``) for the user: ``what`` failed, what happened and
        what to do, in plain words (``tools.plain_errors``); the library's own text as a last
        line and in the log."""
        self.ensure_one()
        explanation = plain_errors.explain(error)
        _logger.info("%s: %s failed: %s", self.display_name, what, explanation.detail or error)
        lines = [
            self.env._("%(gateway)s: %(what)s failed.", gateway=self.display_name, what=what),
            self._translate_core_text(explanation.headline)
            if explanation.kind
            else explanation.headline,
        ]
        if explanation.advice:
            lines.append(self._translate_core_text(explanation.advice))
        if explanation.detail:
            lines.append(self.env._("Details: %(detail)s", detail=explanation.detail))
        return "\n".join(lines)

    def action_test_connection(self):
        """Ask the gateway who we are; show its answer and the balance it reports.

        A gateway that never sent a message (one just created: the form creates gateways
        inactive) is activated by a test that succeeds; one that fails leaves it as it was,
        so a gateway in use stays active and a new one stays inactive. It may switch the
        gateway on: only those who may change the gateway may test it."""
        self.ensure_one()
        self.check_access("write")
        client = self._get_client()
        try:
            answer = client.test_connection()
            balance = client.last_balance or client.fetch_balance()
        except NotImplementedError:
            raise UserError(self.env._("This gateway type has no connection test.")) from None
        except GatewayError as error:
            self._record_error(error)
            raise UserError(self._plain_error(error, self.env._("the connection test"))) from error
        values = {"last_error": False, "last_error_date": False}
        # counted over every department: a user sees only their own departments' SMS
        activated = not self.active and not self.sudo().sms_count
        if activated:
            values["active"] = True
        if self.is_device:
            values["device_state"] = "available"
        if balance:
            values.update(
                balance=balance[0], balance_currency=balance[1], balance_date=fields.Datetime.now()
            )
        self.sudo().write(values)
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": self.env._("Connection works"),
                "message": answer
                + (
                    "\n" + self.env._("The gateway is now active: it sends messages.")
                    if activated
                    else ""
                ),
                "type": "success",
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    def action_view_sms(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("sms_notify.sms_sms_action_history")
        action["domain"] = [("gateway_id", "=", self.id)]
        action["context"] = {}
        return action

    # ------------------------------------------------------------------
    # Devices of the business: a phone or a modem (types added by other addons)
    # ------------------------------------------------------------------

    @api.depends("gateway_type")
    def _compute_is_device(self):
        for gateway in self:
            client_class = gateway._type_class()
            gateway.is_device = bool(client_class and client_class.is_device)

    def _timezone(self):
        self.ensure_one()
        name = self.company_id.partner_id.tz or self.env.user.tz or "UTC"
        try:
            return pytz.timezone(name)
        except pytz.UnknownTimeZoneError:
            return pytz.utc

    def _day_start(self, days=0):
        """Local midnight of today (``days`` later), as naive UTC."""
        tz = self._timezone()
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
                        ("sent_datetime", ">=", gateway._day_start()),
                    ]
                )
            )

    @api.depends("daily_limit", "device_state", "gateway_type")
    def _compute_device_status(self):
        for gateway in self:
            if not gateway.is_device:
                gateway.device_status = False
            elif gateway.device_state in ("rebinding", "unreachable"):
                gateway.device_status = gateway.device_state
            elif gateway.daily_limit and gateway.sent_today >= gateway.daily_limit:
                gateway.device_status = "limit_reached"
            else:
                gateway.device_status = "available"

    # inbound SMS, from the phone's webhook or the modem's inbox

    def _find_sender(self, number):
        """``(E.164 number, partner, record)`` for an SMS received from ``number``: the
        record the customer was last notified about (its chatter gets the reply), else the
        customer themselves; both of this gateway's company, which the device belongs to, so
        that a reply never lands in another company's chatter or withdraws a consent there."""
        self.ensure_one()
        normalized = numbers.normalize(number, company_country_code=self.company_id.country_id.code)
        e164 = normalized.e164 or (
            "+" + "".join(ch for ch in number if ch.isdigit()) if number else ""
        )
        last_sms = (
            self.env["sms.sms"]
            .sudo()
            .search(
                [
                    ("number", "=", e164),
                    ("mail_message_id", "!=", False),
                    ("company_id", "=", self.company_id.id),
                ],
                order="id desc",
                limit=1,
            )
        )
        partner = last_sms.partner_id
        if not partner:
            partner = (
                self.env["res.partner"]
                .sudo()
                .search(
                    [
                        ("phone_sanitized", "=", e164),
                        ("company_id", "in", [False, self.company_id.id]),
                    ],
                    order="id desc",
                    limit=1,
                )
            )
        record = self.env["res.partner"].browse()
        message = last_sms.mail_message_id
        if message.model and message.res_id and message.model in self.env:
            target = self.env[message.model].sudo().browse(message.res_id).exists()
            if target and hasattr(target, "message_post"):
                record = target
        return e164, partner, record or partner

    def _receive(self, inbound):
        """File an SMS a customer sent to this gateway (an ``InboundSms`` of
        ``sms_notify.tools.inbound``): in the chatter of the record they were last notified
        about, else on their contact; a reply asking to stop withdraws their consent to
        promotions. Return the chatter message, or an empty recordset when the sender is
        unknown."""
        self.ensure_one()
        e164, partner, record = self._find_sender(inbound.number)
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
