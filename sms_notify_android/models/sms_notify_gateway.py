from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from odoo.addons.sms_notify.tools.gateway import GatewayError

# importing a client module registers its gateway type
from ..tools import android  # noqa: F401


class SmsNotifyGateway(models.Model):
    _inherit = "sms.notify.gateway"

    gateway_type = fields.Selection(
        selection_add=[("android", "Android phone (SMS Gateway for Android)")],
        ondelete={"android": "set default"},
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
        sections["credentials"] = sections["credentials"] | {
            "android_signing_key",
            "android_sim_number",
        }
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
