from markupsafe import Markup

from odoo import models

from odoo.addons.sms_notify.tools.transliterate import transliterate


class MailingSmsTest(models.TransientModel):
    _inherit = "mailing.sms.test"

    def action_send_sms(self):
        """A test of a mailing goes out as the mailing will: through the gateways of the
        company that sends it, charged as its SMS are, with the text transliterated when the
        mailing is. SMS Marketing's own test goes straight to Odoo IAP, whatever gateway the
        mailing will use. The test SMS are queued; their outcome shows in the SMS history."""
        self.ensure_one()
        mailing = self.mailing_id
        # a test is charged to the company that sends the mailing: only its users may
        mailing._sms_notify_check_company()
        company = mailing._sms_notify_company()
        if not self.env["sms.notify.gateway"].sudo()._get_companies_sending(company):
            return super().action_send_sms()
        numbers = [number.strip() for number in self.numbers.splitlines() if number.strip()]
        sanitized = [self.env.user._phone_format(number=number) for number in numbers]
        invalid = [number for number, e164 in zip(numbers, sanitized, strict=True) if not e164]
        text = self._sms_notify_test_text()
        queued = (
            self.env["sms.sms"]
            .sudo()
            .create(
                [
                    {
                        "body": text,
                        "number": e164,
                        "company_id": company.id,
                        "message_kind": mailing.message_kind,
                    }
                    for e164 in sanitized
                    if e164
                ]
            )
        )
        if queued:
            queued._sms_notify_wake_queue()
        lines = []
        if invalid:
            lines.append(
                self.env._(
                    "These numbers are not valid, no test was sent to them: %(numbers)s",
                    numbers=", ".join(invalid),
                )
            )
        if queued:
            lines.append(
                self.env._(
                    "Test SMS queued for %(numbers)s; the SMS history shows when it is delivered.",
                    numbers=", ".join(queued.mapped("number")),
                )
            )
        mailing._message_log(body=Markup("<br/>").join(lines))
        return True

    def _sms_notify_test_text(self):
        """The mailing's text as the test sends it, transliterated when the mailing is."""
        text = self._sms_notify_test_rendered()
        return transliterate(text) if self.mailing_id.sms_notify_transliterate else text

    def _sms_notify_test_rendered(self):
        """The mailing's text rendered as SMS Marketing's test renders it: for the first
        record of the mailing's model."""
        mailing = self.mailing_id
        body = mailing.body_plaintext or ""
        record = self.env[mailing.mailing_model_real].search([], limit=1)
        if not record:
            return body
        return self.env["mail.render.mixin"]._render_template(
            body, mailing.mailing_model_real, record.ids
        )[record.id]
