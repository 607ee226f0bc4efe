from datetime import datetime
from unittest.mock import patch

from odoo.tests import tagged
from odoo.tools.mail import TEXT_URL_REGEX

from odoo.addons.sms_notify.tests.common import SmscGatewayCommon

from ..models import mailing_mailing
from ..tools.links import TEXT_URL_PATTERN


@tagged("post_install", "-at_install")
class TestMailingThroughGateway(SmscGatewayCommon):
    """An SMS Marketing mailing stores the same SMS, traces and trackers as Odoo does, and
    its SMS leave through the suite's gateway with their cost kept in the history."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # promotions go at any hour here: the quiet hours have tests of their own
        cls.env.company.sms_notify_quiet_advertising = False

    def _mailing(self, contacts, body, domain=None):
        return self.env["mailing.mailing"].create(
            {
                "subject": "Spring sale",
                "mailing_type": "sms",
                "body_plaintext": body,
                "mailing_model_id": self.env["ir.model"]._get_id("mailing.contact"),
                "mailing_domain": repr(domain or [("id", "in", contacts.ids)]),
                "sms_allow_unsubscribe": True,
            }
        )

    def _contacts(self, numbers):
        return self.env["mailing.contact"].create(
            [{"name": f"Contact {index}", "mobile": number} for index, number in enumerate(numbers)]
        )

    def test_mailing_stores_sms_traces_and_trackers_like_sms_marketing(self):
        self.env["phone.blacklist"].create({"number": "+48600000003"})
        contacts = self._contacts(
            [
                "+48 600 000 001",
                "0048 600 000 001",  # the same number again
                "+48 600 000 003",  # blacklisted
                "+7 495 123-45-67",  # a Moscow landline
                False,
                "+7 912 345-67-89",
            ]
        )
        offer = f"{self.fake.url}/offer"
        mailing = self._mailing(contacts, f"Spring sale: -20% on all frames. {offer}")

        mailing.action_send_sms()

        traces = self.env["mailing.trace"].search([("mass_mailing_id", "=", mailing.id)])
        self.assertEqual(len(traces), 6)
        sms_all = self.env["sms.sms"].browse(traces.mapped("sms_id_int"))
        by_contact = {trace.res_id: (trace, sms_all.browse(trace.sms_id_int)) for trace in traces}
        expected = [
            ("outgoing", False),
            ("canceled", "sms_duplicate"),
            ("canceled", "sms_blacklist"),
            ("canceled", "sms_number_format"),
            ("canceled", "sms_number_missing"),
            ("outgoing", False),
        ]
        for contact, (state, failure_type) in zip(contacts, expected, strict=True):
            trace, sms = by_contact[contact.id]
            self.assertEqual((sms.state, sms.failure_type or False), (state, failure_type))
            self.assertEqual(
                trace.trace_status, {"outgoing": "outgoing", "canceled": "cancel"}[state]
            )
            self.assertEqual(trace.failure_type or False, failure_type)
            self.assertEqual(trace.sms_number, sms.number)
            self.assertEqual(trace.model, "mailing.contact")
            self.assertEqual(trace.campaign_id, mailing.campaign_id)
            self.assertEqual(sms.mailing_id, mailing)
            self.assertEqual(sms.sms_tracker_id.mailing_trace_id, trace)
            self.assertEqual(sms.partner_id, self.env["res.partner"])
        first_trace, first_sms = by_contact[contacts[0].id]
        self.assertEqual(first_sms.number, "+48600000001")
        base_url = first_sms.get_base_url()
        self.assertIn(
            f"STOP SMS: {base_url}/sms/{mailing.id}/{first_trace.sms_code}", first_sms.body
        )
        link = self.env["link.tracker"].search([("url", "=", offer)])
        self.assertEqual(len(link), 1)
        # a click on the tracked link is traced back to this SMS
        self.assertIn(f"{link.short_url}/s/{first_sms.id}\n", first_sms.body)
        self.assertEqual(
            (first_sms.encoding, first_sms.segments),
            ("gsm7", 1 if len(first_sms.body) <= 160 else 2),
        )

        self.env["sms.sms"]._process_queue()

        sent = sms_all.filtered(lambda sms: sms.state == "pending")
        self.assertEqual(sent, by_contact[contacts[0].id][1] | by_contact[contacts[5].id][1])
        self.assertEqual(sorted(self.fake_received_texts()), sorted(sent.mapped("body")))
        for sms in sent:
            self.assertEqual(sms.gateway_id, self.gateway)
            self.assertAlmostEqual(sms.vendor_cost, 1.4 * sms.segments)
            self.assertFalse(sms.to_delete)
            trace = (
                by_contact[contacts[0].id][0] if sms == first_sms else by_contact[contacts[5].id][0]
            )
            self.assertEqual(trace.trace_status, "pending")
            self.assertTrue(trace.sent_datetime)
        self.assertEqual(mailing.state, "done")

    def fake_received_texts(self):
        return [message["text"] for message in self.fake.messages.values()]

    def test_same_text_to_many_contacts_keeps_each_trace_its_own_unsubscribe_code(self):
        self.fake.balance = 1000.0
        contacts = self._contacts([f"+48 600 100 {index:03d}" for index in range(120)])
        mailing = self._mailing(contacts, "Frames -20% until Sunday")

        mailing.action_send_sms()
        self.env["sms.sms"]._process_queue()

        traces = self.env["mailing.trace"].search([("mass_mailing_id", "=", mailing.id)])
        self.assertEqual(len(traces), 120)
        # Odoo draws each trace a random 3-character code (62**3 values) and does not make
        # them unique: among 120, two share one about 3 times in 100. One code for all would
        # leave a single value.
        self.assertGreater(len(set(traces.mapped("sms_code"))), 110)
        self.assertEqual(set(traces.mapped("trace_status")), {"pending"})
        sms_all = self.env["sms.sms"].browse(traces.mapped("sms_id_int"))
        self.assertEqual(len(self.fake.messages), 120)
        for trace, sms in zip(traces, sms_all, strict=True):
            self.assertTrue(sms.body.endswith(f"/sms/{mailing.id}/{trace.sms_code}"))

    def _assert_first_reached_once(self, mailing, contacts):
        """The mailing, sent to the first contact and then to both, reached each once: the
        first one's second SMS was cancelled as a duplicate."""
        traces = self.env["mailing.trace"].search(
            [("mass_mailing_id", "=", mailing.id)], order="id"
        )
        self.assertEqual(
            [(trace.res_id, trace.trace_status, trace.failure_type or False) for trace in traces],
            [
                (contacts[0].id, "outgoing", False),
                (contacts[0].id, "cancel", "sms_duplicate"),
                (contacts[1].id, "outgoing", False),
            ],
        )

    def test_sending_again_skips_contacts_the_mailing_already_reached(self):
        """SMS Marketing's own duplicate rule (already reached by this mailing) still applies
        beside the suite's one-pass duplicate check."""
        contacts = self._contacts(["+48 600 200 001", "+48 600 200 002"])
        mailing = self._mailing(contacts, "Frames -20% until Sunday")
        mailing.action_send_sms(res_ids=contacts[:1].ids)

        mailing.action_send_sms(res_ids=contacts.ids)

        self._assert_first_reached_once(mailing, contacts)

    def test_sending_again_skips_a_contact_reached_before_under_another_number(self):
        """Protects the chunk's own look at SMS Marketing's "already reached" list
        (``mailing.mailing._get_seen_list_sms``): a contact this mailing reached is skipped
        even once its number changed, and the others of the chunk are sent."""
        contacts = self._contacts(["+48 600 300 001", "+48 600 300 002"])
        mailing = self._mailing(contacts, "Frames -20% until Sunday")
        mailing.action_send_sms(res_ids=contacts[:1].ids)
        contacts[0].mobile = "+48 600 300 009"

        mailing.action_send_sms(res_ids=contacts.ids)

        self._assert_first_reached_once(mailing, contacts)
        not_reached = self._contacts(["+48 600 300 003"])
        self.assertEqual(
            mailing.with_context(sms_notify_seen_among=not_reached.ids)._get_seen_list_sms(),
            ([], []),
            "a chunk none of whose recipients was reached needs no list",
        )

    def test_mailing_is_prepared_in_chunks_with_duplicates_found_across_them(self):
        contacts = self._contacts(
            ["+48 600 300 001", "+48 600 300 002", "+48 600 300 003", "+48 600 300 001"]
        )
        mailing = self._mailing(contacts, "Frames -20% until Sunday")
        queue = self.env.ref("sms.ir_cron_sms_scheduler_action")
        triggers = self.env["ir.cron.trigger"].search([("cron_id", "=", queue.id)])

        with (
            patch.object(mailing_mailing, "FIRST_COMPOSE_CHUNK", 1),
            patch.object(mailing_mailing, "COMPOSE_CHUNK", 2),
        ):
            mailing.action_send_sms()

        # each chunk wakes the SMS queue, so that it leaves while the next one is prepared
        new_triggers = self.env["ir.cron.trigger"].search([("cron_id", "=", queue.id)]) - triggers
        self.assertEqual(len(new_triggers), 3)

        traces = self.env["mailing.trace"].search([("mass_mailing_id", "=", mailing.id)])
        self.assertEqual(sorted(traces.mapped("res_id")), sorted(contacts.ids))
        duplicate = traces.filtered(lambda trace: trace.res_id == contacts[3].id)
        self.assertEqual(
            (duplicate.trace_status, duplicate.failure_type), ("cancel", "sms_duplicate")
        )
        self.assertEqual(len(traces.filtered(lambda trace: trace.trace_status == "outgoing")), 3)

    def test_mailing_to_eighteen_thousand_contacts_is_prepared(self):
        """SMS Marketing alone stops at about 14,000 recipients: it passes the composer every
        record id in one string, which Odoo refuses to read back above 100 KiB."""
        contacts = self._contacts([f"+48 601 {index:06d}" for index in range(18000)])
        mailing = self._mailing(
            contacts, "Frames -20% until Sunday", domain=[("name", "like", "Contact ")]
        )

        mailing.action_send_sms()

        self.assertEqual(
            self.env["mailing.trace"].search_count(
                [("mass_mailing_id", "=", mailing.id), ("trace_status", "=", "outgoing")]
            ),
            18000,
        )

    def test_traces_are_updated_as_sms_marketing_updates_them(self):
        """The batch update of traces gives every trace what SMS Marketing's own update
        gives it, whatever status the trace had and whichever status is reported."""
        from odoo.addons.mass_mailing_sms.models.sms_tracker import (  # noqa: PLC0415
            SmsTracker as SmsMarketingTracker,
        )

        from ..models.sms_tracker import STATUSES_TO_IGNORE  # noqa: PLC0415
        from ..models.sms_tracker import SmsTracker as SuiteTracker  # noqa: PLC0415

        statuses = ["outgoing", "process", "pending", "sent", "error", "cancel", "bounce"]
        contacts = self._contacts([f"+48 600 400 {index:03d}" for index in range(14)])
        mailing = self._mailing(contacts, "Frames -20% until Sunday")
        mailing.action_send_sms()
        traces = self.env["mailing.trace"].search(
            [("mass_mailing_id", "=", mailing.id)], order="id"
        )
        trackers = traces.sms_tracker_ids
        self.assertEqual(len(trackers), 14)
        long_ago = datetime(2026, 1, 1, 12, 0)
        for reported in STATUSES_TO_IGNORE:
            outcomes = []
            for implementation in (SmsMarketingTracker, SuiteTracker):
                for index, trace in enumerate(traces):
                    trace.write(
                        {
                            "trace_status": statuses[index % 7],
                            "sent_datetime": long_ago if index >= 7 else False,
                            "failure_type": False,
                        }
                    )
                implementation._update_sms_traces(
                    trackers, reported, failure_type="sms_server", failure_reason="why"
                )
                outcomes.append(
                    [
                        (trace.trace_status, trace.failure_type, trace.sent_datetime)
                        for trace in traces
                    ]
                )
            self.assertEqual(outcomes[1], outcomes[0], f"{reported} reported")

    def test_links_are_found_as_odoo_finds_them(self):
        self.assertEqual(TEXT_URL_PATTERN, TEXT_URL_REGEX)


