from werkzeug.urls import url_join

from odoo import api, models

from odoo.addons.sms_notify.tools import gsm
from odoo.addons.sms_notify.tools.transliterate import transliterate

from ..tools import recipients as recipient_tools
from ..tools.links import trace_links_to_sms

#: where the opt-out address goes in the opt-out line built once per chunk: no text or
#: address holds this character
UNSUBSCRIBE_URL_MARK = "\x00"


class SmsComposer(models.TransientModel):
    _inherit = "sms.composer"

    def _action_send_sms(self):
        # a composer pointed at a mailing sends it for, and charges, the mailing's company
        if self.composition_mode == "mass" and self.mailing_id:
            self.mailing_id._sms_notify_check_company()
        return super()._action_send_sms()

    def _get_done_record_ids(self, records, recipients_info):
        """A number this mailing already sends to is a duplicate here too: a large mailing is
        prepared in chunks (see ``mailing.mailing.action_send_sms``), and the same number
        must not get the mailing twice because it appears in two chunks."""
        # SMS Marketing adds every record the mailing reached before, and Odoo then looks each
        # recipient up in that list: only this chunk's records matter
        done_ids = self._sms_notify_among(
            super(
                SmsComposer, self.with_context(sms_notify_seen_among=records.ids)
            )._get_done_record_ids(records, recipients_info),
            records,
        )
        numbers = {recipients_info[record.id]["sanitized"] for record in records} - {False}
        if not self.mailing_id or not numbers:
            return done_ids
        # only this chunk's numbers are looked up: reading every number already reached would
        # make each chunk of a large mailing slower than the one before
        reached = {
            number
            for (number,) in self.env["mailing.trace"]
            .sudo()
            ._read_group(
                [
                    ("mass_mailing_id", "=", self.mailing_id.id),
                    ("trace_type", "=", "sms"),
                    ("trace_status", "!=", "cancel"),
                    ("sms_number", "in", list(numbers)),
                ],
                ["sms_number"],
            )
        }
        if reached:
            done = set(done_ids)
            done_ids += [
                record.id
                for record in records
                if record.id not in done and recipients_info[record.id]["sanitized"] in reached
            ]
        return done_ids

    def _prepare_recipient_values(self, records):
        """The number a user set for this mailing replaces the contact's (see the mailing's
        Recipients), judged as the summary judged it."""
        if (
            self.mailing_id
            and records
            and self.env.context.get("sms_notify_recipients_judged")
            and (judged := self._sms_notify_judged_recipients(records)) is not None
        ):
            return judged
        result = super()._prepare_recipient_values(records)
        if not self.mailing_id or not records:
            return result
        self.env["sms.notify.campaign.recipient"].flush_model()
        self.env.cr.execute(
            """SELECT res_id, number_override FROM sms_notify_campaign_recipient
                WHERE mailing_id = %s AND res_id = ANY(%s) AND number_override IS NOT NULL""",
            [self.mailing_id.id, records.ids],
        )
        overrides = dict(self.env.cr.fetchall())
        if not overrides:
            return result
        company_country = self.mailing_id._sms_notify_company().country_id.code
        countries = records.browse(list(overrides))._phone_get_country()
        for record_id, number in overrides.items():
            country = countries.get(record_id)
            choice = recipient_tools.choose(
                [],
                record_country=country.code if country else None,
                company_country=company_country,
                override=number,
            )
            # the contact's own number stays as it is: the number is this mailing's
            result[record_id] = dict(
                result[record_id],
                sanitized=choice.e164 or False,
                number=number,
                partner_store=False,
                field_store=False,
            )
        return result

    def _sms_notify_judged_recipients(self, records):
        """``records``' recipient values (as ``_sms_get_recipients_info`` gives them) read
        from the mailing's recipient list, where the summary judged each number moments before
        with the composer's own rules, per-mailing numbers included; ``None`` when a record
        is not listed (the composer then judges the chunk itself). Judging 100,000 numbers is
        seconds of work, done once instead of twice."""
        self.env["sms.notify.campaign.recipient"].flush_model()
        self.env.cr.execute(
            """SELECT res_id, partner_id, number, e164, number_source, number_field
                 FROM sms_notify_campaign_recipient
                WHERE mailing_id = %s AND res_id = ANY(%s)""",
            [self.mailing_id.id, records.ids],
        )
        rows = {row[0]: row[1:] for row in self.env.cr.fetchall()}
        if len(rows) != len(records):
            return None
        partners = self.env["res.partner"].browse({row[0] for row in rows.values() if row[0]})
        return {
            record_id: {
                "partner": partners.browse(partner_id or []).with_prefetch(partners._ids),
                "sanitized": e164 or False,
                "number": number or False,
                "partner_store": source == recipient_tools.PARTNER,
                "field_store": False if source == recipient_tools.OVERRIDE else fname,
            }
            for record_id, (partner_id, number, e164, source, fname) in rows.items()
        }

    def _sms_notify_companies(self, records):
        """A mailing is sent and paid for by the company of its responsible user, whoever its
        recipients belong to (SMS Marketing's scheduler sends it as that user too)."""
        if not self.mailing_id:
            return super()._sms_notify_companies(records)
        mailing = self.mailing_id
        # the company's balance and costs are read as superuser for it: only its users may
        mailing._sms_notify_check_company()
        company = (mailing.user_id or mailing.write_uid or self.env.user).company_id
        return dict.fromkeys(records.ids, company)

    def _get_optout_record_ids(self, records, recipients_info):
        # SMS Marketing answers every opted-out contact, not only this chunk's
        return self._sms_notify_among(
            super()._get_optout_record_ids(records, recipients_info), records
        )

    def _prepare_mass_sms(self, records, sms_record_values):
        """Store a mailing's SMS, traces and trackers with one INSERT per thousand rows.

        SMS Marketing creates them through the ORM, nested (SMS → trace → tracker), then
        rewrites every body to add the SMS id to its tracked links: most of the time a large
        mailing takes before its first SMS can leave. The rows stored here are the same."""
        if not self.mailing_id or not records:
            return super()._prepare_mass_sms(records, sms_record_values)
        env = self.env
        sms_model = env["sms.sms"].sudo()
        # ids reserved first: the tracked links of each body carry its SMS id
        env.cr.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [sms_model._table, len(records)],
        )
        sms_ids = [row[0] for row in env.cr.fetchall()]
        short_link_prefix = sms_model.get_base_url() + "/r/"
        sms_vals_list, trace_vals_list = [], []
        for record, sms_id in zip(records, sms_ids, strict=True):
            values = dict(sms_record_values[record.id])
            # SMS Marketing nests the trace, and the trace its tracker, in the SMS values
            [(_create, _zero, trace_values)] = values.pop("mailing_trace_ids")
            trace_values = dict(trace_values, sms_id_int=sms_id)
            trace_values.pop("sms_tracker_ids", None)
            body = trace_links_to_sms(values["body"], short_link_prefix, sms_id)
            if values.get("fallback_body"):
                values["fallback_body"] = trace_links_to_sms(
                    values["fallback_body"], short_link_prefix, sms_id
                )
            # given here rather than left to _compute_segmenting, which would update every
            # row again right after the insert
            analysis = gsm.analyze(body or "")
            viber = values.get("channel") == "viber"
            sms_vals_list.append(
                dict(
                    values,
                    id=sms_id,
                    body=body,
                    # a Viber message is one message (see sms.sms._compute_segmenting)
                    encoding=False if viber else analysis.encoding,
                    segments=1 if viber else analysis.segments,
                )
            )
            trace_vals_list.append(trace_values)
        sms_all = sms_model._sms_notify_insert(sms_vals_list)
        campaign = self.mailing_id.campaign_id.id
        traces = (
            env["mailing.trace"]
            .sudo()
            ._sms_notify_insert([dict(values, campaign_id=campaign) for values in trace_vals_list])
        )
        env["sms.tracker"].sudo()._sms_notify_insert(
            [
                {"sms_uuid": values["uuid"], "mailing_trace_id": trace.id}
                for values, trace in zip(sms_vals_list, traces, strict=True)
            ]
        )
        return sms_all

    # ------------------------------------------------------------------
    # A mailing's texts transliterated to GSM-7 when the mailing asks for it
    # ------------------------------------------------------------------

    def _prepare_body_values(self, records):
        # every recipient's text, once rendered and its links shortened, before the SMS are
        # counted, checked and stored
        bodies = super()._prepare_body_values(records)
        if self._sms_notify_transliterates():
            bodies = {res_id: transliterate(body) for res_id, body in bodies.items()}
        return bodies

    # ------------------------------------------------------------------
    # The opt-out line, built once per chunk
    # ------------------------------------------------------------------

    def _prepare_mass_sms_values(self, records):
        """SMS Marketing builds each recipient's opt-out line from scratch: the server's
        address read from the system parameters and the line's words translated again, for
        every recipient, a sixth of the time a mailing takes to compose. Both are the same
        for the whole chunk: they are built once, and each recipient's line only gets its
        own trace code (a test holds the line to SMS Marketing's)."""
        if self.composition_mode == "mass" and self.mailing_id and self.mass_sms_allow_unsubscribe:
            self = self.with_context(
                sms_notify_unsubscribe_prefix=url_join(self.get_base_url(), "/sms/"),
                sms_notify_unsubscribe_info=self._get_unsubscribe_info(UNSUBSCRIBE_URL_MARK),
            )
        values = super()._prepare_mass_sms_values(records)
        return self._sms_notify_mailing_by_viber(records, values)

    def _sms_notify_mailing_by_viber(self, records, values):
        """A mailing sent by Viber: each message a Viber attempt, its own text (or the SMS
        one) with the same opt-out link as the SMS, the SMS text kept as its fallback."""
        delivery = self._sms_notify_delivery()
        if not (delivery and self.composition_mode == "mass" and self.mailing_id):
            return values
        viber_bodies = self._sms_notify_viber_bodies(records)
        sms = self.env["sms.sms"]
        for res_id, sms_values in values.items():
            viber_text = viber_bodies.get(res_id)
            if viber_text and sms_values["state"] == "outgoing" and self.mass_sms_allow_unsubscribe:
                [(_create, _zero, trace_values)] = sms_values["mailing_trace_ids"]
                stop = self._get_unsubscribe_info(
                    self._get_unsubscribe_url(
                        res_id, trace_values["sms_code"], sms_values["number"]
                    )
                )
                viber_text = f"{viber_text}\n{stop}"
            sms_values.update(
                sms._sms_notify_viber_values(sms_values.get("body"), viber_text, delivery)
            )
        return values

    def _sms_notify_viber_bodies(self, records):
        # a mailing's links are tracked in its Viber text as in its SMS text
        bodies = super()._sms_notify_viber_bodies(records)
        if bodies and self.mailing_id:
            tracker_values = self.mailing_id._get_link_tracker_values()
            render = self.env["mail.render.mixin"].sudo()
            bodies = {
                res_id: render._shorten_links_text(body, tracker_values)
                for res_id, body in bodies.items()
            }
        return bodies

    def _get_unsubscribe_url(self, res_id, trace_code, number):
        prefix = self.env.context.get("sms_notify_unsubscribe_prefix")
        if prefix is None:
            return super()._get_unsubscribe_url(res_id, trace_code, number)
        return f"{prefix}{self.mailing_id.id}/{trace_code}"

    @api.model
    def _get_unsubscribe_info(self, url):
        info = self.env.context.get("sms_notify_unsubscribe_info")
        if info is not None:
            return info.replace(UNSUBSCRIBE_URL_MARK, url)
        # the opt-out line SMS Marketing appends is translated (СТОП SMS): it would make the
        # transliterated text Unicode again
        info = super()._get_unsubscribe_info(url)
        return transliterate(info) if self._sms_notify_transliterates() else info

    def _sms_notify_transliterates(self):
        return len(self) == 1 and self.mailing_id.sms_notify_transliterate
