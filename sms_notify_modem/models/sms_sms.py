from odoo import fields, models


class SmsSms(models.Model):
    _inherit = "sms.sms"

    modem_delivered_parts = fields.Char(
        readonly=True,
        copy=False,
        help="References of the parts a modem's network reported delivered; the message is "
        "delivered when all its parts are.",
    )

    def _sms_notify_check_and_route(self):
        # routing asks each modem whether this worker can own it (see _get_candidates)
        return super(
            SmsSms, self.with_context(sms_notify_routing=True)
        )._sms_notify_check_and_route()

    def _sms_notify_receive(self, gateway, sender, text):
        """An SMS a customer sent to one of the gateways."""
        partner = (
            self.env["res.partner"]
            .sudo()
            .search(["|", ("phone_sanitized", "=", sender), ("mobile", "=", sender)], limit=1)
        )
        body = self.env._("SMS from %(number)s: %(text)s", number=sender, text=text)
        if partner:
            partner.message_post(body=body, message_type="sms", subtype_xmlid="mail.mt_note")
        return partner