@tagged("post_install", "-at_install")
class TestMailingKindAndPrice(SmscGatewayCommon):
    """A mailing's SMS are advertising unless the mailing says otherwise, and are charged so."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # promotions go at any hour here: the quiet hours have tests of their own
        cls.env.company.sms_notify_quiet_advertising = False

    def _send_mailing(self, **values):
        contact = self.env["mailing.contact"].create({"name": "Olga", "mobile": "+79123456781"})
        mailing = self.env["mailing.mailing"].create(
            {
                "subject": "Frames",
                "mailing_type": "sms",
                "body_plaintext": "Frames -20% this week",
                "mailing_model_id": self.env["ir.model"]._get_id("mailing.contact"),
                "mailing_domain": repr([("id", "=", contact.id)]),
                **values,
            }
        )
        mailing.action_send_sms()
        self.env["sms.sms"]._process_queue()
        return self.env["sms.sms"].search([("mailing_id", "=", mailing.id)])

    def test_mailing_sms_are_advertising(self):
        """(and so priced as advertising under billing's own-name tariff)"""
        sms = self._send_mailing()
        self.assertRecordValues(sms, [{"message_kind": "advertising", "state": "pending"}])

    def test_service_mailing_keeps_its_kind(self):
        sms = self._send_mailing(message_kind="service")
        self.assertEqual(sms.message_kind, "service")


@tagged("post_install", "-at_install")
class TestMailingCompany(SmscGatewayCommon):
    def test_mailing_is_sent_for_its_responsible_users_company(self):
        """Whichever company its contacts or the sending worker belong to, a mailing's SMS
        belong to the company of its responsible user: its gateways and balance send them."""
        company_b = self.env["res.company"].create({"name": "Optyk Kraków"})
        responsible = self.env["res.users"].create(
            {
                "name": "Marketing B",
                "login": "marketing-b",
                "company_id": company_b.id,
                "company_ids": [(6, 0, company_b.ids)],
            }
        )
        contact = self.env["mailing.contact"].create({"name": "Jan", "mobile": "+48600000001"})
        mailing = self.env["mailing.mailing"].create(
            {
                "subject": "Spring sale",
                "mailing_type": "sms",
                "body_plaintext": "Spring sale",
                "mailing_model_id": self.env["ir.model"]._get_id("mailing.contact"),
                "mailing_domain": repr([("id", "=", contact.id)]),
                "user_id": responsible.id,
            }
        )
        mailing.action_send_sms()
        traces = self.env["mailing.trace"].search([("mass_mailing_id", "=", mailing.id)])
        sms = self.env["sms.sms"].browse(traces.mapped("sms_id_int"))
        self.assertEqual(sms.company_id, company_b)
