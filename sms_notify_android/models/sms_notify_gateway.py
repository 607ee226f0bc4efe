from urllib.parse import urlencode

from werkzeug.urls import url_join

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from odoo.addons.sms_notify.tools.gateway import GatewayError

# importing a client module registers its gateway type
from ..tools import android  # noqa: F401


class SmsNotifyGateway(models.Model):
    _inherit = "sms.notify.gateway"

    gateway_type = fields.Selection(
        selection_add=[("android", "Android phone (SMS Gateway for Android)")],
        ondelete={"android": "set sandbox"},
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

    android_odoo_address = fields.Char(
        string="Odoo's Address for the Phone",
        compute="_compute_android_setup",
        help="The address the phone calls with its delivery reports and the SMS it receives "
        "(the web.base.url system parameter).",
    )
    android_setup_qr_url = fields.Char(
        string="Scan with the Phone",
        compute="_compute_android_setup",
        help="A QR code of Odoo's login page: scanned with the phone's camera, it opens in the "
        "phone's browser, which shows whether the phone reaches Odoo over https.",
    )

    @api.depends("gateway_type")
    def _compute_android_setup(self):
        for gateway in self:
            if "android_phone" not in (gateway.type_fields or []):
                gateway.android_odoo_address = gateway.android_setup_qr_url = False
                continue
            address = gateway.get_base_url()
            gateway.android_odoo_address = address
            # Odoo's renderer of barcodes (ir.actions.report.barcode); the login page, not the
            # report address: the phone must reach Odoo's address over https, and opening it
            # shows that without giving the gateway's secret to whoever sees the screen
            gateway.android_setup_qr_url = "/report/barcode/?" + urlencode(
                {
                    "barcode_type": "QR",
                    "value": url_join(address, "/web/login"),
                    "width": 180,
                    "height": 180,
                }
            )

    @api.constrains("android_sim_number")
    def _check_android_sim_number(self):
        for gateway in self:
            if gateway.android_sim_number < 0:
                raise ValidationError(
                    self.env._(
                        "%(gateway)s: the SIM slot cannot be negative (0: the phone's default).",
                        gateway=gateway.name,
                    )
                )

    @api.model
    def _form_sections(self):
        sections = super()._form_sections()
        phone_fields = {"android_signing_key", "android_sim_number"}
        sections["credentials"] = sections["credentials"] | phone_fields
        # the phone's setup steps and the Register Webhooks button
        sections["android_phone"] = phone_fields
        return sections

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
            message = self._plain_error(error, self.env._("registering the webhooks"))
            if self.webhook_warning:
                message += "\n" + self.webhook_warning
            raise UserError(message) from error
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
