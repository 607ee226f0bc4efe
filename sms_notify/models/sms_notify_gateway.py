from werkzeug.urls import url_join

from odoo import api, fields, models
from odoo.exceptions import UserError

from odoo.addons.sms.tools.sms_api import SmsApi

from ..tools import iap, sandbox  # noqa: F401  (importing registers the gateway types)
from ..tools.gateway import get_client_class


class SmsNotifyGateway(models.Model):
    _name = "sms.notify.gateway"
    _description = "SMS Gateway"
    _order = "sequence, id"

    name = fields.Char(required=True)
    gateway_type = fields.Selection(
        [("sandbox", "Sandbox (sends nothing)"), ("iap", "Odoo IAP")],
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
    sms_ids = fields.One2many("sms.sms", "gateway_id", string="Messages")
    sms_count = fields.Integer(compute="_compute_sms_count", string="Messages Sent")

    _sql_constraints = [
        (
            "sandbox_delivery_delay_positive",
            "CHECK(sandbox_delivery_delay >= 0)",
            "The simulated delivery delay cannot be negative.",
        ),
    ]

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
        """The gateway that sends the company's messages, or an empty recordset when none is
        configured (Odoo then sends through IAP as it always did)."""
        return self.search([("company_id", "=", company.id)], limit=1)

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
        return {}

    def action_view_sms(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("sms_notify.sms_sms_action_history")
        action["domain"] = [("gateway_id", "=", self.id)]
        action["context"] = {}
        return action
