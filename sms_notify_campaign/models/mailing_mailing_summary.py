"""What an SMS mailing will do before it is sent: its recipients one by one (who receives it,
who is skipped and why), how many SMS parts that makes, what it costs and whether the balance
covers it."""

import logging
import re

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

from odoo.addons.sms_notify.tools import gsm, kinds

from ..tools import recipients as recipient_tools
from ..tools.links import TEXT_URL_PATTERN

_logger = logging.getLogger(__name__)

#: the counts of the summary, one stored field per outcome of a recipient
OUTCOME_COUNT_FIELDS = {
    "send": "sms_notify_send_count",
    "excluded": "sms_notify_excluded_count",
    "reached": "sms_notify_reached_count",
    "no_number": "sms_notify_no_number_count",
    "invalid": "sms_notify_invalid_count",
    "blacklist": "sms_notify_blacklist_count",
    "unsubscribed": "sms_notify_unsubscribed_count",
    "duplicate": "sms_notify_duplicate_count",
    "opted_out": "sms_notify_opted_out_count",
    "no_consent": "sms_notify_no_consent_count",
    "night_expired": "sms_notify_night_expired_count",
}
#: rows of recipients whose number is judged again, per statement
NUMBER_BATCH = 20000


def _count(string, help_text=None):
    return fields.Integer(string=string, readonly=True, copy=False, help=help_text)


