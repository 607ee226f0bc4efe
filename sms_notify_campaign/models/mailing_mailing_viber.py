from odoo import api, fields, models
from odoo.exceptions import ValidationError

from odoo.addons.sms_notify.models.sms_sms_cascade import DEFAULT_WAIT_MINUTES, DELIVERY_MODES
from odoo.addons.sms_notify.tools import cascade, viber
from odoo.addons.sms_notify.tools.tokens import decompile


class MailingMailingViber(models.Model):
    # how the mailing goes out (SMS, Viber or both), beside its SMS text in mailing_mailing.py
    _inherit = "mailing.mailing"  # pylint: disable=consider-merging-classes-inherited

    sms_notify_delivery_mode = fields.Selection(
        DELIVERY_MODES,
        string="Send By",
        default=cascade.SMS_ONLY,
        help="SMS only; Viber only; or Viber first and the SMS to the customers Viber does not "
        "reach (no Viber account, or no delivery within the wait). Viber needs a gateway that "
        "sends it (SMSC, Vonage). The same recipients, consent and opt-out apply to both.",
    )
    sms_notify_viber_body = fields.Text(
        string="Viber Body",
        help="The Viber text, compiled from the text with tokens. Empty: the SMS text.",
    )
    sms_notify_viber_text = fields.Text(
        string="Viber Text",
        compute="_compute_sms_notify_viber_text",
        inverse="_inverse_sms_notify_viber_text",
        help="Up to 1,000 characters, with the same tokens as the SMS text; the opt-out link "
        "is added as to the SMS. Empty: the SMS text goes by Viber too.",
    )
    sms_notify_viber_image_url = fields.Char(
        string="Viber Image",
        help="The web address (https://...) of a picture shown in the Viber message. With a "
        "text, Viber shows a picture only with a button.",
    )
    sms_notify_viber_button_text = fields.Char(
        string="Viber Button",
        help="The caption of a button under the Viber message (up to 30 characters), e.g. "
        "Book now.",
    )
    sms_notify_viber_button_url = fields.Char(
        string="Viber Button Link", help="The web address the Viber button opens."
    )
    sms_notify_viber_wait_minutes = fields.Integer(
        string="Wait for Viber (minutes)",
        default=DEFAULT_WAIT_MINUTES,
        help="Viber then SMS: how long Viber may take to report delivery before the SMS goes "
        "(1 minute to 24 hours).",
    )

    @api.depends("sms_notify_viber_body", "mailing_model_real")
    def _compute_sms_notify_viber_text(self):
        for mailing in self:
            mailing.sms_notify_viber_text = mailing.sms_notify_viber_body and decompile(
                mailing.sms_notify_viber_body, mailing._sms_notify_tokens()
            )

    def _inverse_sms_notify_viber_text(self):
        for mailing in self:
            tokens = mailing._sms_notify_tokens()
            text = mailing.sms_notify_viber_text
            body = mailing.sms_notify_viber_body
            if (text or False) == (body and decompile(body, tokens)):
                continue
            mailing.sms_notify_viber_body = text and self.env["sms.template"]._sms_notify_compile(
                text, tokens, keep=mailing._sms_notify_kept_codes()
            )

    @api.constrains(
        "sms_notify_delivery_mode",
        "sms_notify_viber_wait_minutes",
        "sms_notify_viber_image_url",
        "sms_notify_viber_button_text",
        "sms_notify_viber_button_url",
    )
    def _check_sms_notify_viber(self):
        """A Viber message no vendor would take is refused when it is written, not when it
        is sent (its text, which tokens lengthen, is checked when it is sent)."""
        sms = self.env["sms.sms"]
        for mailing in self:
            if (mailing.sms_notify_delivery_mode or cascade.SMS_ONLY) == cascade.SMS_ONLY:
                continue
            sms._sms_notify_check_viber_wait(
                mailing.sms_notify_delivery_mode,
                mailing.sms_notify_viber_wait_minutes,
                mailing.display_name,
            )
            reason = viber.refusal(
                # the text's length is checked per recipient; its presence here
                "text" if (mailing.sms_notify_viber_body or mailing.body_plaintext) else "",
                mailing.sms_notify_viber_image_url,
                mailing.sms_notify_viber_button_text,
                mailing.sms_notify_viber_button_url,
            )
            if reason:
                raise ValidationError(
                    self.env._(
                        "%(mailing)s: %(reason)s",
                        mailing=mailing.display_name,
                        reason=sms._sms_notify_viber_refusal_text(reason),
                    )
                )

    def _send_sms_get_composer_values(self, res_ids):
        values = super()._send_sms_get_composer_values(res_ids)
        if (self.sms_notify_delivery_mode or cascade.SMS_ONLY) == cascade.SMS_ONLY:
            # said, not left to the template's own way of sending
            return dict(values, delivery_mode=cascade.SMS_ONLY)
        return dict(
            values,
            delivery_mode=self.sms_notify_delivery_mode,
            viber_body=self.sms_notify_viber_body or False,
            viber_wait_minutes=self.sms_notify_viber_wait_minutes or DEFAULT_WAIT_MINUTES,
            viber_image_url=self.sms_notify_viber_image_url or False,
            viber_button_text=self.sms_notify_viber_button_text or False,
            viber_button_url=self.sms_notify_viber_button_url or False,
        )
