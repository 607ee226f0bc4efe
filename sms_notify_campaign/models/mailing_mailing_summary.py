"""What an SMS mailing will do before it is sent: its recipients one by one (who receives it,
who is skipped and why), how many SMS parts that makes, what it costs and whether the balance
covers it."""

import logging

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from odoo.addons.sms_notify.tools import gsm, kinds, schedule

from ..tools import recipients as recipient_tools

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
    sms_notify_skipped_count = _count("Skipped")
    sms_notify_parts = _count("SMS Parts per Message")
    sms_notify_segments = _count("SMS Parts in All")
    sms_notify_currency_id = fields.Many2one("res.currency", readonly=True, copy=False)
    sms_notify_cost = fields.Monetary(
        string="Cost",
        currency_field="sms_notify_currency_id",
        readonly=True,
        copy=False,
        help="Under the company's tariff, or the vendor's estimate without billing.",
    )
    sms_notify_cost_known = fields.Boolean(readonly=True, copy=False)
    sms_notify_cost_billed = fields.Boolean(string="Billed", readonly=True, copy=False)
    sms_notify_balance_after = fields.Monetary(
        string="Balance After Sending",
        currency_field="sms_notify_currency_id",
        readonly=True,
        copy=False,
    )
    sms_notify_cost_enough = fields.Boolean(default=True, readonly=True, copy=False)
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
        if res_ids is None:
            for mailing in self:
                mailing._sms_notify_check_cost()
        return super().action_send_sms(res_ids=res_ids)

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
        now = self.env.cr.now()
        self.env.cr.execute(
            """INSERT INTO sms_notify_campaign_recipient AS r
                      (mailing_id, company_id, res_id, sequence, in_domain, added, excluded,
                       create_uid, write_uid, create_date, write_date)
               SELECT %(mailing)s, %(company)s, a.res_id,
                      (SELECT coalesce(max(sequence), 0) FROM sms_notify_campaign_recipient
                        WHERE mailing_id = %(mailing)s) + a.position,
                      FALSE, TRUE, FALSE, %(uid)s, %(uid)s, %(now)s, %(now)s
                 FROM unnest(%(ids)s::int[]) WITH ORDINALITY AS a(res_id, position)
          ON CONFLICT (mailing_id, res_id) DO UPDATE
                  SET added = TRUE, excluded = FALSE, write_uid = %(uid)s, write_date = %(now)s""",
            {
                "mailing": self.id,
                "company": self._sms_notify_company().id,
                "ids": records.ids,
                "uid": self.env.uid,
                "now": now,
            },
        )
        self._sms_notify_summarize()

    def _sms_notify_company(self):
        """The company that sends and pays for the mailing (see the composer)."""
        return (self.user_id or self.write_uid or self.env.user).company_id

    # ------------------------------------------------------------------
    # The summary
    # ------------------------------------------------------------------

    def _sms_notify_summarize(self):
        """Refresh the recipients, store the summary on the mailing and return it: the
        outcome counts and the cost preview of ``sms.sms._sms_notify_cost_preview``."""
        self.ensure_one()
        self._sms_notify_sync_recipients()
        self.env.cr.execute(
            """SELECT outcome, COUNT(*), COUNT(*) FILTER (WHERE quiet)
                 FROM sms_notify_campaign_recipient
                WHERE mailing_id = %s AND (in_domain OR added)
             GROUP BY outcome""",
            [self.id],
        )
        counts = dict.fromkeys(OUTCOME_COUNT_FIELDS, 0)
        quiet = 0
        for outcome, count, quiet_count in self.env.cr.fetchall():
            counts[outcome] = count
            quiet += quiet_count
        parts = gsm.analyze(self.body_plaintext or "").segments
        preview = self.env["sms.sms"]._sms_notify_cost_preview(
            self._sms_notify_company(), self.message_kind, [parts] * counts["send"]
        )
        values = {fname: counts[outcome] for outcome, fname in OUTCOME_COUNT_FIELDS.items()}
        values.update(
            sms_notify_summary_date=fields.Datetime.now(),
            sms_notify_recipient_count=sum(counts.values()),
            sms_notify_skipped_count=sum(counts.values()) - counts["send"],
            sms_notify_quiet_count=quiet,
            sms_notify_parts=parts,
            sms_notify_segments=parts * counts["send"],
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

    def _sms_notify_sync_recipients(self):
        """Bring the mailing's recipient list in line with its filter, in SQL: records the
        filter selects are added in sending order, the ones it dropped removed (unless a user
        changed them), numbers judged again where they changed, then each recipient's outcome
        decided as sending will decide it. A user's exclusions, additions and numbers stay."""
        self.ensure_one()
        if self.mailing_type != "sms" or not self.mailing_model_real:
            return
        self.check_access("read")
        env, cr = self.env, self.env.cr
        env.flush_all()
        model = env[self.mailing_model_real]
        company = self._sms_notify_company()
        # the records the filter selects, with the user's rights, in the order sending reaches
        # them: the first of a duplicate number is the one that gets the SMS
        query = model._search(self._get_recipients_domain(), order=model._order)
        order = query.order
        query.order = None
        selected = query.select(
            SQL.identifier(model._table, "id"), SQL("ROW_NUMBER() OVER (ORDER BY %s)", order)
        )
        cr.execute("DROP TABLE IF EXISTS sms_notify_selected")
        cr.execute(
            SQL(
                "CREATE TEMP TABLE sms_notify_selected ON COMMIT DROP AS %s",
                SQL("SELECT * FROM (%s) AS q(res_id, sequence)", selected),
            )
        )
        cr.execute("CREATE INDEX ON sms_notify_selected (res_id)")
        now = cr.now()
        cr.execute(
            """INSERT INTO sms_notify_campaign_recipient AS r
                      (mailing_id, company_id, res_id, sequence, in_domain, added, excluded,
                       create_uid, write_uid, create_date, write_date)
               SELECT %(mailing)s, %(company)s, s.res_id, s.sequence, TRUE, FALSE, FALSE,
                      %(uid)s, %(uid)s, %(now)s, %(now)s
                 FROM sms_notify_selected s
          ON CONFLICT (mailing_id, res_id) DO UPDATE
                  SET in_domain = TRUE, sequence = EXCLUDED.sequence,
                      company_id = EXCLUDED.company_id
                WHERE NOT r.in_domain OR r.sequence IS DISTINCT FROM EXCLUDED.sequence
                   OR r.company_id != EXCLUDED.company_id""",
            {"mailing": self.id, "company": company.id, "uid": env.uid, "now": now},
        )
        cr.execute(
            """UPDATE sms_notify_campaign_recipient r SET in_domain = FALSE
                WHERE r.mailing_id = %s AND r.in_domain
                  AND NOT EXISTS (SELECT 1 FROM sms_notify_selected s WHERE s.res_id = r.res_id)""",
            [self.id],
        )
        # what no user touched follows the filter; the rest is kept for when it comes back
        cr.execute(
            """DELETE FROM sms_notify_campaign_recipient
                WHERE mailing_id = %s AND NOT in_domain AND NOT added AND NOT excluded
                  AND number_override IS NULL""",
            [self.id],
        )
        # records deleted since they were added
        cr.execute(
            SQL(
                """DELETE FROM sms_notify_campaign_recipient r
                    WHERE r.mailing_id = %s AND r.added
                      AND NOT EXISTS (SELECT 1 FROM %s t WHERE t.id = r.res_id)""",
                self.id,
                SQL.identifier(model._table),
            )
        )
        self._sms_notify_sync_numbers(model, company)
        self._sms_notify_sync_outcomes(model, company)
        env["sms.notify.campaign.recipient"].invalidate_model()

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

    def _sms_notify_sync_numbers(self, model, company):
        """Judge again the numbers of the recipients whose numbers changed since last time:
        the only part done in Python (libphonenumber), once per changed recipient."""
        cr = self.env.cr
        number_fields, partner, record_country, name = self._sms_notify_recipient_sources(model)
        record_numbers = [SQL("%s::varchar", SQL.identifier("t", f)) for f in number_fields]
        company_country = company.country_id.code or ""
        key_parts = [
            SQL("r.number_override"),
            *record_numbers,
            SQL("rc.code"),
            SQL("p.id::varchar"),
            SQL("p.mobile"),
            SQL("p.phone"),
            SQL("pc.code"),
            SQL("%s::varchar", company_country),
        ]
        key = SQL(
            "md5(concat_ws(chr(31), %s))",
            SQL(", ").join(SQL("coalesce(%s, '')", part) for part in key_parts),
        )
        # the record's country, else its customer's (phone_validation's _phone_get_country)
        sources = SQL(
            """FROM sms_notify_campaign_recipient r
               JOIN %(table)s t ON t.id = r.res_id
          LEFT JOIN res_partner p ON p.id = %(partner)s
          LEFT JOIN res_country rc ON rc.id = coalesce(%(record_country)s, p.country_id)
          LEFT JOIN res_country pc ON pc.id = p.country_id
              WHERE r.mailing_id = %(mailing)s AND (r.in_domain OR r.added)""",
            table=SQL.identifier(model._table),
            partner=partner,
            record_country=record_country,
            mailing=self.id,
        )
        cr.execute(
            SQL(
                """UPDATE sms_notify_campaign_recipient u
                      SET partner_id = n.partner_id, name = n.name
                     FROM (SELECT r.id, p.id AS partner_id,
                                  coalesce(%(name)s, %(fallback)s || t.id) AS name
                           %(sources)s) n
                    WHERE u.id = n.id
                      AND (u.partner_id IS DISTINCT FROM n.partner_id
                           OR u.name IS DISTINCT FROM n.name)""",
                name=name,
                fallback=f"{model._description} #",
                sources=sources,
            )
        )
        cr.execute(
            SQL(
                """SELECT r.id, %(key)s, r.number_override, %(numbers)s, rc.code,
                          p.id IS NOT NULL, p.mobile, p.phone, pc.code
                   %(sources)s AND r.number_key IS DISTINCT FROM %(key)s""",
                key=key,
                numbers=SQL(", ").join(record_numbers) if record_numbers else SQL("NULL"),
                sources=sources,
            )
        )
        changed = cr.fetchall()
        for start in range(0, len(changed), NUMBER_BATCH):
            rows = changed[start : start + NUMBER_BATCH]
            updates = ([], [], [], [], [], [])
            for row in rows:
                recipient_id, row_key, override, *values = row
                fields_values = values[: max(len(number_fields), 1)]
                country, has_partner, mobile, phone, partner_country = values[-5:]
                choice = recipient_tools.choose(
                    list(zip(number_fields, fields_values, strict=False)),
                    record_country=country,
                    partner_numbers={"mobile": mobile, "phone": phone} if has_partner else None,
                    partner_country=partner_country,
                    company_country=company_country,
                    override=override,
                )
                for column, value in zip(
                    updates,
                    (
                        recipient_id,
                        row_key,
                        choice.number,
                        choice.e164,
                        choice.source,
                        choice.field,
                    ),
                    strict=True,
                ):
                    column.append(value)
            self._sms_notify_write_numbers(updates)

    def _sms_notify_write_numbers(self, updates):
        self.env.cr.execute(
            """UPDATE sms_notify_campaign_recipient r
                  SET number_key = n.key, number = n.number, e164 = n.e164,
                      number_source = n.source, number_field = n.field
                 FROM unnest(%s::int[], %s::varchar[], %s::varchar[], %s::varchar[],
                             %s::varchar[], %s::varchar[])
                      AS n(id, key, number, e164, source, field)
                WHERE r.id = n.id""",
            list(updates),
        )

    def _sms_notify_sync_outcomes(self, model, company):
        """Decide each recipient's outcome in one statement, in the order sending decides it
        (SMS Marketing's composer, then the queue's consent check)."""
        cr = self.env.cr
        quiet = schedule.QuietHours(
            company.sms_notify_quiet_start % 24, company.sms_notify_quiet_end % 24
        )
        quiet_applies = (
            company.sms_notify_quiet_advertising
            if kinds.message_kind(self.message_kind) == kinds.ADVERTISING
            else company.sms_notify_quiet_service
        )
        default_tz = company.partner_id.tz or "UTC"
        quiet_zones = []
        if quiet_applies and quiet.active:
            cr.execute(
                """SELECT DISTINCT p.tz FROM sms_notify_campaign_recipient r
                     JOIN res_partner p ON p.id = r.partner_id
                    WHERE r.mailing_id = %s""",
                [self.id],
            )
            zones = {tz for (tz,) in cr.fetchall() if tz} | {default_tz}
            quiet_zones = sorted(recipient_tools.quiet_zones(zones, quiet, fields.Datetime.now()))
        list_opt_out = self.mailing_model_name == "mailing.list" and self.contact_list_ids
        unsubscribed = (
            SQL(
                """EXISTS (SELECT 1 FROM mailing_subscription sub
                            WHERE sub.contact_id = s.res_id AND sub.list_id = ANY(%(lists)s)
                              AND sub.opt_out)
               AND NOT EXISTS (SELECT 1 FROM mailing_subscription sub
                                WHERE sub.contact_id = s.res_id AND sub.list_id = ANY(%(lists)s)
                                  AND NOT sub.opt_out)""",
                lists=self.contact_list_ids.ids,
            )
            if list_opt_out
            else SQL("FALSE")
        )
        cr.execute(
            SQL(
                """WITH scope AS (
                       SELECT r.id, r.res_id, r.e164, r.number, r.excluded, r.partner_id,
                              r.in_domain, r.sequence,
                              EXISTS (SELECT 1 FROM mailing_trace tr
                                       WHERE tr.mass_mailing_id = %(mailing)s
                                         AND tr.model = %(model)s AND tr.res_id = r.res_id)
                                  AS reached
                         FROM sms_notify_campaign_recipient r
                        WHERE r.mailing_id = %(mailing)s AND (r.in_domain OR r.added)
                   ), ranked AS (
                       SELECT s.id, ROW_NUMBER() OVER (
                                  PARTITION BY s.e164 ORDER BY NOT s.in_domain, s.sequence, s.id
                              ) AS rank
                         FROM scope s
                        WHERE s.e164 IS NOT NULL AND NOT s.excluded AND NOT s.reached
                   ), decided AS (
                       SELECT s.id, p.tz,
                              CASE
                                WHEN s.excluded THEN 'excluded'
                                WHEN s.reached THEN 'reached'
                                WHEN s.e164 IS NULL AND coalesce(s.number, '') = ''
                                    THEN 'no_number'
                                WHEN s.e164 IS NULL THEN 'invalid'
                                WHEN EXISTS (SELECT 1 FROM phone_blacklist bl
                                              WHERE bl.number = s.e164 AND bl.active)
                                    THEN 'blacklist'
                                WHEN %(unsubscribed)s THEN 'unsubscribed'
                                WHEN rk.rank > 1 OR EXISTS (
                                         SELECT 1 FROM mailing_trace tr
                                          WHERE tr.mass_mailing_id = %(mailing)s
                                            AND tr.trace_type = 'sms'
                                            AND tr.sms_number = s.e164
                                            AND tr.trace_status IS DISTINCT FROM 'cancel')
                                    THEN 'duplicate'
                                WHEN p.sms_notify_opt_out THEN 'opted_out'
                                WHEN %(advertising)s AND p.id IS NOT NULL
                                     AND NOT coalesce(p.sms_notify_ad_consent, FALSE)
                                    THEN 'no_consent'
                                ELSE 'send'
                              END AS outcome
                         FROM scope s
                    LEFT JOIN ranked rk ON rk.id = s.id
                    LEFT JOIN res_partner p ON p.id = s.partner_id
                   ), final AS (
                       SELECT d.id, d.outcome,
                              d.outcome = 'send' AND coalesce(d.tz, %(default_tz)s)
                                  = ANY(%(quiet_zones)s::varchar[]) AS quiet
                         FROM decided d
                   )
                   UPDATE sms_notify_campaign_recipient r
                      SET outcome = f.outcome, quiet = f.quiet
                     FROM final f
                    WHERE r.id = f.id
                      AND (r.outcome IS DISTINCT FROM f.outcome
                           OR r.quiet IS DISTINCT FROM f.quiet)""",
                mailing=self.id,
                model=model._name,
                unsubscribed=unsubscribed,
                advertising=kinds.message_kind(self.message_kind) == kinds.ADVERTISING,
                default_tz=default_tz,
                quiet_zones=quiet_zones,
            )
        )
