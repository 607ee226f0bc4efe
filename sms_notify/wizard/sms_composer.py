from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from ..tools import cascade, consent, gsm, kinds, numbers, tokens

#: the channels a message of each delivery mode may leave by, the first attempt first
CHANNELS_OF_MODE = {
    cascade.SMS_ONLY: (cascade.SMS,),
    cascade.VIBER_ONLY: (cascade.VIBER,),
    cascade.VIBER_THEN_SMS: (cascade.VIBER, cascade.SMS),
}
#: what the gateway shown in the composer follows
GATEWAY_DEPENDS = (
    "composition_mode",
    "res_model",
    "res_id",
    "res_ids",
    "number_field_name",
    "sanitized_numbers",
    "recipient_single_number_itf",
    "delivery_mode",
)

#: what the cost shown in the composer follows (billing's preview too)
COST_DEPENDS = (
    "body",
    "message_kind",
    "template_id",
    "composition_mode",
    "recipient_valid_count",
    "sanitized_numbers",
    "res_ids",
    "res_id",
    "delivery_mode",
)


class SmsComposer(models.TransientModel):
    _inherit = "sms.composer"

    message_kind = fields.Selection(
        kinds.MESSAGE_KIND_SELECTION,
        string="Kind",
        compute="_compute_message_kind",
        store=True,
        readonly=False,
        help="Service: a notification the customer expects. Advertising: a promotion. Decides "
        "the price, and the consent the customer must have given.",
    )
    sms_notify_cost_summary = fields.Char(string="Cost Details", compute="_compute_sms_notify_cost")

    sms_notify_consent_warning = fields.Text(
        string="Consent", compute="_compute_sms_notify_consent_warning"
    )
    sms_notify_gateway_name = fields.Char(
        string="Sent Through",
        compute="_compute_sms_notify_gateway",
        help="The gateway the queue hands this message to: the company's first gateway that "
        "sends to the customer's number.",
    )
    sms_notify_gateway_sandbox = fields.Boolean(
        string="Sandbox Gateway",
        compute="_compute_sms_notify_gateway",
        help="The message goes to the sandbox: it is recorded, never sent to a phone.",
    )
    sms_notify_gateway_iap = fields.Boolean(
        string="Odoo IAP Gateway",
        compute="_compute_sms_notify_gateway",
        help="The message goes through Odoo IAP, at Odoo's prices.",
    )
    sms_notify_segment_limit = fields.Integer(
        string="SMS Part Limit",
        compute="_compute_sms_notify_segment_limit",
        help="The most SMS parts one message may take (the template's limit, else the one in "
        "Settings); 0: no limit.",
    )
    sms_notify_outcome = fields.Json(
        string="Outcome",
        readonly=True,
        copy=False,
        help="What the last send did: the messages queued, the skipped ones per reason, the cost.",
    )

    @api.depends("message_kind", "composition_mode", "res_ids", "res_id", "number_field_name")
    def _compute_sms_notify_consent_warning(self):
        for composer in self:
            refusals = composer._sms_notify_consent_refusals()
            composer.sms_notify_consent_warning = (
                "\n".join(f"{name}: {text}" for name, text in refusals) or False
            )

    def _sms_notify_consent_refusals(self):
        """``[(recipient, why it would be refused)]`` for the customers of a chatter message;
        a mass mailing's refused recipients are cancelled one by one instead."""
        if self.composition_mode != "comment" or not self.res_model:
            return []
        records = self._get_records()
        if not records:
            return []
        recipients = records._sms_get_recipients_info(
            force_field=self.number_field_name,
            partner_fallback=not self.comment_single_recipient,
        )
        blacklisted = set(
            self.env["phone.blacklist"]
            .sudo()
            .search([("number", "in", [info["sanitized"] for info in recipients.values()])])
            .mapped("number")
        )
        sms = self.env["sms.sms"]
        refusals = []
        for record in records:
            info = recipients[record.id]
            partner = info["partner"][:1]
            reason = consent.refusal(
                self.message_kind,
                blacklisted=bool(info["sanitized"]) and info["sanitized"] in blacklisted,
                customer=bool(partner),
                opted_out=partner.sms_notify_opt_out,
                advertising_consent=partner.sms_notify_ad_consent,
            )
            if reason:
                name = partner.display_name or record.display_name
                refusals.append((name, sms._sms_notify_consent_refusal(reason)[1]))
        return refusals

    @api.depends(
        lambda self: ["template_id"] + (["mailing_id"] if "mailing_id" in self._fields else [])
    )
    def _compute_message_kind(self):
        for composer in self:
            if composer._sms_notify_mailing():
                # a mailing (SMS Marketing) promotes; its sender says so when it does not
                composer.message_kind = kinds.ADVERTISING
            else:
                composer.message_kind = (
                    composer.template_id.message_kind or composer.message_kind or kinds.SERVICE
                )

    @api.depends("template_id")
    def _compute_sms_notify_segment_limit(self):
        for composer in self:
            composer.sms_notify_segment_limit = composer._sms_notify_segment_limit()

    def _sms_notify_segment_limit(self):
        """The most SMS parts a message may take: the template's own limit when it is lower
        than the company-wide one (or there is none), else the company-wide one; 0: none."""
        limit = self.env["sms.sms"]._sms_notify_max_segments()
        own_limit = self.template_id.sms_notify_max_segments
        if own_limit and (not limit or own_limit < limit):
            limit = own_limit
        return limit

    @api.depends(*GATEWAY_DEPENDS)
    def _compute_sms_notify_gateway(self):
        for composer in self:
            gateways, unrouted, iap = composer._sms_notify_preview_gateways()
            names = gateways.mapped("name") + (["Odoo IAP"] if iap else [])
            if unrouted:
                names.append(
                    self.env._("no gateway sends to %(numbers)s", numbers=", ".join(unrouted))
                )
            composer.sms_notify_gateway_name = ", ".join(names) or False
            # the banner says nothing reaches a phone: only when no other gateway may send
            composer.sms_notify_gateway_sandbox = (
                bool(gateways)
                and not unrouted
                and all(gateway.gateway_type in gateways._simulated_types() for gateway in gateways)
            )
            composer.sms_notify_gateway_iap = iap or any(
                gateway.gateway_type in gateways._iap_types() for gateway in gateways
            )

    def _sms_notify_preview_gateways(self):
        """``(gateways, unrouted numbers, through Odoo IAP)``: the gateways of the company
        (``_sms_notify_cost_company``) the queue will hand these messages to, as it routes
        them (``sms.notify.gateway._route``). Each recipient's number is routed for a chatter
        message or typed numbers; a mass send may go through any of the company's gateways
        of its channels. A company without gateways sends through Odoo IAP, as Odoo does.

        Only names and types of the gateways are read, as the superuser: the gateways are the
        document's company's, which need not be among the companies the sender works in."""
        gateway_model = self.env["sms.notify.gateway"].sudo()
        candidates = gateway_model._get_candidates(self._sms_notify_cost_company())
        if not candidates:
            return gateway_model, [], True
        channels = CHANNELS_OF_MODE.get(self.delivery_mode or cascade.SMS_ONLY, (cascade.SMS,))
        by_channel = [
            candidates.filtered(lambda gateway, channel=channel: gateway._sends_channel(channel))
            for channel in channels
        ]
        e164_numbers = self._sms_notify_preview_numbers()
        if e164_numbers is None:
            return gateway_model.union(*by_channel), [], False
        routed, unrouted = gateway_model, []
        for number in e164_numbers:
            for gateways in by_channel:
                gateway = gateways._route(number)
                routed |= gateway
                if not gateway and number not in unrouted:
                    unrouted.append(number)
        return routed, unrouted, False

    def _sms_notify_preview_numbers(self):
        """The recipients' numbers in E.164, or ``None`` when they are too many to route one
        by one while typing (a mass send)."""
        company_country = self._sms_notify_cost_company().country_id.code
        if self.composition_mode == "numbers" or (
            self.composition_mode == "comment" and self.sanitized_numbers
        ):
            raw_numbers = self.sanitized_numbers.split(",") if self.sanitized_numbers else []
        elif self.composition_mode == "comment" and self.recipient_single_number_itf:
            # the number the sender may correct in the dialog, written back on the document
            raw_numbers = [self.recipient_single_number_itf]
        elif self.composition_mode == "comment" and self.res_model:
            records = self._get_records()
            if not records or len(records) > 1:
                return None
            recipients = records._sms_get_recipients_info(
                force_field=self.number_field_name,
                partner_fallback=not self.comment_single_recipient,
            )
            raw_numbers = [info["sanitized"] for info in recipients.values() if info["sanitized"]]
        else:
            return None
        e164_numbers = []
        for raw in raw_numbers:
            normalized = numbers.normalize(raw, company_country_code=company_country)
            if normalized.ok and normalized.e164 not in e164_numbers:
                e164_numbers.append(normalized.e164)
        return e164_numbers

    def _sms_notify_mailing(self):
        """The mailing of SMS Marketing this composer sends, if any (SMS Marketing may not be
        installed)."""
        return self.mailing_id if "mailing_id" in self._fields else False

    @api.depends(*COST_DEPENDS)
    def _compute_sms_notify_cost(self):
        """Without billing: an estimate from what the vendors reported for the company's
        recent messages, or nothing when they reported no cost (billing shows its price)."""
        for composer in self:
            estimated = composer._sms_notify_vendor_estimate()
            if not estimated:
                composer.sms_notify_cost_summary = False
                continue
            total = f"{estimated.total:,.2f}"
            per_part = f"{estimated.per_segment:,.4f}".rstrip("0").rstrip(".")
            composer.sms_notify_cost_summary = self.env._(
                "Estimate from the vendor's reported costs: about %(total)s for %(segments)s SMS "
                "part(s) (%(per_part)s per part on average of recent messages).",
                total=total,
                segments=estimated.segments,
                per_part=per_part,
            )

    def _sms_notify_vendor_estimate(self):
        """``tools.estimate.VendorEstimate`` of sending, or ``None``."""
        return self.env["sms.sms"]._sms_notify_vendor_estimate(
            self._sms_notify_cost_company(), self._sms_notify_segment_counts()
        )

    def _sms_notify_cost_company(self):
        """The company whose costs the preview shows: the document's (the first one's in
        mass mode), else the current company."""
        records = self._get_records() if self.res_model else None
        if records:
            return self._sms_notify_companies(records[:1])[records[:1].id]
        return self.env["sms.sms"]._sms_notify_default_company()

    def _sms_notify_segment_counts(self):
        """The SMS parts of each message sending would create: each recipient's text as it will
        be sent in comment mode; in mass mode the template's text for every valid recipient
        (rendering a mailing's every text on each change would take too long)."""
        segment_counts = []
        if (
            self.composition_mode == "comment"
            and self.res_model
            and (records := self._get_records())
        ):
            if self.comment_single_recipient:
                segment_counts = [gsm.analyze(self.body or "").segments]
            else:
                bodies = self._prepare_body_values(records)
                valid = records._sms_get_recipients_info(force_field=self.number_field_name)
                segment_counts = [
                    gsm.analyze(bodies[record.id] or "").segments
                    for record in records
                    if valid[record.id]["sanitized"]
                ]
        elif self.composition_mode == "mass":
            segment_counts = [gsm.analyze(self.body or "").segments] * self.recipient_valid_count
        else:
            recipients = self.sanitized_numbers.split(",") if self.sanitized_numbers else [1]
            segment_counts = [gsm.analyze(self.body or "").segments] * len(recipients)
        return segment_counts

    def action_send_sms(self):
        """Odoo's, then what happened, told to the sender as the dialog closes: the messages
        queued, the skipped ones with their reasons, the cost and, with billing, the balance
        left."""
        result = super(
            SmsComposer, self.with_context(sms_notify_report_outcome=True)
        ).action_send_sms()
        if result or not self.sms_notify_outcome:
            return result
        return self._sms_notify_outcome_action()

    def _sms_notify_outcome_action(self):
        sms = self.env["sms.sms"]
        outcome = self.sms_notify_outcome
        skipped = bool(outcome["skipped"])
        if not outcome["queued"]:
            title = self.env._("No SMS sent")
        elif skipped:
            title = self.env._("SMS sent, some recipients skipped")
        else:
            title = self.env._("SMS sent")
        return sms._sms_notify_outcome_action(
            title, sms._sms_notify_outcome_lines(outcome), skipped=skipped
        )

    def _sms_notify_keep_outcome(self, sent):
        """Keep what the send that returned ``sent`` did (Odoo's ``_action_send_sms`` returns
        the chatter messages in comment mode, the SMS in mass mode) for
        ``action_send_sms`` to tell."""
        if not sent or not isinstance(sent, models.BaseModel) or not self.id:
            return
        messages = sent.sudo()
        if sent._name == "mail.message":
            messages = self.env["sms.sms"].sudo().search([("mail_message_id", "in", sent.ids)])
        elif sent._name != "sms.sms":
            return
        if not messages:
            # Odoo IAP deletes the messages it sent: nothing left to count
            return
        self.sms_notify_outcome = messages._sms_notify_outcome(
            self.message_kind, self.delivery_mode or "sms"
        )

    def _action_send_sms(self):
        self._sms_notify_check_may_send()
        self._sms_notify_check_texts()
        self._check_segment_limit()
        if refusals := self._sms_notify_consent_refusals():
            raise UserError(
                self.env._(
                    "This message cannot be sent:\n%(refusals)s",
                    refusals="\n".join(f"- {name}: {text}" for name, text in refusals),
                )
            )
        # the messages created below take their kind and template from the context (see sms.sms)
        sent = super(
            SmsComposer,
            self.with_context(**self._sms_notify_send_context()),
        )._action_send_sms()
        if self.env.context.get("sms_notify_report_outcome"):
            self._sms_notify_keep_outcome(sent)
        return sent

    def _sms_notify_send_context(self):
        """What the messages created from this composer take from the context (see sms.sms)."""
        return {
            "sms_notify_message_kind": self.message_kind,
            "sms_notify_template_id": self.template_id.id,
        }

    # ------------------------------------------------------------------
    # Who may send what (see readme/USAGE.md, "Who may send what")
    # ------------------------------------------------------------------

    def _sms_notify_check_may_send(self):
        """Refuse a user who may not send this: to customers of documents as *Notify* allows
        (``_sms_notify_check_may_notify``), to numbers typed by hand and in mass only as a
        Notification Manager, or as an SMS Marketing user sending a mailing.

        Automated sending passes: crons and automation actions run as superuser (Odoo runs
        server actions as superuser once it checked the user may run them)."""
        if self.env.su:
            return
        user = self.env.user
        if user.has_group("sms_notify.group_sms_notify_notification_manager"):
            return
        if self.composition_mode == "mass":
            mailing = self._sms_notify_mailing()
            if mailing and user.has_group("mass_mailing.group_mass_mailing_user"):
                return
            raise AccessError(
                self.env._(
                    "You may not send SMS in mass: only Notification Managers (and SMS Marketing "
                    "users, for their mailings) may. Ask an administrator for the right."
                )
            )
        records = self._sms_notify_customer_records()
        if records is None:
            raise AccessError(
                self.env._(
                    "You may not send SMS to numbers typed by hand: only Notification Managers "
                    "may. Send it from the customer's contact or document instead."
                )
            )
        records._sms_notify_check_may_notify()
        # the right to send order-ready notifications is for ready documents, whatever the
        # dialog the user sends them from
        records._sms_notify_check_ready()

    def _sms_notify_customer_records(self):
        """The documents whose customers a comment-mode SMS goes to, or ``None`` when it goes
        to numbers the user typed (the numbers field, or a number other than the document's)
        or to no document with a chatter."""
        if self.composition_mode != "comment" or self.numbers:
            return None
        records = self._get_records()
        if records is None or not records or not isinstance(records, self.pool["mail.thread"]):
            return None
        # Odoo sends a single document's SMS to the number in the dialog; one typed there goes
        # to the document's own field when it has one, and to the number alone otherwise
        typed = self.comment_single_recipient and self.recipient_single_number_itf
        if (
            typed
            and typed != self.recipient_single_number
            and (not self.number_field_name or self.number_field_name not in records)
        ):
            return None
        return records

    # ------------------------------------------------------------------
    # Texts: nothing empty or half-rendered reaches a customer, or is charged
    # ------------------------------------------------------------------

    def _sms_notify_check_texts(self):
        """Refuse, before any SMS is created, a text that would go out empty or with a token
        or a placeholder left in it, naming the recipient. A mailing's texts are checked as
        they are prepared (see ``_prepare_mass_sms_values``), automated sending's by the queue,
        which cancels such messages."""
        if self.env.su or self.composition_mode == "mass":
            return
        records = self._get_records()
        if (
            self.composition_mode == "comment"
            and records
            and isinstance(records, self.pool["mail.thread"])
        ):
            bodies = self._prepare_body_values(records)
            texts = [(record.display_name, bodies[record.id]) for record in records]
        else:
            texts = [(self.numbers or self.recipient_single_number_itf or "", self.body)]
        self._sms_notify_raise_unrendered(texts)

    def _sms_notify_raise_unrendered(self, texts):
        """Raise a ``UserError`` for the ``(recipient, text)`` pairs whose text must not go."""
        sms = self.env["sms.sms"]
        refused = [
            (name, sms._sms_notify_unrendered_text(reason, text))
            for name, text in texts
            if (reason := tokens.unrendered_reason(text))
        ]
        if refused:
            raise UserError(
                self.env._(
                    "This SMS cannot be sent:\n%(refusals)s",
                    refusals="\n".join(f"- {name}: {text}" for name, text in refused[:10]),
                )
            )

    def _action_send_sms_comment(self, records=None):
        """Odoo's, with the SMS posted on a contact the user may send to but not edit (see
        ``_sms_notify_poster``); the texts are rendered as the user, as in Odoo."""
        records = records if records is not None else self._get_records()
        poster = records._sms_notify_poster()
        if poster.env.su == records.env.su:
            return super()._action_send_sms_comment(records)
        subtype_id = self.env["ir.model.data"]._xmlid_to_res_id("mail.mt_note")
        bodies = self._prepare_body_values(records)
        messages = self.env["mail.message"]
        for record in poster:
            messages += record._message_sms(
                bodies[record.id],
                subtype_id=subtype_id,
                number_field=self.number_field_name,
                sms_numbers=self.sanitized_numbers.split(",") if self.sanitized_numbers else None,
            )
        return messages.with_env(self.env)

    def _check_segment_limit(self):
        """Refuse a text over the segment limit while the user can still shorten it.

        Each recipient's text is checked as it will be sent (placeholders rendered), so a
        long customer name cannot slip a message over the limit."""
        limit = self._sms_notify_segment_limit()
        if not limit:
            return
        bodies = [self.body or ""]
        if self.composition_mode == "comment":
            # a mass mailing would render every body twice; its messages are checked when
            # they are sent instead
            records = self._get_records()
            if records:
                bodies = list(self._prepare_body_values(records).values())
        longest_body = max(bodies, key=lambda body: gsm.analyze(body).segments)
        longest = gsm.analyze(longest_body)
        if longest.segments > limit:
            message = self.env._(
                "This text needs %(segments)s SMS (%(units)s characters in %(encoding)s), "
                "more than the limit of %(limit)s. Shorten it, or raise the limit in "
                "Settings › SMS Notify.",
                segments=longest.segments,
                units=longest.units,
                encoding="GSM-7" if longest.is_gsm7 else self.env._("Unicode"),
                limit=limit,
            )
            if not longest.is_gsm7:
                message += "\n" + self.env._(
                    "Unicode because of: %(characters)s. Without them an SMS holds 160 "
                    "characters instead of 70.",
                    characters=gsm.unicode_reason(longest_body),
                )
            raise UserError(message)

    # ------------------------------------------------------------------
    # Mass mode: the same outcome as Odoo's, in time linear in the recipients
    # ------------------------------------------------------------------

    def _prepare_mass_sms_values(self, records):
        values = super()._prepare_mass_sms_values(records)
        if not self.env.su:
            self._sms_notify_raise_unrendered(
                [
                    (record.display_name, values[record.id]["body"])
                    for record in records
                    if values[record.id]["state"] == "outgoing"
                ]
            )
        if not self._sms_notify_mailing():
            self._sms_notify_cancel_refused(values)
        companies = self._sms_notify_companies(records)
        for record in records:
            values[record.id]["company_id"] = companies[record.id].id
        if isinstance(records, self.pool["mail.thread"]):
            for record in records:
                values[record.id]["sms_notify_team_id"] = record._sms_notify_team().id
        return values

    def _sms_notify_cancel_refused(self, values):
        """Cancel at once, with the reason, the messages of ``values`` (see
        ``_prepare_mass_sms_values``) their recipient did not agree to receive, as the queue
        would (``sms.sms._sms_notify_refuse_without_consent``): the sender then sees them
        skipped in the send's outcome rather than cancelled later. A mailing's are left to
        the queue, as its summary foretold."""
        outgoing = [
            sms_values for sms_values in values.values() if sms_values["state"] == "outgoing"
        ]
        if not outgoing:
            return
        sms = self.env["sms.sms"]
        blacklisted = sms._sms_notify_blacklisted(
            {sms_values["number"] for sms_values in outgoing if sms_values["number"]}
        )
        partners = (
            self.env["res.partner"]
            .sudo()
            .browse({sms_values["partner_id"] for sms_values in outgoing} - {False})
        )
        partners.fetch(["sms_notify_opt_out", "sms_notify_ad_consent"])
        now = fields.Datetime.now()
        for sms_values in outgoing:
            partner = partners.browse(sms_values["partner_id"])
            reason = consent.refusal(
                self.message_kind,
                blacklisted=sms_values["number"] in blacklisted,
                customer=bool(partner),
                opted_out=partner.sms_notify_opt_out,
                advertising_consent=partner.sms_notify_ad_consent,
            )
            if reason:
                failure_type, text = sms._sms_notify_consent_refusal(reason)
                sms_values.update(
                    state="canceled",
                    failure_type=failure_type,
                    gateway_error=text,
                    status_datetime=now,
                )

    def _sms_notify_companies(self, records):
        """``{record id: company}``: the company each message is sent and paid for, the
        document's own, else the one the context names (an automatic rule's), else the
        current company."""
        default = self.env["sms.sms"]._sms_notify_default_company()
        return records._mail_get_companies(default=default)

    def _prepare_recipient_values(self, records):
        if self.composition_mode != "mass" or not self.env[
            "sms.notify.gateway"
        ].sudo().search_count([], limit=1):
            return super()._prepare_recipient_values(records)
        return self._sms_notify_recipients(records)

    def _sms_notify_recipients(self, records):
        """What ``_sms_get_recipients_info`` answers, for the whole recordset at once and with
        numbers checked the way the gateways need them (a valid mobile number, in E.164).

        Odoo finds partners, countries and numbers one record at a time; for a mailing to
        10,000 contacts that was the largest part of its preparation."""
        number_fields = [self.number_field_name] if self.number_field_name else []
        number_fields = [
            fname
            for fname in number_fields or records._phone_get_number_fields()
            if fname in records._fields
        ]
        partner_number_fields = self.env["res.partner"]._phone_get_number_fields()
        partners_by_record = records._mail_get_partners()
        country_by_record = records._phone_get_country()
        # a number without its country code is read in the country of the message's company
        companies = self._sms_notify_companies(records)

        def e164(number, country, company_country):
            if not number:
                return False
            return numbers.normalize(number, country.code, company_country).e164 or False

        result = {}
        for record in records:
            company_country = companies[record.id].country_id.code
            partners = partners_by_record[record.id]
            country = country_by_record.get(record.id) or self.env["res.country"]
            found = next(
                (
                    (fname, sanitized)
                    for fname in number_fields
                    if (sanitized := e164(record[fname], country, company_country))
                ),
                None,
            )
            if found:
                fname, sanitized = found
                result[record.id] = {
                    "partner": partners[:1],
                    "sanitized": sanitized,
                    "number": record[fname],
                    "partner_store": False,
                    "field_store": fname,
                }
            elif partners:
                partner, fname, sanitized = partners[-1:], False, False
                for candidate in partners:
                    fname, sanitized = next(
                        (
                            (field, number)
                            for field in partner_number_fields
                            if (
                                number := e164(
                                    candidate[field], candidate.country_id, company_country
                                )
                            )
                        ),
                        (False, False),
                    )
                    if sanitized:
                        partner = candidate
                        break
                if not sanitized:
                    fname = "phone" if partner.phone and not partner.mobile else "mobile"
                result[record.id] = {
                    "partner": partner,
                    "sanitized": sanitized,
                    "number": partner[fname],
                    "partner_store": True,
                    "field_store": fname,
                }
            else:
                value, fname = next(
                    ((record[fname], fname) for fname in number_fields if record[fname]),
                    (False, number_fields[0] if number_fields else False),
                )
                result[record.id] = {
                    "partner": self.env["res.partner"],
                    "sanitized": False,
                    "number": value,
                    "partner_store": False,
                    "field_store": fname,
                }
        return result

    def _get_done_record_ids(self, records, recipients_info):
        """Duplicates in one pass: Odoo looks each number up in a list of the numbers seen so
        far, which takes minutes at 100,000 recipients. Other modules' additions (SMS
        Marketing's already-reached records) still come from the parent, given no record;
        only those of ``records`` are kept, since Odoo then looks each recipient up in them."""
        done_ids = self._sms_notify_among(
            super()._get_done_record_ids(records.browse(), recipients_info), records
        )
        seen = set()
        for record in records:
            sanitized = recipients_info[record.id]["sanitized"]
            if sanitized in seen:
                done_ids.append(record.id)
            else:
                seen.add(sanitized)
        return done_ids

    @staticmethod
    def _sms_notify_among(record_ids, records):
        """The ids of ``record_ids`` that belong to ``records``: Odoo looks every recipient up
        in these lists, so ids of other records only cost time."""
        wanted = set(records.ids)
        return [record_id for record_id in record_ids if record_id in wanted]

    def _get_blacklist_record_ids(self, records, recipients_info):
        """The blacklist as a set: Odoo scans the whole blacklist for every recipient."""
        if not self.mass_use_blacklist:
            return super()._get_blacklist_record_ids(records, recipients_info)
        blacklist_ids = super()._get_blacklist_record_ids(records.browse(), recipients_info)
        blacklisted = set(self.env["phone.blacklist"].sudo().search([]).mapped("number"))
        blacklist_ids += [
            record.id
            for record in records
            if recipients_info[record.id]["sanitized"] in blacklisted
        ]
        return blacklist_ids
