"""What the queue refuses before any charge or gateway call: expired, too long or
unrendered texts, numbers no SMS reaches, recipients who did not consent."""

from collections import defaultdict

from odoo import api, fields, models

from ..tools import consent, numbers, tokens

MAX_SEGMENTS_PARAM = "sms_notify.max_segments"
DEFAULT_MAX_SEGMENTS = 4


# sms.sms is split into files by concern (see sms_sms.py): one class per file on purpose
class SmsSmsChecks(models.Model):
    _inherit = "sms.sms"  # pylint: disable=consider-merging-classes-inherited

    def _sms_notify_cancel_expired(self):
        """Cancel the messages whose validity ended before they could be handed over; return
        the others."""
        now = fields.Datetime.now()
        expired = self._sms_notify_where(
            "valid_until", lambda valid_until: valid_until and valid_until <= now
        )
        expired._sms_notify_cancel(
            "sms_expired", self.env._("Not sent: its validity ended before sending.")
        )
        return self - expired

    def _sms_notify_refuse_without_consent(self, e164_numbers):
        """Cancel the messages their recipient did not agree to receive (see
        ``tools/consent.py``); return ``e164_numbers`` without them."""
        if not e164_numbers:
            return e164_numbers
        messages = self.browse(list(e164_numbers)).sudo()
        blacklisted = self._sms_notify_blacklisted(set(e164_numbers.values()))
        # the two consents alone: reading one field of a contact reads every column of every
        # contact of the batch, most of the time this check took
        messages.partner_id.fetch(["sms_notify_opt_out", "sms_notify_ad_consent"])
        refused = defaultdict(list)
        for sms, kind in zip(messages, messages.mapped("message_kind"), strict=True):
            partner = sms.partner_id
            reason = consent.refusal(
                kind,
                blacklisted=e164_numbers[sms.id] in blacklisted,
                customer=bool(partner),
                opted_out=partner.sms_notify_opt_out,
                advertising_consent=partner.sms_notify_ad_consent,
            )
            if reason:
                refused[reason].append(sms.id)
        for reason, sms_ids in refused.items():
            failure_type, text = self._sms_notify_consent_refusal(reason)
            self.browse(sms_ids)._sms_notify_cancel(failure_type, text)
        refused_ids = {sms_id for sms_ids in refused.values() for sms_id in sms_ids}
        return {
            sms_id: number for sms_id, number in e164_numbers.items() if sms_id not in refused_ids
        }

    @api.model
    def _sms_notify_blacklisted(self, e164_numbers):
        """The numbers of ``e164_numbers`` (in E.164) the phone blacklist holds.

        The blacklist stores its numbers in E.164. Its ``search`` formats every number it is
        given again with phonenumbers first, which cost the queue a fifth of its time at 500
        numbers a batch; a number in E.164 formats to itself, so looking the numbers up as
        they are finds the same entries."""
        blacklist = self.env["phone.blacklist"].sudo()
        blacklist.flush_model(["number", "active"])
        self.env.cr.execute(
            "SELECT number FROM phone_blacklist WHERE active AND number = ANY(%s)",
            [list(e164_numbers)],
        )
        return {row[0] for row in self.env.cr.fetchall()}

    def _sms_notify_consent_refusal(self, reason):
        """``(failure type, what the user reads)`` of a consent refusal."""
        return {
            consent.BLACKLISTED: (
                "sms_blacklist",
                self.env._("Not sent: the number is on the SMS blacklist."),
            ),
            consent.OPTED_OUT: (
                "sms_optout",
                self.env._(
                    "Not sent: the customer asked not to receive SMS (No SMS on their contact)."
                ),
            ),
            consent.NO_ADVERTISING_CONSENT: (
                "sms_optout",
                self.env._(
                    "Not sent: the customer has not agreed to SMS promotions. Send it as a "
                    "service message if it is not a promotion, or record their consent first."
                ),
            ),
        }[reason]

    def _sms_notify_refuse_too_long(self):
        """Fail the messages over the segment limit before any gateway call; return the
        others. The composer refuses them already; this catches every other way in."""
        limit = self._sms_notify_max_segments()
        too_long = self._sms_notify_where("segments", lambda segments: limit and segments > limit)
        for sms in too_long:
            sms._sms_notify_fail(
                sms.gateway_id,
                "unknown",
                self.env._(
                    "The message needs %(segments)s SMS, more than the limit of %(limit)s: "
                    "shorten it, or raise the limit in the settings.",
                    segments=sms.segments,
                    limit=limit,
                ),
            )
        return self - too_long

    def _sms_notify_refuse_unrendered(self):
        """Cancel, before any charge or gateway call, the messages whose text is empty or
        still holds a token or placeholder (see ``tokens.unrendered_reason``); return the
        others. The composer refuses them already; this catches every other way in."""
        refused = self.browse()
        for sms, body in zip(self, self.sudo().mapped("body"), strict=True):
            if reason := tokens.unrendered_reason(body):
                text = self._sms_notify_unrendered_text(reason, body)
                sms._sms_notify_cancel("unknown", self.env._("Not sent: %(reason)s", reason=text))
                refused |= sms
        return self - refused

    @api.model
    def _sms_notify_unrendered_text(self, reason, body):
        """What the user reads about a text ``tokens.unrendered_reason`` refuses."""
        if reason == tokens.EMPTY_TEXT:
            return self.env._("the text is empty. Write the message, or pick an SMS template.")
        if reason == tokens.UNKNOWN_TOKEN:
            return self.env._(
                "the text still holds %(tokens)s, which no token of the document fills in. "
                "Pick tokens from the palette beside the template's text.",
                tokens=", ".join(tokens.typed_tokens(body)),
            )
        return self.env._(
            "the text holds a placeholder that was not filled in ({{ without }}, or an "
            "expression that could not be read). Correct the text or its template."
        )

    @api.model
    def _sms_notify_max_segments(self):
        return int(
            self.env["ir.config_parameter"]
            .sudo()
            .get_param(MAX_SEGMENTS_PARAM, DEFAULT_MAX_SEGMENTS)
        )

    def _sms_notify_normalize_numbers(self):
        """Fail the messages no SMS can reach, before any gateway call; return
        ``{sms id: E.164 number}`` for the others."""
        e164_numbers = {}
        # a number without its country code is read in the country of the message's company
        for company, messages in self.sudo().grouped("company_id").items():
            company_country = company.country_id.code
            for sms, number in zip(messages, messages.mapped("number"), strict=True):
                # the customer's country only matters to a number without its country code
                international = bool(number) and number.startswith("+")
                normalized = numbers.normalize(
                    number,
                    country_code=None if international else sms.partner_id.country_id.code,
                    company_country_code=company_country,
                    translate=self.env._,
                )
                if normalized.ok:
                    e164_numbers[sms.id] = normalized.e164
                else:
                    sms._sms_notify_fail(sms.gateway_id, normalized.failure_type, normalized.reason)
        return e164_numbers