class MailingMailing(models.Model):
    _inherit = "mailing.mailing"  # pylint: disable=consider-merging-classes-inherited

    sms_notify_summary_date = fields.Datetime(
        string="Summary of", readonly=True, copy=False, help="When the summary was computed."
    )
    sms_notify_recipient_count = _count(
        "Recipients", "Records the mailing's filter selects, and the ones added by hand."
    )
    sms_notify_send_count = _count("Will Receive It")
    sms_notify_ab_send_count = _count(
        "In This A/B Version",
        "An A/B test sends this version to a share of the recipients, picked at random when "
        "it is sent: about this many of those who will receive it. The parts and the cost "
        "count them.",
    )
    sms_notify_quiet_count = _count(
        "Now in Quiet Hours",
        "Recipients for whom it is now night: their SMS waits for the end of the quiet hours.",
    )
    sms_notify_excluded_count = _count("Taken Off by Hand")
    sms_notify_reached_count = _count("Already Reached")
    sms_notify_no_number_count = _count("No Mobile Number")
    sms_notify_invalid_count = _count(
        "Invalid Number", "Not a mobile number SMS can reach (a landline, a typo)."
    )
    sms_notify_blacklist_count = _count("Blacklisted")
    sms_notify_unsubscribed_count = _count("Unsubscribed from the List")
    sms_notify_duplicate_count = _count(
        "Duplicate Number", "Another recipient has the same number: it gets the SMS once."
    )
    sms_notify_opted_out_count = _count("No SMS", "Customers who asked not to receive SMS.")
    sms_notify_no_consent_count = _count(
        "No Consent to Promotions", "Customers who did not agree to SMS promotions."
    )
    sms_notify_night_expired_count = _count(
        "Night Until It Expires",
        "It is night on these customers' clock until after the mailing's validity ends: their "
        "SMS would wait for the morning and be cancelled as expired.",
    )
    sms_notify_skipped_count = _count("Skipped")
    sms_notify_parts = _count(
        "SMS Parts per Message",
        "With tokens, the parts of the longest text a recipient gets: the cost is reckoned on "
        "it, so sending costs at most that.",
    )
    sms_notify_segments = _count("SMS Parts in All")
    sms_notify_currency_id = fields.Many2one(
        "res.currency", string="Cost Currency", readonly=True, copy=False
    )
    sms_notify_cost = fields.Monetary(
        string="Cost",
        currency_field="sms_notify_currency_id",
        readonly=True,
        copy=False,
        help="Under the company's tariff, or the vendor's estimate without billing.",
    )
    sms_notify_cost_known = fields.Boolean(string="Cost Known", readonly=True, copy=False)
    sms_notify_cost_billed = fields.Boolean(string="Billed", readonly=True, copy=False)
    sms_notify_balance_after = fields.Monetary(
        string="Balance After Sending",
        currency_field="sms_notify_currency_id",
        readonly=True,
        copy=False,
    )
    sms_notify_cost_enough = fields.Boolean(
        string="Balance Covers It", default=True, readonly=True, copy=False
    )
    sms_notify_cost_text = fields.Char(string="Cost Details", readonly=True, copy=False)

    # ------------------------------------------------------------------
    # Buttons
    # ------------------------------------------------------------------

    def action_sms_notify_refresh_summary(self):
        for mailing in self:
            mailing._sms_notify_summarize()
        return True

    def action_sms_notify_send_dialog(self):
        """The confirmation before sending: the summary, fresh, with Send and Schedule."""
        self.ensure_one()
        self._sms_notify_summarize()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Send the SMS Mailing"),
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "views": [
                (self.env.ref("sms_notify_campaign.mailing_mailing_view_form_sms_send").id, "form")
            ],
            "target": "new",
            "context": {"dialog_size": "medium"},
        }

    def action_sms_notify_recipients(self):
        """The mailing's recipients, one line each, with what will happen to them."""
        self.ensure_one()
        self._sms_notify_summarize()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "sms_notify_campaign.sms_notify_campaign_recipient_action"
        )
        action["domain"] = [
            ("mailing_id", "=", self.id),
            "|",
            ("in_domain", "=", True),
            ("added", "=", True),
        ]
        action["context"] = {"default_mailing_id": self.id, "sms_notify_mailing_id": self.id}
        action["name"] = self.env._("Recipients of %(mailing)s", mailing=self.display_name)
        return action

    def action_sms_notify_add_recipients(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Add Recipients"),
            "res_model": "sms.notify.campaign.recipient.add",
            "view_mode": "form",
            "target": "new",
            "context": {"default_mailing_id": self.id},
        }

    # ------------------------------------------------------------------
    # Sending: refused when the balance does not cover it
    # ------------------------------------------------------------------

    def action_put_in_queue(self):
        """Queue (now or at the scheduled date) only what the balance covers."""
        for mailing in self.filtered(lambda m: m.mailing_type == "sms"):
            mailing._sms_notify_check_cost()
        return super().action_put_in_queue()

    def action_send_sms(self, res_ids=None):
        mailings = self
        if res_ids is None:
            for mailing in self:
                mailing._sms_notify_check_cost()
            # the summary judged every recipient's number just now, in this transaction: the
            # composer takes them from the recipient list instead of judging them again
            mailings = self.with_context(sms_notify_recipients_judged=True)
        return super(MailingMailing, mailings).action_send_sms(res_ids=res_ids)

    @api.model
    def _process_mass_mailing_queue(self):
        """A scheduled mailing the balance no longer covers goes back to draft, with a note
        saying why, instead of failing the whole queue run."""
        due = self.search(
            [
                ("mailing_type", "=", "sms"),
                ("state", "in", ("in_queue", "sending")),
                "|",
                ("schedule_date", "<", fields.Datetime.now()),
                ("schedule_date", "=", False),
            ]
        )
        for mailing in due:
            try:
                mailing._sms_notify_check_cost()
            except UserError as refusal:
                _logger.info("SMS mailing %s not sent: %s", mailing.id, refusal)
                mailing.write({"state": "draft", "schedule_date": False, "schedule_type": "now"})
                mailing.message_post(body=str(refusal))
        return super()._process_mass_mailing_queue()

    def _sms_notify_check_cost(self):
        """Raise a ``UserError`` saying what to do when the balance does not cover sending."""
        self.ensure_one()
        summary = self._sms_notify_summarize()
        if summary["enough"]:
            return
        if summary.get("package"):
            # a message package: what sending takes and what is left are messages
            needed = f"{summary['package_messages']:,}"
            left = f"{summary['package_left']:,}"
            raise UserError(
                self.env._(
                    "The SMS mailing %(mailing)s cannot be sent: it takes up to %(needed)s "
                    "messages of your package and %(left)s are left. Buy a package in SMS "
                    "Notify › Balance, or take recipients off the mailing (Recipients button) "
                    "until it fits.",
                    mailing=self.display_name,
                    needed=needed,
                    left=left,
                )
            )
        cost = f"{summary['total'] or 0.0:,.2f}"
        balance = f"{summary['balance'] or 0.0:,.2f}"
        raise UserError(
            self.env._(
                "The SMS mailing %(mailing)s cannot be sent: it costs %(cost)s %(currency)s "
                "(%(messages)s SMS, %(segments)s parts) and the SMS balance is %(balance)s "
                "%(currency)s. Top up the balance in SMS Notify › Balance, or take recipients "
                "off the mailing (Recipients button) until the cost fits.",
                mailing=self.display_name,
                cost=cost,
                currency=summary["currency"].name,
                messages=summary["messages"],
                segments=summary["segments"],
                balance=balance,
            )
        )

    def _sms_notify_check_editable(self):
        for mailing in self:
            if mailing.state == "done":
                raise UserError(
                    self.env._(
                        "The mailing %(mailing)s was sent: its recipients cannot change any more. "
                        "Duplicate it to send it again.",
                        mailing=mailing.display_name,
                    )
                )

    # ------------------------------------------------------------------
    # Recipients as sending will see them (exclusions, additions, numbers)
    # ------------------------------------------------------------------

    def _get_recipients(self):
        res_ids = super()._get_recipients()
        if self.mailing_type != "sms" or not self.id:
            return res_ids
        self.env["sms.notify.campaign.recipient"].flush_model()
        self.env.cr.execute(
            """SELECT res_id, excluded FROM sms_notify_campaign_recipient
                WHERE mailing_id = %s AND (excluded OR added)
             ORDER BY sequence, id""",
            [self.id],
        )
        rows = self.env.cr.fetchall()
        if not rows:
            return res_ids
        excluded = {res_id for res_id, is_excluded in rows if is_excluded}
        selected = set(res_ids)
        added = [res_id for res_id, is_excluded in rows if not is_excluded]
        added = self.env[self.mailing_model_real].browse(
            [res_id for res_id in added if res_id not in selected]
        )
        return [res_id for res_id in res_ids if res_id not in excluded] + added.exists().ids

    def _sms_notify_add_records(self, records):
        """Add ``records`` (of the mailing's model) to its recipients, after the ones its
        filter selects; a record taken off before is put back."""
        self.ensure_one()
        self.check_access("write")
        self._sms_notify_check_company()
        self._sms_notify_check_editable()
        if records._name != self.mailing_model_real:
            raise UserError(
                self.env._(
                    "This mailing is sent to %(model)s: add records of that kind.",
                    model=self.mailing_model_id.display_name,
                )
            )
        if not records:
            return
        self.env["sms.notify.campaign.recipient"].flush_model()
        self.env.cr.execute(
            """INSERT INTO sms_notify_campaign_recipient AS r
                      (mailing_id, company_id, res_id, sequence, in_domain, added, excluded)
               SELECT %(mailing)s, %(company)s, a.res_id,
                      (SELECT coalesce(max(sequence), 0) FROM sms_notify_campaign_recipient
                        WHERE mailing_id = %(mailing)s) + a.position,
                      FALSE, TRUE, FALSE
                 FROM unnest(%(ids)s::int[]) WITH ORDINALITY AS a(res_id, position)
          ON CONFLICT (mailing_id, res_id) DO UPDATE SET added = TRUE, excluded = FALSE""",
            {
                "mailing": self.id,
                "company": self._sms_notify_company().id,
                "ids": records.ids,
            },
        )
        self._sms_notify_summarize()

    def _sms_notify_company(self):
        """The company that sends and pays for the mailing (see the composer)."""
        return (self.user_id or self.write_uid or self.env.user).company_id

    def _sms_notify_check_company(self):
        """Refuse a user who does not work in the company that sends and pays for the mailing:
        SMS Marketing lets every marketing user open every mailing, but its summary reads that
        company's costs and balance as superuser, its recipients are that company's, and
        sending spends its balance."""
        if self.env.su:
            return
        for mailing in self:
            company = mailing._sms_notify_company()
            if company not in self.env.companies:
                raise AccessError(
                    self.env._(
                        "The SMS mailing %(mailing)s is sent by %(company)s: only its users can "
                        "review its recipients, change them or send it. Switch to %(company)s "
                        "if you work there too.",
                        mailing=mailing.display_name,
                        # only the name, to say where to switch to
                        company=company.sudo().name,
                    )
                )

    # ------------------------------------------------------------------
    # The summary
    # ------------------------------------------------------------------

    def _sms_notify_summarize(self):
        """Refresh the recipients, store the summary on the mailing and return it: the
        outcome counts and the cost preview of ``sms.sms._sms_notify_cost_preview``."""
        self.ensure_one()
        # the preview and the summary's write are done as superuser, for this company only
        self._sms_notify_check_company()
        counts = dict.fromkeys(OUTCOME_COUNT_FIELDS, 0)
        quiet = 0
        for outcome, (count, quiet_count) in self._sms_notify_sync_recipients().items():
            counts[outcome] = count
            quiet += quiet_count
        parts = self._sms_notify_summary_parts()
        sent = self._sms_notify_ab_share(counts["send"])
        preview = self.env["sms.sms"]._sms_notify_cost_preview(
            self._sms_notify_company(),
            self.message_kind,
            # a Viber message is one whatever its parts: one each, for the count to keep them
            [parts or 1] * sent if self.sms_notify_delivery_mode == "viber" else [parts] * sent,
            mode=self.sms_notify_delivery_mode or "sms",
        )
        values = {fname: counts[outcome] for outcome, fname in OUTCOME_COUNT_FIELDS.items()}
        values.update(
            sms_notify_summary_date=fields.Datetime.now(),
            sms_notify_recipient_count=sum(counts.values()),
            sms_notify_skipped_count=sum(counts.values()) - counts["send"],
            sms_notify_quiet_count=quiet,
            sms_notify_parts=parts,
            sms_notify_ab_send_count=sent if sent != counts["send"] else 0,
            sms_notify_segments=parts * sent,
            sms_notify_currency_id=preview["currency"].id,
            sms_notify_cost=preview["total"] or 0.0,
            sms_notify_cost_known=preview["total"] is not None,
            sms_notify_cost_billed=preview["billed"],
            sms_notify_balance_after=preview["balance_after"] or 0.0,
            sms_notify_cost_enough=preview["enough"],
            sms_notify_cost_text=preview["text"],
        )
        # the summary is the mailing's, whoever may look at it: no write access needed
        self.sudo().write(values)
        return dict(preview, counts=counts, quiet=quiet, parts=parts)

    def _sms_notify_ab_share(self, count):
        """How many of the ``count`` recipients who would receive the mailing this A/B test
        version goes to: SMS Marketing picks its share of the filter's records at random when
        it sends (``_get_recipients``), so the share of those who receive it is the
        estimate; the whole ``count`` without an A/B test, and for the winner."""
        if not self.ab_testing_enabled or self.ab_testing_is_winner_mailing or not count:
            return count
        return min(count, max(int(count * (self.ab_testing_pc or 0) / 100.0), 1))

    def _sms_notify_summary_parts(self):
        """The SMS parts of the mailing's text as it leaves: its links shortened to tracked
        links and, when the mailing offers it, the opt-out link added, as SMS Marketing's own
        counter (``get_sms_link_replacements_placeholders``) reckons them."""
        body = self.body_plaintext or ""
        if not body.strip():
            return 0
        if "{{" in body or self.sms_notify_transliterate:
            # each recipient's text differs: the longest one's parts, as the counter finds it
            # (a few recipients rendered), so that the cost is never less than sending's
            return self.sms_notify_longest_segments or gsm.analyze(body).segments
        placeholders = self.get_sms_link_replacements_placeholders()
        body = re.sub(TEXT_URL_PATTERN, placeholders["link"], body)
        if self.sms_allow_unsubscribe:
            body += placeholders["unsubscribe"]
        return gsm.analyze(body).segments

    def _sms_notify_sync_recipients(self):
        """Bring the mailing's recipient list in line with its filter, in SQL, and return the
        outcome counts: records the filter selects are added in sending order, the ones it
        dropped removed (unless a user changed them), numbers judged again where they changed,
        then each recipient's outcome decided as sending will decide it. A user's exclusions,
        additions and numbers stay. Only rows that change are written."""
        self.ensure_one()
        if self.mailing_type != "sms" or not self.mailing_model_real:
            return {}
        self.check_access("read")
        env = self.env
        env.flush_all()
        model = env[self.mailing_model_real]
        company = self._sms_notify_company()
        number_fields = self._sms_notify_collect_scope(model, company)
        self._sms_notify_judge_numbers(number_fields, company)
        self._sms_notify_decide_outcomes(model, company)
        counts = self._sms_notify_write_recipients(company)
        env["sms.notify.campaign.recipient"].invalidate_model()
        return counts

    def _sms_notify_recipient_sources(self, model):
        """SQL of the columns each recipient's number is chosen from (see
        ``tools/recipients.py``): the record's number fields, its country, its customer."""
        number_fields = [
            fname
            for fname in model._phone_get_number_fields()
            if fname in model._fields and model._fields[fname].store
        ]
        if model._name == "res.partner":
            partner = SQL.identifier("t", "id")
        else:
            partner_field = next(
                (
                    fname
                    for fname in model._mail_get_partner_fields()
                    if model._fields[fname].store
                    and model._fields[fname].type == "many2one"
                    and model._fields[fname].comodel_name == "res.partner"
                ),
                None,
            )
            partner = SQL.identifier("t", partner_field) if partner_field else SQL("NULL::int")
        country_field = model._phone_get_country_field()
        record_country = (
            SQL.identifier("t", country_field)
            if country_field and model._fields[country_field].store
            else SQL("NULL::int")
        )
        name_field = model._rec_name
        name = (
            SQL("%s::varchar", SQL.identifier("t", name_field))
            if name_field in model._fields
            and model._fields[name_field].store
            and model._fields[name_field].type == "char"
            and not model._fields[name_field].translate
            else SQL("NULL::varchar")
        )
        return number_fields, partner, record_country, name

    def _sms_notify_collect_scope(self, model, company):
        """``sms_notify_scope``: one row per record the filter selects or the list holds,
        with what the recipient list stored and what the record and its customer hold now."""
        cr = self.env.cr
        # the records the filter selects, with the user's rights, in the order sending reaches
        # them: the first of a duplicate number is the one that gets the SMS
        query = model._search(self._get_recipients_domain(), order=model._order)
        order = query.order
        query.order = None
        selected = query.select(
            SQL.identifier(model._table, "id"), SQL("ROW_NUMBER() OVER (ORDER BY %s)", order)
        )
        number_fields, partner, record_country, name = self._sms_notify_recipient_sources(model)
        numbers = [
            SQL("t.%s::varchar AS %s", SQL.identifier(fname), SQL.identifier(f"number_{index}"))
            for index, fname in enumerate(number_fields)
        ]
        key_parts = [
            SQL("l.number_override"),
            *(SQL("t.%s::varchar", SQL.identifier(fname)) for fname in number_fields),
            SQL("rc.code"),
            SQL("p.id::varchar"),
            SQL("p.mobile"),
            SQL("p.phone"),
            SQL("pc.code"),
            SQL("%s::varchar", company.country_id.code or ""),
            # the same values in another model's fields may be other fields
            SQL("%s::varchar", model._name),
        ]
        key = SQL(
            "md5(concat_ws(chr(31), %s))",
            SQL(", ").join(SQL("coalesce(%s, '')", part) for part in key_parts),
        )
        cr.execute("DROP TABLE IF EXISTS sms_notify_scope")
        cr.execute(
            SQL(
                """CREATE TEMP TABLE sms_notify_scope ON COMMIT DROP AS
                   WITH listed AS (
                       SELECT coalesce(s.res_id, r.res_id) AS res_id,
                              s.res_id IS NOT NULL AS in_domain,
                              coalesce(s.sequence, r.sequence) AS sequence,
                              r.id AS recipient_id,
                              coalesce(r.added, FALSE) AS added,
                              coalesce(r.excluded, FALSE) AS excluded,
                              r.number_override,
                              r.number_key AS old_key, r.number AS old_number,
                              r.e164 AS old_e164, r.number_source AS old_source,
                              r.number_field AS old_field
                         FROM (%(selected)s) AS s(res_id, sequence)
                    FULL JOIN (SELECT * FROM sms_notify_campaign_recipient
                                WHERE mailing_id = %(mailing)s) r ON r.res_id = s.res_id
                   )
                   SELECT l.*, t.id IS NOT NULL AS record_exists, p.id AS partner_id,
                          coalesce(%(name)s, %(fallback)s || l.res_id) AS name,
                          %(key)s AS number_key, %(numbers)s,
                          rc.code AS record_country, p.id IS NOT NULL AS has_partner,
                          p.mobile AS partner_mobile, p.phone AS partner_phone,
                          pc.code AS partner_country, p.tz,
                          coalesce(p.sms_notify_opt_out, FALSE) AS opted_out,
                          coalesce(p.sms_notify_ad_consent, FALSE) AS ad_consent
                     FROM listed l
                LEFT JOIN %(table)s t ON t.id = l.res_id
                LEFT JOIN res_partner p ON p.id = %(partner)s
                -- the record's country, else its customer's (phone_validation's
                -- _phone_get_country)
                LEFT JOIN res_country rc ON rc.id = coalesce(%(record_country)s, p.country_id)
                LEFT JOIN res_country pc ON pc.id = p.country_id""",
                selected=selected,
                mailing=self.id,
                name=name,
                fallback=f"{model._description} #",
                key=key,
                numbers=SQL(", ").join(numbers) if numbers else SQL("NULL AS number_0"),
                table=SQL.identifier(model._table),
                partner=partner,
                record_country=record_country,
            )
        )
        return number_fields

    def _sms_notify_judge_numbers(self, number_fields, company):
        """``sms_notify_numbers``: the number of each recipient whose numbers changed since
        last time, judged as the composer will (libphonenumber: the one part done in Python,
        once per changed recipient)."""
        cr = self.env.cr
        company_country = company.country_id.code or None
        cr.execute("DROP TABLE IF EXISTS sms_notify_numbers")
        cr.execute(
            """CREATE TEMP TABLE sms_notify_numbers (
                   res_id int PRIMARY KEY, number varchar, e164 varchar, source varchar,
                   field varchar
               ) ON COMMIT DROP"""
        )
        # the same numbers, countries and customer were judged for another mailing: the
        # judgment is the same (a weekly campaign to the same customers judges them once)
        cr.execute(
            """INSERT INTO sms_notify_numbers
               SELECT DISTINCT ON (s.res_id) s.res_id, r.number, r.e164, r.number_source,
                      r.number_field
                 FROM sms_notify_scope s
                 JOIN sms_notify_campaign_recipient r ON r.number_key = s.number_key
                WHERE s.record_exists AND (s.in_domain OR s.added)
                  AND s.number_key IS DISTINCT FROM s.old_key
             ORDER BY s.res_id"""
        )
        cr.execute(
            SQL(
                """SELECT res_id, number_override, %(numbers)s, record_country, has_partner,
                          partner_mobile, partner_phone, partner_country
                     FROM sms_notify_scope s
                    WHERE record_exists AND (in_domain OR added)
                      AND number_key IS DISTINCT FROM old_key
                      AND NOT EXISTS (SELECT 1 FROM sms_notify_numbers n
                                       WHERE n.res_id = s.res_id)""",
                numbers=SQL(", ").join(
                    SQL.identifier(f"number_{index}") for index in range(max(len(number_fields), 1))
                ),
            )
        )
        changed = cr.fetchall()
        count = max(len(number_fields), 1)
        for start in range(0, len(changed), NUMBER_BATCH):
            columns = ([], [], [], [], [])
            for row in changed[start : start + NUMBER_BATCH]:
                res_id, override, *values = row
                record_numbers = values[:count]
                country, has_partner, mobile, phone, partner_country = values[count:]
                choice = recipient_tools.choose(
                    list(zip(number_fields, record_numbers, strict=False)),
                    record_country=country,
                    partner_numbers={"mobile": mobile, "phone": phone} if has_partner else None,
                    partner_country=partner_country,
                    company_country=company_country,
                    override=override,
                )
                for column, value in zip(
                    columns,
                    (res_id, choice.number, choice.e164, choice.source, choice.field),
                    strict=True,
                ):
                    column.append(value)
            cr.execute(
                """INSERT INTO sms_notify_numbers
                   SELECT * FROM unnest(%s::int[], %s::varchar[], %s::varchar[], %s::varchar[],
                                        %s::varchar[])""",
                list(columns),
            )

    def _sms_notify_decide_outcomes(self, model, company):
        """``sms_notify_final``: each recipient of the mailing with its outcome, decided in the
        order sending decides it (SMS Marketing's composer, then the queue's consent check)."""
        cr = self.env.cr
        quiet = company._sms_notify_quiet_hours(self.message_kind)
        advertising = kinds.message_kind(self.message_kind) == kinds.ADVERTISING
        # the recipient's clock as the composer reads it (see _sms_notify_timing)
        default_tz = company.partner_id.tz or self.env.user.tz or "UTC"
        quiet_zones, night_expired_zones = [], []
        if quiet:
            cr.execute("SELECT DISTINCT tz FROM sms_notify_scope WHERE tz IS NOT NULL")
            zones = {tz for (tz,) in cr.fetchall()} | {default_tz}
            now = fields.Datetime.now()
            quiet_zones = sorted(recipient_tools.quiet_zones(zones, quiet, now))
            night_expired_zones = sorted(
                recipient_tools.expiring_zones(zones, quiet, now, self.sms_notify_validity_hours)
            )
        list_opt_out = self.mailing_model_name == "mailing.list" and self.contact_list_ids
        unsubscribed = (
            SQL(
                """LEFT JOIN (SELECT sub.contact_id FROM mailing_subscription sub
                               WHERE sub.list_id = ANY(%(lists)s)
                            GROUP BY sub.contact_id
                              HAVING bool_and(sub.opt_out)) unsub
                          ON unsub.contact_id = b.res_id""",
                lists=self.contact_list_ids.ids,
            )
            if list_opt_out
            else SQL("LEFT JOIN (SELECT NULL::int AS contact_id) unsub ON FALSE")
        )
        cr.execute("DROP TABLE IF EXISTS sms_notify_final")
        cr.execute(
            SQL(
                """CREATE TEMP TABLE sms_notify_final ON COMMIT DROP AS
                   WITH base AS (
                       SELECT s.*,
                              CASE WHEN n.res_id IS NULL THEN s.old_number ELSE n.number END
                                  AS number,
                              CASE WHEN n.res_id IS NULL THEN s.old_e164 ELSE n.e164 END AS e164,
                              CASE WHEN n.res_id IS NULL THEN s.old_source ELSE n.source END
                                  AS number_source,
                              CASE WHEN n.res_id IS NULL THEN s.old_field ELSE n.field END
                                  AS number_field,
                              reached.res_id IS NOT NULL AS reached
                         FROM sms_notify_scope s
                    LEFT JOIN sms_notify_numbers n ON n.res_id = s.res_id
                    LEFT JOIN (SELECT DISTINCT res_id FROM mailing_trace
                                WHERE mass_mailing_id = %(mailing)s AND model = %(model)s) reached
                           ON reached.res_id = s.res_id
                        WHERE s.record_exists AND (s.in_domain OR s.added)
                   ), ranked AS (
                       SELECT b.*,
                              CASE WHEN b.e164 IS NOT NULL AND NOT b.excluded AND NOT b.reached
                                   THEN ROW_NUMBER() OVER (
                                       PARTITION BY b.e164,
                                                    b.e164 IS NOT NULL AND NOT b.excluded
                                                    AND NOT b.reached
                                       ORDER BY NOT b.in_domain, b.sequence, b.res_id)
                              END AS rank
                         FROM base b
                   ), decided AS (
                       SELECT b.*,
                              CASE
                                WHEN b.excluded THEN 'excluded'
                                WHEN b.reached THEN 'reached'
                                WHEN b.e164 IS NULL AND coalesce(b.number, '') = ''
                                    THEN 'no_number'
                                WHEN b.e164 IS NULL THEN 'invalid'
                                WHEN bl.number IS NOT NULL THEN 'blacklist'
                                WHEN unsub.contact_id IS NOT NULL THEN 'unsubscribed'
                                WHEN b.rank > 1 OR sent.sms_number IS NOT NULL THEN 'duplicate'
                                WHEN b.opted_out THEN 'opted_out'
                                WHEN %(advertising)s AND b.has_partner AND NOT b.ad_consent
                                    THEN 'no_consent'
                                WHEN coalesce(b.tz, %(default_tz)s)
                                     = ANY(%(night_expired_zones)s::varchar[])
                                    THEN 'night_expired'
                                ELSE 'send'
                              END AS outcome
                         FROM ranked b
                    LEFT JOIN phone_blacklist bl ON bl.number = b.e164 AND bl.active
                    %(unsubscribed)s
                    LEFT JOIN (SELECT DISTINCT sms_number FROM mailing_trace
                                WHERE mass_mailing_id = %(mailing)s AND trace_type = 'sms'
                                  AND trace_status IS DISTINCT FROM 'cancel') sent
                           ON sent.sms_number = b.e164
                   )
                   SELECT d.*,
                          d.outcome = 'send' AND coalesce(d.tz, %(default_tz)s)
                              = ANY(%(quiet_zones)s::varchar[]) AS quiet
                     FROM decided d""",
                mailing=self.id,
                model=model._name,
                advertising=advertising,
                unsubscribed=unsubscribed,
                default_tz=default_tz,
                quiet_zones=quiet_zones,
                night_expired_zones=night_expired_zones,
            )
        )

    def _sms_notify_write_recipients(self, company):
        """Write what changed to the recipient list; return the outcome counts."""
        cr = self.env.cr
        # a record deleted, or dropped by the filter and changed by nobody
        cr.execute(
            """DELETE FROM sms_notify_campaign_recipient r
                USING sms_notify_scope s
                WHERE r.id = s.recipient_id
                  AND (NOT s.record_exists
                       OR (NOT s.in_domain AND NOT s.added AND NOT s.excluded
                           AND s.number_override IS NULL))"""
        )
        # dropped by the filter, kept for the user's changes in case it comes back
        cr.execute(
            """UPDATE sms_notify_campaign_recipient r SET in_domain = FALSE
                 FROM sms_notify_scope s
                WHERE r.id = s.recipient_id AND r.in_domain AND NOT s.in_domain"""
        )
        values = {"mailing": self.id, "company": company.id}
        cr.execute(
            """UPDATE sms_notify_campaign_recipient r
                  SET company_id = %(company)s, sequence = f.sequence, in_domain = f.in_domain,
                      partner_id = f.partner_id, name = f.name, number_key = f.number_key,
                      number = f.number, e164 = f.e164, number_source = f.number_source,
                      number_field = f.number_field, outcome = f.outcome, quiet = f.quiet
                 FROM sms_notify_final f
                WHERE r.id = f.recipient_id
                  AND (r.company_id != %(company)s
                       OR (r.sequence, r.in_domain, r.partner_id, r.name, r.number_key,
                           r.number, r.e164, r.outcome, r.quiet)
                          IS DISTINCT FROM (f.sequence, f.in_domain, f.partner_id, f.name,
                                            f.number_key, f.number, f.e164, f.outcome,
                                            f.quiet))""",
            values,
        )
        cr.execute(
            """INSERT INTO sms_notify_campaign_recipient
                      (mailing_id, company_id, res_id, sequence, in_domain, added, excluded,
                       partner_id, name, number_key, number, e164, number_source, number_field,
                       outcome, quiet)
               SELECT %(mailing)s, %(company)s, f.res_id, f.sequence, f.in_domain, FALSE, FALSE,
                      f.partner_id, f.name, f.number_key, f.number, f.e164, f.number_source,
                      f.number_field, f.outcome, f.quiet
                 FROM sms_notify_final f
                WHERE f.recipient_id IS NULL
               -- another user's summary of the same mailing, at the same moment, added it
          ON CONFLICT (mailing_id, res_id) DO NOTHING""",
            values,
        )
        cr.execute(
            """SELECT outcome, COUNT(*), COUNT(*) FILTER (WHERE quiet)
                 FROM sms_notify_final GROUP BY outcome"""
        )
        return {outcome: (count, quiet) for outcome, count, quiet in cr.fetchall()}
