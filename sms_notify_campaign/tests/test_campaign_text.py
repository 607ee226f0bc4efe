from unittest.mock import patch

from odoo.exceptions import ValidationError
from odoo.tests import HttpCase, new_test_user, tagged

from odoo.addons.mass_mailing_sms.wizard.sms_composer import SMSComposer as MassMailingSmsComposer
from odoo.addons.sms_notify.tests.common import SmscGatewayCommon
from odoo.addons.sms_notify.tools import gsm

from ..models import mailing_mailing
from ..models.mailing_mailing import MailingMailing
from .common import create_sms_mailing


@tagged("post_install", "-at_install")
class TestCampaignText(SmscGatewayCommon):
    """A mailing's text is written with tokens, rendered for each recipient, previewed for one,
    counted on its longest rendered text, and optionally transliterated to GSM-7."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # sent at whatever hour the tests run: quiet hours are test_mailing_delivery's
        cls.env.company.sms_notify_quiet_advertising = False
        cls.env.company.name = "Optics"

    def _mailing(self, records, text, **values):
        return create_sms_mailing(self.env, records, sms_notify_text=text, **values)

    def _contacts(self, *names):
        return self.env["mailing.contact"].create(
            [
                {"name": name, "mobile": f"+48 600 100 {index:03d}"}
                for index, name in enumerate(names)
            ]
        )

    def _sent_bodies(self, mailing):
        mailing.action_send_sms()
        traces = self.env["mailing.trace"].search([("mass_mailing_id", "=", mailing.id)])
        sms_all = self.env["sms.sms"].browse(traces.mapped("sms_id_int"))
        self.assertEqual(set(sms_all.mapped("state")), {"outgoing"})
        return {trace.res_id: sms_all.browse(trace.sms_id_int) for trace in traces}

    def test_tokens_render_for_each_mailing_contact(self):
        contacts = self._contacts("Анна Сергеевна Петрова", "John Smith")
        mailing = self._mailing(contacts, ":FirstName:, -20% on all frames. :Sklep:")
        self.assertEqual(
            mailing.body_plaintext,
            "{{ object.sms_notify_first_name }}, -20% on all frames. "
            "{{ object.sms_notify_shop_name }}",
        )
        mailing.invalidate_recordset(["sms_notify_text"])
        self.assertEqual(mailing.sms_notify_text, ":FirstName:, -20% on all frames. :ShopName:")
        sms = self._sent_bodies(mailing)
        self.assertEqual(sms[contacts[0].id].body, "Анна, -20% on all frames. Optics")
        self.assertEqual(sms[contacts[1].id].body, "John, -20% on all frames. Optics")
        self.assertEqual(sms[contacts[0].id].encoding, "ucs2")

    def test_mailing_contact_name_parts_follow_its_split_name(self):
        contact = self.env["mailing.contact"].create(
            {"first_name": "Jan", "last_name": "van Dijk", "mobile": "+48600100999"}
        )
        self.assertEqual(
            (contact.sms_notify_first_name, contact.sms_notify_last_name), ("Jan", "van Dijk")
        )
        contact.write({"first_name": False, "last_name": False, "name": "Петрова Анна Сергеевна"})
        self.assertEqual(
            (
                contact.sms_notify_first_name,
                contact.sms_notify_patronymic,
                contact.sms_notify_last_name,
            ),
            ("Анна", "Сергеевна", "Петрова"),
        )

    def test_tokens_render_for_each_partner(self):
        partners = self.env["res.partner"].create(
            [
                {
                    "name": "Anna Nowak",
                    "mobile": "+48 600 200 001",
                    "sms_notify_gender": "female",
                    "sms_notify_ad_consent": True,
                },
                {
                    "name": "Piotr Kowalski",
                    "mobile": "+48 600 200 002",
                    "sms_notify_gender": "male",
                    "sms_notify_ad_consent": True,
                },
            ]
        )
        mailing = self._mailing(partners, ":Salutation: :FirstName:, see you at :ShopName:")
        self.assertIn("{{ object.sms_notify_salutation }}", mailing.body_plaintext)
        sms = self._sent_bodies(mailing)
        self.assertEqual(sms[partners[0].id].body, "Dear Ms Anna, see you at Optics")
        self.assertEqual(sms[partners[1].id].body, "Dear Mr Piotr, see you at Optics")

    def test_unknown_token_is_refused_and_the_text_kept(self):
        contacts = self._contacts("Anna")
        with self.assertRaisesRegex(ValidationError, r"Unknown token :Nickname:"):
            self._mailing(contacts, "Hello :Nickname:")
        mailing = self._mailing(contacts, "Hello :FirstName:")
        with self.assertRaisesRegex(ValidationError, r":Nickname:"), self.env.cr.savepoint():
            mailing.sms_notify_text = "Bye :Nickname:"
            mailing.flush_recordset()
        mailing.invalidate_recordset()
        self.assertEqual(mailing.body_plaintext, "Hello {{ object.sms_notify_first_name }}")
        # the form says it where the count is, while the text is being typed
        draft = mailing.new(origin=mailing)
        draft.sms_notify_text = "Bye :Nickname:"
        self.assertIn(":Nickname:", draft.sms_notify_longest_summary)

    def test_template_must_be_of_the_recipients_model(self):
        contacts = self._contacts("Anna")
        partner_template = self.env["sms.template"].create(
            {
                "name": "Partners",
                "model_id": self.env["ir.model"]._get_id("res.partner"),
                "body": "Hi {{ object.sms_notify_first_name }}",
            }  # fmt: skip
        )
        contact_template = self.env["sms.template"].create(
            {
                "name": "Contacts",
                "model_id": self.env["ir.model"]._get_id("mailing.contact"),
                "sms_notify_text": "Hi :FirstName:, new frames at :ShopName:",
            }
        )
        with self.assertRaisesRegex(ValidationError, "not for this mailing's recipients"):
            self._mailing(contacts, "Hello", sms_template_id=partner_template.id)
        mailing = self._mailing(contacts, "Hello")
        mailing.sms_template_id = contact_template
        self.assertEqual(mailing.sms_notify_text, "Hi :FirstName:, new frames at :ShopName:")
        self.assertEqual(mailing.sms_notify_preview_text, "Hi Anna, new frames at Optics")
        self.assertEqual(
            mailing._fields["sms_template_id"].domain, "[('model', '=', mailing_model_real)]"
        )
        # the recipients' model may still change, as in SMS Marketing: the form drops the
        # template that no longer fits, the text stays
        draft = mailing.new(origin=mailing)
        draft.mailing_model_id = self.env["ir.model"]._get("res.partner")
        draft._onchange_mailing_model_id_sms_template()
        self.assertFalse(draft.sms_template_id)
        mailing.mailing_model_id = self.env["ir.model"]._get("res.partner")
        self.assertIn("new frames at", mailing.body_plaintext)

    def test_preview_renders_the_chosen_recipient_with_its_parts_and_encoding(self):
        contacts = self._contacts("Anna", "Юлия")
        outsider = self._contacts("Zoe")
        text = ":FirstName:, " + "our spring collection is in the shop. " * 5
        mailing = self._mailing(contacts, text)
        mailing.sms_notify_preview_res_id = contacts[0].id
        expected = "Anna, " + "our spring collection is in the shop. " * 5
        self.assertEqual(mailing.sms_notify_preview_text, expected)
        self.assertEqual(
            mailing.sms_notify_preview_summary, f"2 SMS, {len(expected)} characters in GSM-7"
        )
        self.assertIn(f"Part 1 of 2:\n{expected[:153]}", mailing.sms_notify_preview_parts)
        self.assertIn(f"Part 2 of 2:\n{expected[153:]}", mailing.sms_notify_preview_parts)

        mailing.sms_notify_preview_res_id = contacts[1].id
        self.assertTrue(mailing.sms_notify_preview_text.startswith("Юлия, our spring"))
        self.assertRegex(
            mailing.sms_notify_preview_summary,
            r"^3 SMS, \d+ characters in Unicode "
            "because of Ю л и я$",
        )

        mailing.sms_notify_preview_res_id = outsider.id
        self.assertTrue(mailing.sms_notify_preview_text.startswith("Zoe, our spring"))
        self.assertIn(
            "Zoe is not among the mailing's recipients", mailing.sms_notify_preview_summary
        )

    def test_counter_shows_the_longest_rendered_text_rendering_only_a_few(self):
        """A short Cyrillic name makes a longer SMS than a long Latin one: Unicode holds 70
        characters per SMS. The counter finds both kinds in SQL and renders a handful."""
        fillers = [f"Customer {index}" for index in range(30)]
        contacts = self._contacts(*fillers, "Bartholomew Montgomery-Fitzwilliam", "Юля", "Al")
        text = ":CustomerName:, the spring collection is in the shop: -20% on frames until Sunday!"
        mailing = self._mailing(contacts, text)
        # the text as typed, tokens and all, is one SMS
        self.assertEqual(gsm.analyze(text).segments, 1)

        rendered_ids = []
        original = MailingMailing._sms_notify_texts

        def spy(self, body, res_ids):
            rendered_ids.extend(res_ids)
            return original(self, body, res_ids)

        with patch.object(MailingMailing, "_sms_notify_texts", spy):
            mailing.invalidate_recordset(["sms_notify_longest_summary"])
            summary = mailing.sms_notify_longest_summary
        self.assertEqual(mailing.sms_notify_longest_segments, 2)
        self.assertIn("(the longest text, for Юля)", summary)
        self.assertIn("in Unicode because of Ю л я", summary)
        self.assertLessEqual(len(rendered_ids), 2 * mailing_mailing.COUNTER_CANDIDATES)
        self.assertIn(contacts[-3].id, rendered_ids)  # the longest Latin name
        # without the Cyrillic name, the longest Latin name is the longest text
        contacts[-2].name = "Yula"
        mailing.invalidate_recordset(["sms_notify_longest_summary"])
        self.assertIn("for Bartholomew Montgomery-Fitzwilliam", mailing.sms_notify_longest_summary)
        self.assertIn("in GSM-7", mailing.sms_notify_longest_summary)
        self.assertEqual(mailing.sms_notify_longest_segments, 1)

    def test_counter_follows_the_recipients_taken_off_and_added_by_hand(self):
        """The counter, hence the summary's cost, is the longest text of those who will get
        it: a recipient taken off is neither counted nor previewed as a recipient, one added by
        hand is counted (else the cost shown could be below what sending costs)."""
        contacts = self._contacts("Anna", "Bartholomew")
        added = self.env["mailing.contact"].create({"name": "Юля", "mobile": "+48 600 100 777"})
        text = (
            "Hello :FirstName:, the spring collection is in the shop: -20% on frames! Until Sunday."
        )
        mailing = self._mailing(contacts, text)
        self.assertIn("for Bartholomew", mailing.sms_notify_longest_summary)

        mailing._sms_notify_sync_recipients()
        recipients = self.env["sms.notify.campaign.recipient"].search(
            [("mailing_id", "=", mailing.id)]
        )
        recipients.filtered(lambda r: r.res_id == contacts[1].id).action_exclude()
        mailing.invalidate_recordset()
        self.assertIn("for Anna", mailing.sms_notify_longest_summary)
        mailing.sms_notify_preview_res_id = contacts[1].id
        self.assertIn(
            "Bartholomew is not among the mailing's recipients",
            mailing.sms_notify_preview_summary,
        )

        mailing._sms_notify_add_records(added)
        mailing.invalidate_recordset()
        mailing.sms_notify_preview_res_id = False
        # in Unicode, 70 characters an SMS: two parts, where the others' text is one
        self.assertIn("2 SMS", mailing.sms_notify_longest_summary)
        self.assertIn("for Юля", mailing.sms_notify_longest_summary)
        mailing.action_sms_notify_refresh_summary()
        self.assertEqual((mailing.sms_notify_send_count, mailing.sms_notify_parts), (2, 2))

    def test_preview_of_a_mailing_without_recipients(self):
        contacts = self._contacts("Anna")
        mailing = self._mailing(contacts, "Hello :FirstName:", mailing_domain="[('id', '=', 0)]")
        self.assertFalse(mailing.sms_notify_longest_summary)
        self.assertFalse(mailing.sms_notify_preview_text)
        mailing.sms_notify_preview_res_id = contacts.id
        self.assertEqual(mailing.sms_notify_preview_text, "Hello Anna")
        self.assertIn(
            "Anna is not among the mailing's recipients", mailing.sms_notify_preview_summary
        )

    def test_counter_of_a_text_without_tokens(self):
        contacts = self._contacts("Anna", "Юля")
        mailing = self._mailing(contacts, "Spring sale")
        self.assertEqual(mailing.sms_notify_longest_segments, 1)
        self.assertRegex(
            mailing.sms_notify_longest_summary,
            r"^1 SMS, 11 characters in GSM-7 \(the longest text, for (Anna|Юля)\)$",
        )
        self.assertEqual(mailing.sms_notify_preview_text, "Spring sale")

    def test_transliteration_is_off_by_default_and_applies_to_every_sms_when_on(self):
        contacts = self._contacts("Юля Щукина", "Łukasz Żak")
        text = "Привет, :FirstName:! Скидка 20% до воскресенья."
        kept = self._mailing(contacts, text)
        self.assertFalse(kept.sms_notify_transliterate)
        self.assertIn(
            "in Unicode because of П р и в е т Ł С к д …", kept.sms_notify_longest_summary
        )
        sms = self._sent_bodies(kept)
        self.assertEqual(sms[contacts[0].id].body, "Привет, Юля! Скидка 20% до воскресенья.")
        self.assertEqual(sms[contacts[1].id].encoding, "ucs2")

        latin = self._mailing(
            contacts, text, sms_notify_transliterate=True, sms_allow_unsubscribe=True
        )
        latin.sms_notify_preview_res_id = contacts[1].id
        self.assertTrue(
            latin.sms_notify_preview_text.startswith("Privet, Lukasz! Skidka 20% do voskresenia.")
        )
        self.assertNotIn("Unicode", latin.sms_notify_longest_summary)
        sms = self._sent_bodies(latin)
        first, second = sms[contacts[0].id], sms[contacts[1].id]
        self.assertTrue(
            first.body.startswith("Privet, Iulia! Skidka 20% do voskresenia.\nSTOP SMS")
        )
        self.assertTrue(second.body.startswith("Privet, Lukasz! Skidka 20% do voskresenia."))
        self.assertEqual((first.encoding, first.segments), ("gsm7", 1))

    def test_opt_out_line_is_transliterated_with_the_text(self):
        """SMS Marketing's opt-out line is translated (СТОП SMS in Russian): it would make a
        transliterated text Unicode again."""
        contacts = self._contacts("Юля")
        latin = self._mailing(contacts, "Привет", sms_notify_transliterate=True)
        plain = self._mailing(contacts, "Привет")
        with patch.object(
            MassMailingSmsComposer,
            "_get_unsubscribe_info",
            lambda self, url: f"СТОП SMS: {url}",
        ):
            composer = self.env["sms.composer"].new({"mailing_id": latin.id})
            self.assertEqual(composer._get_unsubscribe_info("u"), "STOP SMS: u")
            composer = self.env["sms.composer"].new({"mailing_id": plain.id})
            self.assertEqual(composer._get_unsubscribe_info("u"), "СТОП SMS: u")

    def test_each_sms_gets_sms_marketings_opt_out_line_with_its_own_trace_code(self):
        """The opt-out line is built once per chunk: each SMS still ends with SMS Marketing's
        own line, in the sender's language and transliterated with the text, carrying the
        address of its own trace."""
        contacts = self._contacts("Юля", "Anna", "Jan")
        plain = self._mailing(contacts, "Привет", sms_allow_unsubscribe=True)
        latin = self._mailing(
            contacts, "Привет", sms_allow_unsubscribe=True, sms_notify_transliterate=True
        )
        base_url = self.env["sms.sms"].get_base_url()
        with patch.object(
            MassMailingSmsComposer,
            "_get_unsubscribe_info",
            lambda self, url: f"СТОП SMS: {url}",
        ):
            bodies = {mailing: self._sent_bodies(mailing) for mailing in (plain, latin)}
        for mailing, words, text in ((plain, "СТОП", "Привет"), (latin, "STOP", "Privet")):
            traces = self.env["mailing.trace"].search([("mass_mailing_id", "=", mailing.id)])
            self.assertEqual(len(traces), 3)
            for trace in traces:
                self.assertEqual(
                    bodies[mailing][trace.res_id].body,
                    f"{text}\n{words} SMS: {base_url}/sms/{mailing.id}/{trace.sms_code}",
                )

    def test_test_sms_goes_through_the_gateway_transliterated_as_the_mailing(self):
        """SMS Marketing's test goes straight to Odoo IAP with the text as typed; the
        suite's goes through the company's gateway, as the mailing will, transliterated when
        the mailing is, and says which numbers it could not use."""
        contacts = self._contacts("Юля")
        mailing = self._mailing(contacts, "Привет! Скидка 20%", sms_notify_transliterate=True)
        test = self.env["mailing.sms.test"].create(
            {"mailing_id": mailing.id, "numbers": "+48 600 100 999\nnot a number"}
        )

        test.action_send_sms()
        self.env["sms.sms"]._process_queue()

        sent = self.env["sms.sms"].search([("number", "=", "+48600100999")])
        self.assertEqual(sent.body, "Privet! Skidka 20%")
        self.assertEqual(
            (sent.company_id, sent.message_kind, sent.gateway_id),
            (self.env.company, "advertising", self.gateway),
        )
        self.assertEqual(
            [message["text"] for message in self.fake.messages.values()], ["Privet! Skidka 20%"]
        )
        log = mailing.message_ids[0].body
        self.assertIn("not a number", log)
        self.assertIn("+48600100999", log)

    def test_marketing_user_sees_preview_and_counter(self):
        marketer = new_test_user(
            self.env, login="text_marketer", groups="mass_mailing.group_mass_mailing_user"
        )
        contacts = self._contacts("Anna Kowalska", "Юля")
        mailing = self._mailing(contacts, ":FirstName:, -20% until Sunday").with_user(marketer)
        mailing.sms_notify_text = ":FirstName: :LastName:, -20% until Sunday"
        self.assertIn("for Anna Kowalska", mailing.sms_notify_longest_summary)
        mailing.sms_notify_preview_res_id = contacts[0].id
        self.assertEqual(mailing.sms_notify_preview_text, "Anna Kowalska, -20% until Sunday")

    def test_preview_of_another_companys_customer_shows_nothing_of_them(self):
        """A marketing user previews only what they may read: a customer of a company they are
        not in, chosen for the preview through RPC, renders nothing of theirs."""
        other_company = self.env["res.company"].create({"name": "Other Optics"})
        marketer = new_test_user(
            self.env,
            login="text_marketer_a",
            groups="mass_mailing.group_mass_mailing_user",
            company_id=self.env.company.id,
            company_ids=self.env.company.ids,
        )
        own, foreign = self.env["res.partner"].create(
            [
                {"name": "Anna Own", "mobile": "+48 600 400 001"},
                {
                    "name": "Zofia Foreign",
                    "mobile": "+48 600 400 002",
                    "company_id": other_company.id,
                },
            ]
        )
        mailing = self._mailing(own | foreign, "Hello :FirstName: :LastName:").with_user(marketer)
        self.assertIn("for Anna Own", mailing.sms_notify_longest_summary)
        mailing.sms_notify_preview_res_id = foreign.id
        self.env.invalidate_all()  # as in the next request
        self.assertFalse(mailing.sms_notify_preview_text)
        shown = f"{mailing.sms_notify_preview_summary} {mailing.sms_notify_longest_summary}"
        self.assertNotIn("Zofia", shown)
        self.assertNotIn("Foreign", shown)
        self.assertIn("or you may not see it", mailing.sms_notify_preview_summary)


@tagged("post_install", "-at_install")
class TestCampaignTextUi(HttpCase):
    def test_text_palette_counter_and_preview_in_the_form(self):
        """In the mailing form: a token clicked from the palette, the counter and the preview
        following the text and the transliteration, a recipient chosen for the preview."""
        contacts = self.env["mailing.contact"].create(
            [
                {"name": "Anna", "mobile": "+48 600 300 001"},
                {"name": "Юля", "mobile": "+48 600 300 002"},
            ]
        )
        mailing = self.env["mailing.mailing"].create(
            {
                "subject": "Spring sale",
                "mailing_type": "sms",
                "sms_notify_text": "Spring sale",
                "mailing_model_id": self.env["ir.model"]._get_id("mailing.contact"),
                "mailing_domain": repr([("id", "in", contacts.ids)]),
            }
        )
        self.start_tour(
            f"/odoo/action-mass_mailing_sms.mailing_mailing_action_sms/{mailing.id}",
            "sms_notify_campaign_text_tour",
            login="admin",
        )
        self.assertEqual(mailing.body_plaintext, "Spring sale {{ object.sms_notify_first_name }}")
        self.assertTrue(mailing.sms_notify_transliterate)
        self.assertEqual(mailing.sms_notify_preview_res_id, contacts[0].id)
