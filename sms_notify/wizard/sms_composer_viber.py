from odoo import api, fields, models
from odoo.exceptions import UserError

from ..models.sms_sms_cascade import DEFAULT_WAIT_MINUTES, DELIVERY_MODES
from ..tools import cascade, viber


# how the composer's messages go out (SMS, Viber or both), apart from what they say: one class
# per file on purpose
class SmsComposerViber(models.TransientModel):
    _inherit = "sms.composer"  # pylint: disable=consider-merging-classes-inherited

    delivery_mode = fields.Selection(
        DELIVERY_MODES,
        string="Send By",
        compute="_compute_delivery",
        store=True,
        readonly=False,
        precompute=True,
        help="SMS only; Viber only; or Viber first and the SMS when the customer has no "
        "Viber or Viber does not report delivery within the wait.",
    )
    viber_body = fields.Text(
        string="Viber Text",
        compute="_compute_delivery",
        store=True,
        readonly=False,
        precompute=True,
        help="Up to 1,000 characters. Empty: the SMS text goes by Viber too.",
    )
    viber_wait_minutes = fields.Integer(
        string="Wait for Viber (minutes)",
        compute="_compute_delivery",
        store=True,
        readonly=False,
        precompute=True,
        help="How long Viber may take to report delivery before the SMS goes instead.",
    )
    viber_image_url = fields.Char(string="Viber Image")
    viber_button_text = fields.Char(string="Viber Button")
    viber_button_url = fields.Char(string="Viber Button Link")

    @api.depends("template_id", "composition_mode", "res_id")
    def _compute_delivery(self):
        for composer in self:
            template = composer.template_id
            composer.delivery_mode = (
                template.delivery_mode or composer.delivery_mode or cascade.SMS_ONLY
            )
            viber_body = template.viber_body
            if viber_body and composer.composition_mode == "comment" and composer.res_id:
                # shown as the customer reads it, as Odoo shows the SMS text
                viber_body = template._render_field(
                    "viber_body", [composer.res_id], compute_lang=True
                )[composer.res_id]
            composer.viber_body = viber_body or composer.viber_body or False
            composer.viber_wait_minutes = (
                template.viber_wait_minutes or composer.viber_wait_minutes or DEFAULT_WAIT_MINUTES
            )

    def _sms_notify_delivery(self):
        """How the messages go out, as ``sms.sms`` reads it from the context when they are
        created: empty for SMS only."""
        if (self.delivery_mode or cascade.SMS_ONLY) == cascade.SMS_ONLY:
            return {}
        return {
            "mode": self.delivery_mode,
            "wait": (self.viber_wait_minutes or DEFAULT_WAIT_MINUTES) * 60,
            "image_url": self.viber_image_url or False,
            "button_text": self.viber_button_text or False,
            "button_url": self.viber_button_url or False,
        }

    def _sms_notify_send_context(self):
        return dict(
            super()._sms_notify_send_context(), sms_notify_delivery=self._sms_notify_delivery()
        )

    def _sms_notify_viber_bodies(self, records):
        """Each record's Viber text, rendered as its SMS text is, or ``{}`` when the Viber
        message says what the SMS says."""
        if not self.viber_body or (self.delivery_mode or cascade.SMS_ONLY) == cascade.SMS_ONLY:
            return {}
        if self.template_id and self.viber_body == self.template_id.viber_body:
            return self.template_id._render_field("viber_body", records.ids, compute_lang=True)
        return self.env["mail.render.mixin"]._render_template(
            self.viber_body, records._name, records.ids
        )

    def _sms_notify_check_texts(self):
        result = super()._sms_notify_check_texts()
        self._sms_notify_check_viber()
        return result

    def _sms_notify_check_viber(self):
        """Refuse, while the user can still change it, a Viber message no vendor would take
        and a wait out of Viber's bounds."""
        if (self.delivery_mode or cascade.SMS_ONLY) == cascade.SMS_ONLY:
            return
        if self.composition_mode == "mass":
            # rules and mailings: their texts are checked as each message goes (see
            # sms.sms._sms_notify_refuse_viber), a mailing's layout when it is written
            return
        try:
            cascade.check_wait((self.viber_wait_minutes or DEFAULT_WAIT_MINUTES) * 60)
        except ValueError as error:
            raise UserError(
                self.env._(
                    "Wait for Viber between 1 minute and 24 hours (%(minutes)s minutes given).",
                    minutes=self.viber_wait_minutes,
                )
            ) from error
        texts = [self.viber_body or self.body or ""]
        if self.composition_mode == "comment" and self.res_model:
            records = self._get_records()
            if records and isinstance(records, self.pool["mail.thread"]):
                texts = list(self._sms_notify_viber_bodies(records).values()) or texts
        sms = self.env["sms.sms"]
        for text in texts:
            reason = viber.refusal(
                text, self.viber_image_url, self.viber_button_text, self.viber_button_url
            )
            if reason:
                raise UserError(sms._sms_notify_viber_refusal_text(reason))

    def _action_send_sms_comment(self, records=None):
        """Each record's message goes with its own Viber text, when it has one."""
        records = records if records is not None else self._get_records()
        viber_bodies = self._sms_notify_viber_bodies(records)
        if not viber_bodies:
            return super()._action_send_sms_comment(records)
        messages = self.env["mail.message"]
        for record in records:
            # the messages are created in the record's environment, which names its text
            messages += super()._action_send_sms_comment(
                record.with_context(sms_notify_viber_body=viber_bodies[record.id])
            )
        return messages

    def _prepare_mass_sms_values(self, records):
        """Mass messages (automatic rules) in a Viber mode are Viber attempts with their own
        text; a mailing's are made by the campaigns, after its opt-out line was added."""
        values = super()._prepare_mass_sms_values(records)
        delivery = self._sms_notify_delivery()
        if not delivery or self._sms_notify_mailing():
            return values
        viber_bodies = self._sms_notify_viber_bodies(records)
        sms = self.env["sms.sms"]
        for res_id, sms_values in values.items():
            sms_values.update(
                sms._sms_notify_viber_values(
                    sms_values.get("body"), viber_bodies.get(res_id), delivery
                )
            )
        return values
