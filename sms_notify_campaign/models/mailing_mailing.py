import re
import threading
from collections import Counter

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.osv.expression import AND, OR
from odoo.tools import SQL, split_every

from odoo.addons.sms_notify.tools import gsm, kinds
from odoo.addons.sms_notify.tools.tokens import decompile
from odoo.addons.sms_notify.tools.transliterate import transliterate

from ..tools.links import TEXT_URL_PATTERN

#: recipients per SMS composer. SMS Marketing hands the composer all the mailing's record ids as
#: one string, which Odoo refuses to read back above 100 KiB: about 14,000 recipients. Smaller
#: chunks let the first SMS leave sooner; each chunk rereads the numbers already reached.
COMPOSE_CHUNK = 2000
#: the first chunk is smaller still: the queue starts sending as soon as it is committed
FIRST_COMPOSE_CHUNK = 500
#: recipients the counter renders from each of its two SQL looks (see
#: ``_sms_notify_counter_candidates``)
COUNTER_CANDIDATES = 5
#: a placeholder whose value the counter can measure in SQL: a path of fields from the recipient
FIELD_PATH_PATTERN = re.compile(r"object(?:\.[A-Za-z_][A-Za-z0-9_]*)+\Z")
#: Odoo's placeholders (``odoo.tools.rendering_tools.INLINE_TEMPLATE_REGEX``)
PLACEHOLDER_PATTERN = re.compile(r"\{\{(.+?)(?:\|\|\|.*?)?\}\}")


