import secrets
from datetime import timedelta

from werkzeug.urls import url_join

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from odoo.addons.sms.tools.sms_api import SmsApi

# importing a client module registers its gateway type
from ..tools import iap, routing, sandbox, serwersms, smsapi, smsc, twilio  # noqa: F401
from ..tools.gateway import GatewayError, get_client_class

#: gateway types whose client talks HTTP to an SMS centre with credentials of its own
HTTP_GATEWAY_TYPES = ("smsc", "smsapi", "serwersms", "twilio")
#: how long a gateway is skipped after a transient failure
DOWN_SECONDS = 120


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
        ],
        string="Type",
        required=True,
        default="sandbox",
        help="How messages leave Odoo. The sandbox records them in its outbox and simulates "
        "delivery reports; Odoo IAP uses Odoo's own paid SMS service.",
    )
    sequence = fields.Integer(
        default=10, help="The first active gateway of the company sends its messages."
    )
    active = fields.Boolean(default=True)
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
        help="Leave empty for the vendor's main site. For SMSC, https://smsc.kz or "
        "https://smsc.ua reach the Kazakh or Ukrainian site. Changing the address or the type "
        "clears the stored login, password, keys and PIN unless a Settings administrator "
        "changes it, so that they never go to an address they were not given for.",
    )
    login = fields.Char(groups="base.group_system", help="SMSC or SerwerSMS login.")
    password = fields.Char(
        string="Password / Auth Token",
        groups="base.group_system",
        help="SMSC or SerwerSMS password, or the Twilio auth token.",
    )
    api_key = fields.Char(
        string="API Key / Token",
        groups="base.group_system",
        help="SMSC API key, or the SMSAPI / SerwerSMS bearer token.",
    )
    account_sid = fields.Char(string="Account SID", help="Twilio account SID.")
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
        help="Give this address to the vendor where it asks for a status callback URL.",
    )
    last_error = fields.Text(readonly=True, copy=False)
    last_error_date = fields.Datetime(readonly=True, copy=False)
    balance = fields.Float(readonly=True, copy=False, digits=(16, 2))
    balance_currency = fields.Char(readonly=True, copy=False)
    balance_date = fields.Datetime(string="Balance Checked", readonly=True, copy=False)
    sms_ids = fields.One2many("sms.sms", "gateway_id", string="Messages")
    sms_count = fields.Integer(compute="_compute_sms_count", string="Messages Sent")

    _sql_constraints = [
        (
            "sandbox_delivery_delay_positive",
            "CHECK(sandbox_delivery_delay >= 0)",
            "The simulated delivery delay cannot be negative.",
        ),
        ("timeout_positive", "CHECK(timeout > 0)", "The timeout must be at least one second."),
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

    @api.model
    def _sms_notify_address_fields(self):
        """The fields that tell the client where to connect. Gateway types added by other
        modules extend this."""
        return {"gateway_type", "base_url"}

    @api.model
    def _sms_notify_credential_fields(self):
        """The secrets the client sends to the gateway's address: the stored fields only
        Settings administrators may read."""
        return {
            name: field
            for name, field in self._fields.items()
            if field.store and not field.compute and field.groups == "base.group_system"
        }

    def _sms_notify_is_moved_by(self, vals):
        self.ensure_one()
        return any(
            (vals[name] or False) != (self[name] or False)
            for name in self._sms_notify_address_fields() & vals.keys()
        )

    def write(self, vals):
        # an SMS administrator who is no Settings administrator may point a gateway elsewhere,
        # but not take the credentials along: they are forgotten in the same write
        moved = self.browse()
        if not self.env.is_system() and self._sms_notify_address_fields() & vals.keys():
            moved = self.filtered(lambda gateway: gateway._sms_notify_is_moved_by(vals))
        result = super().write(vals)
        for gateway in moved:
            gateway.sudo().write(
                {
                    name: field.default(gateway) if field.default else False
                    for name, field in self._sms_notify_credential_fields().items()
                }
            )
        return result

    @api.depends("webhook_secret")
    def _compute_webhook_url(self):
        for gateway in self:
            gateway.webhook_url = gateway.id and gateway._get_webhook_url()

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

    def _route(self, number):
        """The first of these gateways that sends to ``number`` (an E.164 number)."""
        gateway = routing.first_sending(self._sms_notify_routing_data(with_capacity=False), number)
        return self.browse(gateway and gateway.id)

    def _sms_notify_routing_data(self, with_capacity=True):
        """These gateways, in their order, as ``tools.routing`` routes messages to them: their
        prefixes, whether they are down and, ``with_capacity``, how many more messages they
        take now."""
        now = fields.Datetime.now()
        return [
            routing.Gateway(
                gateway.id,
                prefixes=routing.parse_prefixes(gateway.number_prefixes),
                capacity=gateway._sms_notify_capacity() if with_capacity else None,
                down=bool(gateway.down_until and gateway.down_until > now),
            )
            for gateway in self
        ]

    def _sms_notify_capacity(self):
        """How many more messages this gateway takes now, or ``None`` when it takes any number.

        Routing passes over a gateway with no capacity left (a phone or modem that reached
        its daily limit): its messages go to the next gateway that sends to their number, or
        wait in the queue until :meth:`_sms_notify_capacity_available_at`. Gateway types with
        a limit override this."""
        self.ensure_one()
        return None

    def _sms_notify_capacity_available_at(self):
        """When a gateway without capacity left takes messages again (naive UTC), or ``None``
        when it cannot tell (the waiting messages are then tried again a little later)."""
        self.ensure_one()
        return None

    def _sms_notify_take(self):
        """Reserve the gateway for this worker's batch, when the first message is routed to
        it; ``False`` when another worker holds it (a device that sends one message at a
        time). Gateways anyone may call at once keep the default."""
        self.ensure_one()
        return True

    def _sms_notify_waiting_reason(self):
        """What the history says of a message waiting for this gateway's capacity."""
        self.ensure_one()
        return self.env._(
            "Waiting: %(gateway)s takes no more messages for now (daily limit reached).",
            gateway=self.name,
        )

    def _mark_down(self, error):
        wait = max(error.retry_after or 0, DOWN_SECONDS)
        self.sudo().down_until = fields.Datetime.now() + timedelta(seconds=wait)

    def _record_success(self):
        if self.down_until or self.last_error:
            self.sudo().write({"down_until": False, "last_error": False, "last_error_date": False})

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
        ORM). Gateway types added by other modules extend this."""
        self.ensure_one()
        if self.gateway_type == "iap":
            reports_url = url_join(self.get_base_url(), "/sms/status")
            api = SmsApi(self.env)
            return {
                "send_batch": lambda messages: api._send_sms_batch(
                    messages, delivery_reports_url=reports_url
                )
            }
        if self.gateway_type in HTTP_GATEWAY_TYPES:
            gateway = self.sudo()
            config = {
                "base_url": gateway.base_url,
                "login": gateway.login,
                "password": gateway.password,
                "api_key": gateway.api_key,
                "token": gateway.api_key,
                "account_sid": gateway.account_sid,
                "auth_token": gateway.password,
                "sender": gateway.sender,
                "timeout": gateway.timeout,
                "webhook_secret": gateway.webhook_secret,
                "webhook_url": gateway._get_webhook_url(),
            }
            return {key: value for key, value in config.items() if value}
        return {}

    def _get_webhook_url(self):
        self.ensure_one()
        return url_join(
            self.get_base_url(), f"/sms_notify/report/{self.id}/{self.sudo().webhook_secret}"
        )

    def _record_error(self, error):
        self.sudo().write({"last_error": str(error), "last_error_date": fields.Datetime.now()})

    def action_test_connection(self):
        """Ask the gateway who we are; show its answer and the balance it reports."""
        self.ensure_one()
        client = self._get_client()
        try:
            answer = client.test_connection()
            balance = client.last_balance or client.fetch_balance()
        except NotImplementedError:
            raise UserError(
                self.env._("%(type)s gateways have no connection test.", type=self.gateway_type)
            ) from None
        except GatewayError as error:
            self._record_error(error)
            raise UserError(
                self.env._(
                    "The gateway refused the connection: %(error)s\nCheck the address and the "
                    "credentials, then try again.",
                    error=error,
                )
            ) from error
        values = {"last_error": False, "last_error_date": False}
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
                "message": answer,
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
