from odoo import api, fields, models
from odoo.exceptions import UserError

from ..models.sms_sms_cascade import DEFAULT_WAIT_MINUTES, DELIVERY_MODES
from ..tools import cascade, kinds

#: templates of the document's model, for every department or the document's own
TEMPLATE_DOMAIN = (
    "[('model', '=', res_model), '|', ('sms_notify_team_ids', '=', False), "
    "('sms_notify_team_ids', '=', team_id)]"
)


class SmsNotifyWizard(models.TransientModel):
    """*Notify*: tell the customer of a record by SMS, e-mail or both, from a template whose
    text is shown as it will be sent, with its counter, cost and consent.

    The SMS goes through Odoo's SMS composer (its checks, the kind and the chatter) and the
    e-mail through the record's chatter, so both land in the record's history."""

    _name = "sms.notify.wizard"
    _description = "Notify the Customer"

    res_model = fields.Char(required=True, readonly=True)
    res_id = fields.Integer(required=True, readonly=True)
    record_name = fields.Char(compute="_compute_record_name", string="Document")
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        compute="_compute_partner_id",
        store=True,
        readonly=False,
        # the dialog opens with the document's customer, however it is created
        precompute=True,
        help="The document's customer, who gets the message.",
    )
    channel = fields.Selection(
        [("sms", "SMS"), ("email", "E-mail"), ("both", "SMS and e-mail")],
        required=True,
        default="sms",
    )
    team_id = fields.Many2one("crm.team", string="Department", compute="_compute_team_id")
    sms_template_id = fields.Many2one(
        "sms.template",
        string="SMS Template",
        domain=TEMPLATE_DOMAIN,
        compute="_compute_templates",
        store=True,
        readonly=False,
        precompute=True,
        help="Opens with the template that fits the document's state (Order ready on a ready "
        "order); pick another one freely.",
    )
    sms_body = fields.Text(
        string="SMS Text",
        compute="_compute_sms_body",
        store=True,
        readonly=False,
        help="The text as the customer will read it; edit it freely before sending.",
    )
    delivery_mode = fields.Selection(
        DELIVERY_MODES,
        string="Send By",
        compute="_compute_delivery",
        store=True,
        readonly=False,
        precompute=True,
        help="SMS only; Viber only; or Viber first and the SMS when the customer has no Viber "
        "or Viber does not report delivery within the wait.",
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
    message_kind = fields.Selection(
        kinds.MESSAGE_KIND_SELECTION,
        string="Kind",
        compute="_compute_message_kind",
        precompute=True,
        store=True,
        readonly=False,
        required=True,
    )
    sms_number = fields.Char(related="partner_id.mobile", string="Mobile")
    sms_phone = fields.Char(related="partner_id.phone", string="Phone")
    cost_summary = fields.Char(string="Cost", compute="_compute_sms_checks")
    consent_warning = fields.Text(string="Consent", compute="_compute_sms_checks")
    # named as on Odoo's SMS composer, where the SMS counter reads them too
    sms_notify_gateway_name = fields.Char(
        string="Sent Through",
        compute="_compute_sms_checks",
        help="The gateway the queue hands this SMS to: the company's first gateway that sends "
        "to the customer's number.",
    )
    sms_notify_gateway_sandbox = fields.Boolean(
        string="Sandbox Gateway", compute="_compute_sms_checks"
    )
    sms_notify_gateway_iap = fields.Boolean(
        string="Odoo IAP Gateway", compute="_compute_sms_checks"
    )
    sms_notify_segment_limit = fields.Integer(
        string="SMS Part Limit", compute="_compute_sms_checks"
    )
    mail_template_id = fields.Many2one(
        "mail.template",
        string="E-mail Template",
        domain=TEMPLATE_DOMAIN,
        compute="_compute_templates",
        store=True,
        readonly=False,
        precompute=True,
        help="Opens with the template that fits the document's state (Order ready on a ready "
        "order); pick another one freely.",
    )
    email_kind = fields.Selection(
        kinds.MESSAGE_KIND_SELECTION,
        string="E-mail Kind",
        compute="_compute_email_kind",
        precompute=True,
        store=True,
        readonly=False,
        required=True,
        help="Service: about the customer's own order or visit. Advertising: a promotion, "
        "sent only to customers who agreed to promotions and did not unsubscribe.",
    )
    email_consent_warning = fields.Text(
        string="E-mail Consent", compute="_compute_email_consent_warning"
    )
    email_to = fields.Char(related="partner_id.email", string="E-mail")
    email_subject = fields.Char(
        string="Subject", compute="_compute_email", store=True, readonly=False
    )
    email_body = fields.Html(
        string="E-mail Text", compute="_compute_email", store=True, readonly=False
    )

    @api.depends("res_model", "res_id")
    def _compute_record_name(self):
        for wizard in self:
            wizard.record_name = wizard._get_record().display_name

    @api.depends("res_model", "res_id")
    def _compute_team_id(self):
        for wizard in self:
            record = wizard._get_record()
            wizard.team_id = record and record._sms_notify_team()

    @api.depends("res_model", "res_id")
    def _compute_partner_id(self):
        for wizard in self:
            record = wizard._get_record()
            wizard.partner_id = record and record._sms_notify_customer()

    @api.depends("res_model", "res_id")
    def _compute_templates(self):
        for wizard in self:
            record = wizard._get_record()
            sms_template, mail_template = (
                record._sms_notify_default_templates()
                if record
                else (wizard.sms_template_id, wizard.mail_template_id)
            )
            wizard.sms_template_id, wizard.mail_template_id = sms_template, mail_template

    @api.depends("sms_template_id")
    def _compute_message_kind(self):
        for wizard in self:
            wizard.message_kind = (
                wizard.sms_template_id.message_kind or wizard.message_kind or kinds.SERVICE
            )

    @api.depends("sms_template_id")
    def _compute_sms_body(self):
        for wizard in self:
            template = wizard.sms_template_id
            if template:
                wizard.sms_body = template._render_field(
                    "body", [wizard.res_id], compute_lang=True
                )[wizard.res_id]

    @api.depends("sms_template_id")
    def _compute_delivery(self):
        for wizard in self:
            template = wizard.sms_template_id
            wizard.delivery_mode = template.delivery_mode or cascade.SMS_ONLY
            wizard.viber_wait_minutes = template.viber_wait_minutes or DEFAULT_WAIT_MINUTES
            wizard.viber_body = (
                template.viber_body
                and template._render_field("viber_body", [wizard.res_id], compute_lang=True)[
                    wizard.res_id
                ]
            )

    @api.depends("mail_template_id")
    def _compute_email_kind(self):
        for wizard in self:
            wizard.email_kind = (
                wizard.mail_template_id.message_kind or wizard.email_kind or kinds.SERVICE
            )

    @api.depends("email_kind", "partner_id", "channel")
    def _compute_email_consent_warning(self):
        for wizard in self:
            wizard.email_consent_warning = wizard._sends_email() and wizard._email_refusal()

    def _email_refusal(self):
        """What stops the e-mail by the customer's consent, worded for the user, or False."""
        partner = self.partner_id
        return partner._sms_notify_email_refusals(self.email_kind or kinds.SERVICE).get(
            partner, False
        )

    @api.depends("mail_template_id")
    def _compute_email(self):
        for wizard in self:
            template = wizard.mail_template_id
            if template:
                rendered = template._generate_template([wizard.res_id], ["subject", "body_html"])[
                    wizard.res_id
                ]
                wizard.email_subject = rendered.get("subject")
                wizard.email_body = rendered.get("body_html")

    @api.depends(
        "sms_body",
        "message_kind",
        "sms_template_id",
        "partner_id",
        "channel",
        "delivery_mode",
        "viber_body",
    )
    def _compute_sms_checks(self):
        for wizard in self:
            composer = wizard._sms_composer(new=True) if wizard._sends_sms() else None
            wizard.cost_summary = composer and composer.sms_notify_cost_summary
            wizard.consent_warning = composer and composer.sms_notify_consent_warning
            wizard.sms_notify_gateway_name = composer and composer.sms_notify_gateway_name
            wizard.sms_notify_gateway_sandbox = bool(composer) and (
                composer.sms_notify_gateway_sandbox
            )
            wizard.sms_notify_gateway_iap = bool(composer) and composer.sms_notify_gateway_iap
            wizard.sms_notify_segment_limit = composer.sms_notify_segment_limit if composer else 0

    def _get_record(self):
        self.ensure_one()
        if not self.res_model or self.res_model not in self.env:
            return self.env["res.partner"]
        return self.env[self.res_model].browse(self.res_id).exists()

    def _sends_sms(self):
        return self.channel in ("sms", "both")

    def _sends_email(self):
        return self.channel in ("email", "both")

    def _sms_composer(self, new=False):
        """Odoo's SMS composer on the record, with this text and kind: its counter, cost,
        consent and sending are the ones every other SMS of Odoo goes through."""
        values = {
            "composition_mode": "comment",
            "res_model": self.res_model,
            "res_id": self.res_id,
            "body": self.sms_body or "",
            "template_id": self.sms_template_id.id,
            "message_kind": self.message_kind,
            "delivery_mode": self.delivery_mode or cascade.SMS_ONLY,
            "viber_body": self.viber_body or False,
            "viber_wait_minutes": self.viber_wait_minutes or DEFAULT_WAIT_MINUTES,
        }
        composer = self.env["sms.composer"].with_context(
            default_res_model=self.res_model, default_res_id=self.res_id
        )
        return composer.new(values) if new else composer.create(values)

    def action_send(self):
        self.ensure_one()
        record = self._get_record()
        if not record:
            raise UserError(self.env._("The document to notify about no longer exists."))
        # the dialog can be created through RPC without its button: it checks what it does
        record._sms_notify_check_ready()
        record._sms_notify_check_may_notify()
        for template in (self.sms_template_id, self.mail_template_id):
            teams = template.sms_notify_team_ids
            if teams and self.team_id not in teams:
                raise UserError(
                    self.env._(
                        "The template %(template)s is for %(teams)s only, not for this "
                        "document's department.",
                        template=template.name,
                        teams=", ".join(teams.mapped("name")),
                    )
                )
        if self._sends_sms() and not (self.sms_body or "").strip():
            raise UserError(self.env._("Write the SMS text, or pick an SMS template."))
        if self._sends_sms():
            composer = self._sms_composer(new=True)
            if composer.comment_single_recipient and not composer.recipient_single_valid:
                # said before anything leaves, the e-mail of "SMS and e-mail" included
                raise UserError(
                    self.env._(
                        "%(customer)s has no mobile number an SMS can reach: add one on their "
                        "contact, or send an e-mail only.",
                        customer=self.partner_id.display_name or self.record_name,
                    )
                )
        if self._sends_email():
            if not self.email_to:
                raise UserError(
                    self.env._(
                        "%(customer)s has no e-mail address: add one on their contact, or send "
                        "an SMS only.",
                        customer=self.partner_id.display_name or self.record_name,
                    )
                )
            if not (self.email_subject or "").strip():
                raise UserError(self.env._("Write the e-mail subject, or pick an e-mail template."))
            if refusal := self._email_refusal():
                raise UserError(refusal)
        sms = self.env["sms.sms"]
        lines, skipped, reached = [], False, False
        if self._sends_sms():
            # refuses, with the reason, a text over the limit or a customer without consent
            composer = self._sms_composer()
            composer.action_send_sms()
            if outcome := composer.sms_notify_outcome:
                lines += sms._sms_notify_outcome_lines(outcome)
                skipped = bool(outcome["skipped"])
                reached = bool(outcome["queued"])
            else:
                # sent through Odoo IAP, which keeps no trace of them to count
                lines.append(self.env._("SMS sent"))
                reached = True
        if self._sends_email():
            # a contact's chatter takes the e-mail of a user who may send from the card
            record._sms_notify_poster()._sms_notify_post_email(
                self.partner_id,
                self.email_subject,
                self.email_body,
                template=self.mail_template_id,
                team=self.team_id,
            )
            lines.append(self.env._("E-mail sent to %(address)s", address=self.email_to))
            reached = True
        customer = self.partner_id.display_name or self.record_name
        title = (
            self.env._("%(customer)s notified", customer=customer)
            if reached
            else self.env._("Nothing sent to %(customer)s", customer=customer)
        )
        return sms._sms_notify_outcome_action(title, lines, skipped=skipped)
