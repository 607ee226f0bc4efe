from odoo import api, fields, models

from ..tools import kinds

#: scheduled messages handed over per run of the sending cron
SEND_BATCH = 500


class SmsNotifyScheduled(models.Model):
    """A message an automatic rule will send: the document, the customer, when it is due and
    until when it may still go. Rendered and sent when due, so it says what is true then."""

    _name = "sms.notify.scheduled"
    _description = "Scheduled Notification"
    _order = "due_datetime desc, id desc"
    _rec_name = "rule_id"

    rule_id = fields.Many2one("sms.notify.rule", required=True, ondelete="cascade", index=True)
    # few indexes: a rule firing on 10,000 documents inserts 10,000 rows in the user's request
    res_model = fields.Char(string="Document Model", required=True)
    res_id = fields.Many2oneReference(
        string="Document ID", model_field="res_model", required=True, index=True
    )
    document = fields.Reference(selection="_selection_document", compute="_compute_document")
    partner_id = fields.Many2one("res.partner", string="Customer")
    team_id = fields.Many2one("crm.team", string="Department")
    # the document's company, which sends and pays for the message; not indexed, like the
    # other columns every scheduled row is inserted with
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    due_datetime = fields.Datetime(string="Due", required=True)
    valid_until = fields.Datetime(
        help="Not sent by then, the message is cancelled as expired instead of arriving late."
    )
    state = fields.Selection(
        [
            ("scheduled", "Scheduled"),
            ("sent", "Sent"),
            ("cancelled", "Cancelled"),
            ("expired", "Expired"),
        ],
        required=True,
        default="scheduled",
    )
    text_preview = fields.Text(
        string="Text",
        compute="_compute_text_preview",
        help="The message as it would read now: it is written when due, so it says what is "
        "true then.",
    )
    cancel_reason = fields.Char(string="Why Not Sent", readonly=True)
    sent_datetime = fields.Datetime(string="Sent On", readonly=True)

    def init(self):
        self.env.cr.execute(
            """CREATE INDEX IF NOT EXISTS sms_notify_scheduled_due_index
               ON sms_notify_scheduled (due_datetime) WHERE state = 'scheduled'"""
        )

    @api.model
    def _selection_document(self):
        return [(model.model, model.name) for model in self.env["ir.model"].sudo().search([])]

    @api.depends("res_model", "res_id")
    def _compute_document(self):
        for message in self:
            message.document = (
                f"{message.res_model},{message.res_id}"
                if message.res_model in self.env and message.res_id
                else False
            )

    def _compute_text_preview(self):
        """The rule's SMS (else its e-mail's subject) rendered on each document, a rule at a
        time."""
        self.text_preview = False
        for rule, messages in self.grouped("rule_id").items():
            if rule.model_id.model not in self.env:
                continue
            template = rule.sms_template_id or rule.mail_template_id
            field_name = "body" if rule.sms_template_id else "subject"
            documents = self.env[rule.model_id.model].browse(messages.mapped("res_id")).exists()
            if not template or not documents:
                continue
            rendered = template._render_field(field_name, documents.ids, compute_lang=True)
            for message in messages:
                message.text_preview = rendered.get(message.res_id, False)

    def _cancel(self, reason, state="cancelled"):
        self.filtered(lambda message: message.state == "scheduled").write(
            {"state": state, "cancel_reason": reason}
        )

    def action_cancel(self):
        self._cancel(self.env._("Cancelled by %(user)s.", user=self.env.user.name))

    # ------------------------------------------------------------------
    # Sending when due
    # ------------------------------------------------------------------

    @api.model
    def _cron_send_due(self):
        self.env.cr.execute(
            """SELECT id FROM sms_notify_scheduled
                WHERE state = 'scheduled' AND due_datetime <= %s
                ORDER BY due_datetime, id
                LIMIT %s
                FOR UPDATE SKIP LOCKED""",
            (fields.Datetime.now(), SEND_BATCH),
        )
        batch = self.browse([row[0] for row in self.env.cr.fetchall()])
        batch._send()
        remaining = self.search_count(
            [("state", "=", "scheduled"), ("due_datetime", "<=", fields.Datetime.now())]
        )
        # Odoo runs the cron again at once, after committing, while messages are due
        self.env["ir.cron"]._notify_progress(done=len(batch), remaining=remaining)

    def _send(self):
        """Send the messages of ``self`` that are still meant to go; cancel the others, each
        with its reason."""
        now = fields.Datetime.now()
        live = self.filtered(lambda message: message.state == "scheduled")
        expired = live.filtered(lambda message: message.valid_until and message.valid_until <= now)
        expired._cancel(
            self.env._("Not sent in time: its validity ended before it could go."), "expired"
        )
        for rule, messages in (live - expired).grouped("rule_id").items():
            messages._send_for_rule(rule, now)

    def _send_for_rule(self, rule, now):
        by_id = {message.res_id: message for message in self}
        records = self.env[rule.model_id.model].browse(list(by_id)).exists()
        for res_id in set(by_id) - set(records.ids):
            by_id[res_id]._cancel(self.env._("The document was deleted."))
        applying = rule._still_applies(records)
        for record in records - applying:
            by_id[record.id]._cancel(
                self.env._("The document no longer meets the rule's condition.")
            )
        if not applying:
            return
        if rule.sms_template_id:
            # one composer per expiry and company: each message keeps its own validity and is
            # sent for the company it was scheduled for
            for (valid_until, company), group in applying.grouped(
                lambda record: (by_id[record.id].valid_until, by_id[record.id].company_id)
            ).items():
                self._send_sms(rule, group, valid_until, company)
        if rule.mail_template_id:
            refused = {}
            for company, group in applying.grouped(
                lambda record: by_id[record.id].company_id
            ).items():
                refused.update(self._send_emails(rule, group, company))
            if not rule.sms_template_id:
                for record_id, reason in refused.items():
                    by_id[record_id]._cancel(reason)
        self.browse([by_id[record.id].id for record in applying]).filtered(
            lambda message: message.state == "scheduled"
        ).write({"state": "sent", "sent_datetime": now})

    def _send_sms(self, rule, records, valid_until, company=None):
        """Hand ``rule``'s SMS to ``records`` over to the queue through Odoo's composer,
        logged in each document's chatter; consent (and, with billing, the balance) is checked
        per message on the way, and a refused one is cancelled with its reason. Sent for
        ``company`` (the one they were scheduled for) where the document has no company of its
        own."""
        self.env["sms.composer"].with_context(
            active_model=records._name,
            active_ids=records.ids,
            sms_notify_valid_until=valid_until,
            sms_notify_company_id=company.id if company else False,
            sms_notify_gateway_id=rule.gateway_id.id,
        ).create(
            {
                "composition_mode": "mass",
                "res_model": records._name,
                "res_ids": repr(records.ids),
                "template_id": rule.sms_template_id.id,
                "body": rule.sms_template_id.body,
                "mass_keep_log": True,
                "message_kind": rule.sms_template_id.message_kind,
                "delivery_mode": rule.delivery_mode,
                "viber_wait_minutes": rule.viber_wait_minutes,
            }
        )._action_send_sms()

    def _send_emails(self, rule, records, company=None):
        """Post ``rule``'s e-mail in each document's chatter, to its customer; return
        ``{document id: why not sent}`` for the customers it may not go to. Sent for
        ``company`` where the document has no company of its own."""
        template = rule.mail_template_id
        rendered = template._generate_template(records.ids, ["subject", "body_html"])
        customers = {record: record._sms_notify_customer() for record in records}
        refusals = (
            self.env["res.partner"]
            .union(*customers.values())
            ._sms_notify_email_refusals(template.message_kind or kinds.SERVICE)
        )
        refused = {}
        for record, customer in customers.items():
            if not customer.email:
                refused[record.id] = self.env._("The customer has no e-mail address.")
            elif customer in refusals:
                refused[record.id] = refusals[customer]
            else:
                values = rendered[record.id]
                record._sms_notify_post_email(
                    customer,
                    values.get("subject"),
                    values.get("body_html"),
                    template=template,
                    company=company,
                )
        return refused