class MailingMailing(models.Model):
    _inherit = "mailing.mailing"

    message_kind = fields.Selection(
        kinds.MESSAGE_KIND_SELECTION,
        string="SMS Kind",
        default=kinds.ADVERTISING,
        help="Advertising: a promotion, priced as advertising and sent only to customers who "
        "agreed to receive promotions. Service: a notification every recipient expects, such as "
        "a change of opening hours.",
    )

    def _get_seen_list_sms(self):
        """SMS Marketing's records (and numbers) this mailing reached before; nothing when
        none of the records of ``sms_notify_seen_among`` in the context was reached.

        SMS Marketing reads every record the mailing reached, for each composer: at 100,000
        recipients prepared 2,000 at a time, millions of rows read to keep the few of each
        chunk (none: a chunk holds only recipients not reached yet). The composer, its only
        caller, asks about a chunk; one look at that chunk's traces answers the usual case."""
        among = self.env.context.get("sms_notify_seen_among")
        if among is not None:
            self.ensure_one()
            self.env["mailing.trace"].flush_model(["mass_mailing_id", "model", "res_id"])
            self.env.cr.execute(
                """SELECT 1 FROM mailing_trace
                    WHERE mass_mailing_id = %s AND model = %s AND res_id = ANY(%s)
                    LIMIT 1""",
                [self.id, self.mailing_model_real, list(among)],
            )
            if not self.env.cr.fetchone():
                return [], []
        return super()._get_seen_list_sms()

    def _send_sms_get_composer_values(self, res_ids):
        return dict(super()._send_sms_get_composer_values(res_ids), message_kind=self.message_kind)

    def action_send_sms(self, res_ids=None):
        """Prepare the mailing's SMS a few thousand recipients at a time, each chunk committed
        and handed to the SMS queue before the next one is prepared.

        SMS Marketing prepares a whole mailing in one transaction, which fails beyond about
        14,000 recipients, holds every record in memory and sends nothing until the end. Here
        a queue worker sends a chunk while the next one is prepared, and a mailing interrupted
        half-way resumes where it stopped: recipients already reached are skipped as
        duplicates, as SMS Marketing skips them when a mailing is sent again. As in Odoo's own
        e-mail mailings, nothing is committed when testing."""
        auto_commit = not getattr(threading.current_thread(), "testing", False)
        for mailing in self:
            recipients = res_ids or mailing._get_remaining_recipients()
            first, rest = recipients[:FIRST_COMPOSE_CHUNK], recipients[FIRST_COMPOSE_CHUNK:]
            for chunk in [first, *split_every(COMPOSE_CHUNK, rest, list)] if first else []:
                super(MailingMailing, mailing).action_send_sms(res_ids=chunk)
                self.env["sms.sms"]._sms_notify_wake_queue()
                if auto_commit:
                    self.env.cr.commit()  # pylint: disable=invalid-commit
                # what the chunk loaded is not needed any more
                self.env.flush_all()
                self.env.invalidate_all()
        return True

    # ------------------------------------------------------------------
    # The text: written with tokens, previewed for one recipient, counted on the longest
    # text any recipient gets, optionally transliterated
    # ------------------------------------------------------------------

    sms_template_id = fields.Many2one(domain="[('model', '=', mailing_model_real)]")
    sms_notify_text = fields.Text(
        string="SMS Text",
        compute="_compute_sms_notify_text",
        inverse="_inverse_sms_notify_text",
        help="The message as you write it, with tokens between colons (:FirstName:, "
        ":ShopName:) from the palette beside it; each recipient gets their own values.",
    )
    sms_notify_token_palette = fields.Json(
        string="Token Palette",
        compute="_compute_sms_notify_token_palette",
        help="The tokens the texts of this mailing's recipients may use.",
    )
    sms_notify_transliterate = fields.Boolean(
        string="Transliterate to Latin",
        help="Write Russian, Ukrainian and Polish letters (and typographic quotes and dashes) "
        "with Latin letters when the SMS are prepared: «Привет, Łukasz» goes as «Privet, "
        "Lukasz». A text in Latin letters fits 160 characters per SMS instead of 70, so the "
        "mailing costs two to three times less, but recipients no longer read it as you wrote "
        "it.",
    )
    sms_notify_preview_res_id = fields.Many2oneReference(
        string="Preview for",
        model_field="mailing_model_real",
        help="A recipient of the mailing to see the text they will get. Empty: the recipient "
        "whose text is the longest.",
    )
    sms_notify_preview_text = fields.Text(
        string="SMS Preview", compute="_compute_sms_notify_rendered_texts"
    )
    sms_notify_preview_summary = fields.Char(
        string="Preview Count", compute="_compute_sms_notify_rendered_texts"
    )
    sms_notify_preview_parts = fields.Text(
        string="Preview Parts", compute="_compute_sms_notify_rendered_texts"
    )
    sms_notify_longest_summary = fields.Char(
        string="Longest Text",
        compute="_compute_sms_notify_rendered_texts",
        help="The SMS parts of the longest text a recipient gets, tokens replaced by their values.",
    )
    sms_notify_longest_segments = fields.Integer(
        string="SMS Parts of the Longest Text", compute="_compute_sms_notify_rendered_texts"
    )

    @api.onchange("mailing_model_id")
    def _onchange_mailing_model_id_sms_template(self):
        # the text stays; a template of other records would not render for the new recipients
        if self.sms_template_id and self.sms_template_id.model != self.mailing_model_real:
            self.sms_template_id = False

    # checked when a template is chosen only: the recipients' model may change later on (the
    # form then drops the template), as it may in SMS Marketing
    @api.constrains("sms_template_id")
    def _check_sms_template_model(self):
        for mailing in self:
            template = mailing.sms_template_id
            if template and template.model != mailing.mailing_model_real:
                raise ValidationError(
                    self.env._(
                        "The SMS template %(template)s is written for %(template_model)s, not "
                        "for this mailing's recipients (%(model)s): its tokens would not render. "
                        "Choose a template of the recipients' model.",
                        template=template.name,
                        template_model=template.model_id.name,
                        model=self.env["ir.model"]._get(mailing.mailing_model_real).name,
                    )
                )

    # ------------------------------------------------------------------
    # Text with tokens
    # ------------------------------------------------------------------

    def _sms_notify_tokens(self):
        self.ensure_one()
        return self.env["sms.template"]._sms_notify_tokens_of(self.mailing_model_real)

    def _sms_notify_compiled_body(self):
        """The text as SMS Marketing renders it (Odoo placeholders), compiled from the text
        with tokens; raises a ``ValidationError`` naming unknown tokens."""
        return self.env["sms.template"]._sms_notify_compile(
            self.sms_notify_text, self._sms_notify_tokens(), keep=self._sms_notify_kept_codes()
        )

    def _sms_notify_kept_codes(self):
        """Token codes the text may hold that go through Odoo's rendering as ``:code:``, their
        values filled in when the SMS are prepared (promotion codes add theirs), each mapped to
        the code the text shows it as."""
        return {}

    @api.depends("body_plaintext", "mailing_model_real")
    def _compute_sms_notify_text(self):
        for mailing in self:
            mailing.sms_notify_text = decompile(
                mailing.body_plaintext or "", mailing._sms_notify_tokens()
            )

    def _inverse_sms_notify_text(self):
        for mailing in self:
            tokens = mailing._sms_notify_tokens()
            if (mailing.sms_notify_text or "") == decompile(mailing.body_plaintext or "", tokens):
                # shown back unchanged: placeholders written by hand stay as they are
                continue
            mailing.body_plaintext = mailing._sms_notify_compiled_body()

    @api.depends("mailing_model_real")
    @api.depends_context("lang")
    def _compute_sms_notify_token_palette(self):
        for mailing in self:
            mailing.sms_notify_token_palette = [
                {"code": token.code, "label": token.label, "aliases": list(token.aliases)}
                for token in mailing._sms_notify_tokens()
            ]

    # ------------------------------------------------------------------
    # Preview and counter: texts as recipients get them
    # ------------------------------------------------------------------

    @api.depends(
        "sms_notify_text",
        "mailing_type",
        "mailing_model_real",
        "mailing_domain",
        "sms_template_id",
        "sms_allow_unsubscribe",
        "sms_notify_transliterate",
        "sms_notify_preview_res_id",
    )
    @api.depends_context("lang")
    def _compute_sms_notify_rendered_texts(self):
        for mailing in self:
            values = dict.fromkeys(
                [
                    "sms_notify_preview_text",
                    "sms_notify_preview_summary",
                    "sms_notify_preview_parts",
                    "sms_notify_longest_summary",
                ],
                False,
            )
            values["sms_notify_longest_segments"] = 0
            if (
                mailing.mailing_type == "sms"
                and mailing.mailing_model_real
                and (mailing.sms_notify_text or "").strip()
            ):
                try:
                    values.update(mailing._sms_notify_rendered_values())
                except UserError as error:
                    # an unknown token, a placeholder that cannot render: said where the
                    # count would be, the text stays as typed
                    values["sms_notify_longest_summary"] = str(error)
            mailing.update(values)

    def _sms_notify_rendered_values(self):
        body = self._sms_notify_compiled_body()
        model = self.env[self.mailing_model_real]
        candidates = self._sms_notify_counter_candidates(body)
        preview_id = self.sms_notify_preview_res_id
        # searched, not browsed: the id is whatever the client sent, and only a record the user
        # may read is rendered
        preview = (
            model.with_context(active_test=False).search([("id", "=", preview_id)])
            if preview_id
            else model
        ).with_env(model.env)
        texts = self._sms_notify_texts(body, (candidates | preview).ids)
        values = {}
        longest_id = None
        if candidates:
            longest_id = max(
                candidates.ids, key=lambda res_id: self._sms_notify_length_key(texts[res_id])
            )
            longest = gsm.analyze(texts[longest_id])
            values["sms_notify_longest_segments"] = longest.segments
            values["sms_notify_longest_summary"] = self.env._(
                "%(summary)s (the longest text, for %(recipient)s)",
                summary=self._sms_notify_count_summary(texts[longest_id]),
                recipient=model.browse(longest_id).display_name,
            )
        # a recipient chosen but gone (or not the user's to see) shows no text, not another's
        shown_id = preview.id or (not preview_id and longest_id)
        if shown_id:
            text = texts[shown_id]
            analysis = gsm.analyze(text)
            values["sms_notify_preview_text"] = text
            values["sms_notify_preview_summary"] = self._sms_notify_count_summary(text)
            if analysis.segments > 1:
                values["sms_notify_preview_parts"] = "\n\n".join(
                    self.env._(
                        "Part %(index)s of %(count)s:\n%(text)s",
                        index=index,
                        count=analysis.segments,
                        text=part,
                    )
                    for index, part in enumerate(analysis.parts, start=1)
                )
        if preview_id and not preview:
            values["sms_notify_preview_summary"] = self.env._(
                "The recipient chosen for the preview does not exist any more, or you may not "
                "see it."
            )
        elif preview and not model.search_count(
            AND([[("id", "=", preview.id)], self._sms_notify_counter_domain()]), limit=1
        ):
            values["sms_notify_preview_summary"] = self.env._(
                "%(summary)s. %(recipient)s is not among the mailing's recipients.",
                summary=values["sms_notify_preview_summary"],
                recipient=preview.display_name,
            )
        return values

    @staticmethod
    def _sms_notify_length_key(text):
        analysis = gsm.analyze(text)
        return (analysis.segments, analysis.units)

    def _sms_notify_count_summary(self, text):
        analysis = gsm.analyze(text)
        summary = self.env._(
            "%(count)s SMS, %(units)s characters in %(encoding)s",
            count=analysis.segments,
            units=analysis.units,
            encoding="GSM-7" if analysis.is_gsm7 else self.env._("Unicode"),
        )
        forcing = gsm.non_gsm7_chars(text)
        if forcing:
            # a Cyrillic text is Unicode because of every letter: the first few tell why
            shown = [repr(char)[1:-1] if char.isspace() else char for char in forcing[:10]]
            summary = self.env._(
                "%(summary)s because of %(characters)s",
                summary=summary,
                characters=" ".join(shown) + (" …" if len(forcing) > 10 else ""),
            )
        return summary

    def _sms_notify_texts(self, body, res_ids):
        """``{res_id: text}``: each recipient's SMS as the composer prepares it (see
        ``sms.composer._prepare_body_values``): rendered in the recipient's language when the
        body is the template's, links as long as their tracked form, the opt-out line, and
        transliterated when asked. Nothing is stored (no link is shortened for real)."""
        if not res_ids:
            return {}
        template = self.sms_template_id
        if template and body == template.body:
            rendered = template._render_field("body", res_ids, compute_lang=True)
        else:
            rendered = self.env["mail.render.mixin"]._render_template(
                body, self.mailing_model_real, res_ids
            )
        placeholders = {}
        mailing = self._origin
        if mailing.has_access("write") or not mailing:
            placeholders = mailing.get_sms_link_replacements_placeholders()
        texts = {}
        for res_id in res_ids:
            text = rendered[res_id] or ""
            if placeholders:
                text = re.sub(TEXT_URL_PATTERN, placeholders["link"], text)
                if self.sms_allow_unsubscribe:
                    text += placeholders["unsubscribe"]
            if self.sms_notify_transliterate:
                text = transliterate(text)
            texts[res_id] = text
        return texts

    def _sms_notify_counter_candidates(self, body):
        """The few recipients whose text may be the longest, found in SQL.

        A text's length is its fixed words plus what each placeholder puts in, so the longest
        texts go to the recipients with the longest values: recipients are ordered in SQL by the
        total length of the fields their placeholders read (each counted as often as it
        appears), and only the first few are rendered. A value outside GSM-7 (a Cyrillic name)
        makes the whole text Unicode, 70 characters per SMS instead of 160: a shorter text can
        then need more SMS, so the longest texts holding such a value are rendered too. Two
        indexed-free scans of the recipients and about ten renderings keep the counter fast at
        100,000 recipients, where rendering everyone would take minutes.

        Placeholders that are not a path of stored fields (the shop's name, the salutation)
        are the same or nearly the same for everyone and are left out of the ordering; they are
        in the texts rendered. Transliteration lengthens some letters more than others
        (щ → shch), which the ordering by length ignores: the count is the longest rendered
        text of the candidates."""
        model = self.env[self.mailing_model_real]
        domain = self._sms_notify_counter_domain()
        expressions = Counter(
            match.group(1).strip() for match in PLACEHOLDER_PATTERN.finditer(body or "")
        )

        def select(non_gsm):
            query = model._search(domain)
            joined = {}
            lengths, values = [], []
            for expression, count in expressions.items():
                value = self._sms_notify_value_sql(model, expression, query, joined)
                if value is not None:
                    lengths.append(SQL("%s * COALESCE(length(%s), 0)", count, value))
                    values.append(value)
            if non_gsm:
                if not values:
                    return []
                # in parentheses: the recipients' domain and record rules come before
                query.add_where(
                    SQL(
                        "(%s)",
                        SQL(" OR ").join(
                            SQL("%s ~ %s", value, gsm.NON_GSM7_PATTERN) for value in values
                        ),
                    )
                )
            record_id = SQL.identifier(model._table, "id")
            if lengths:
                query.order = SQL("%s DESC, %s", SQL(" + ").join(lengths), record_id)
                query.limit = COUNTER_CANDIDATES
            else:
                # every recipient gets the same text, but for values SQL cannot read
                query.order = record_id
                query.limit = COUNTER_CANDIDATES if expressions else 1
            return [row[0] for row in self.env.execute_query(query.select())]

        return model.browse(list(dict.fromkeys(select(False) + select(True))))

    def _sms_notify_counter_domain(self):
        """The records the mailing will be sent to, as ``_get_recipients`` reads them: the
        filter's, without those taken off by hand, with those added by hand; so the counter,
        the preview and the summary's cost never follow a record that will not get the SMS,
        nor miss one that will."""
        domain = self._get_recipients_domain()
        mailing_id = self._origin.id
        if not mailing_id or self.mailing_type != "sms":
            return domain
        self.env["sms.notify.campaign.recipient"].flush_model(
            ["mailing_id", "res_id", "excluded", "added"]
        )

        def chosen(flag):
            return SQL(
                "(SELECT res_id FROM sms_notify_campaign_recipient WHERE mailing_id = %s AND %s)",
                mailing_id,
                SQL.identifier(flag),
            )

        domain = OR([domain, [("id", "in", chosen("added"))]])
        return AND([domain, [("id", "not in", chosen("excluded"))]])

    @staticmethod
    def _sms_notify_value_sql(model, expression, query, joined):
        """The SQL of what the placeholder ``expression`` (``object.partner_id.name``) puts in
        a text, joining the records on its path into ``query``, or ``None`` when it is not a
        path of stored text fields the user may read."""
        if not FIELD_PATH_PATTERN.match(expression):
            return None
        *path, name = expression.split(".")[1:]
        alias = model._table
        for step in path:
            field = model._fields.get(step)
            if field is None or field.type != "many2one" or not field.store:
                return None
            comodel = model.env[field.comodel_name]
            coalias = query.make_alias(alias, step)
            if coalias not in joined:
                query.add_join(
                    "LEFT JOIN",
                    coalias,
                    comodel._table,
                    SQL(
                        "%s = %s",
                        model._field_to_sql(alias, step, query),
                        SQL.identifier(coalias, "id"),
                    ),
                )
                joined[coalias] = True
            model, alias = comodel, coalias
        field = model._fields.get(name)
        if field is None or field.type not in ("char", "text"):
            return None
        try:
            return model._field_to_sql(alias, name, query)
        except (ValueError, UserError):
            # not stored, or not readable by this user
            return None
