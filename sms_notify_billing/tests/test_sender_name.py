import base64
from datetime import timedelta

import psycopg2

from odoo import Command, fields
from odoo.exceptions import UserError, ValidationError
from odoo.tests import TransactionCase, new_test_user, tagged
from odoo.tools import mute_logger

from odoo.addons.mail.tests.common import MailCase

from ..models.sms_notify_sender_name import REGISTRATION_DAYS
from .common import reply_from_provider


@tagged("post_install", "-at_install")
class TestSenderName(TransactionCase):
    """Registering a sender name with the operators, as an SMS Notify administrator does."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.other_company = cls.env["res.company"].create({"name": "Optika North"})
        cls.manager = cls.env["res.users"].create(
            {
                "name": "Marina Manager",
                "login": "sender_name_manager",
                "email": "marina@example.com",
                "company_id": cls.company.id,
                "company_ids": [Command.set((cls.company | cls.other_company).ids)],
                "groups_id": [Command.set([cls.env.ref("sms_notify.group_sms_notify_manager").id])],
            }
        )
        # the operators that come with the addon are Russian ones
        (cls.company | cls.other_company).write(
            {
                "country_id": cls.env.ref("base.ru").id,
                "sms_notify_provider_email": "registrations@provider.example",
            }
        )
        cls.operators = cls.env["sms.notify.operator"].search([])
        cls.SenderName = cls.env["sms.notify.sender.name"].with_user(cls.manager)

    def _create(self, name="OPTIKA", company=None, documents=True):
        sender = self.SenderName.create(
            {
                "name": name,
                "company_id": (company or self.company).id,
                "basis": "legal_name",
                "basis_detail": "LLC Optika",
            }
        )
        if documents:
            attachment = self.env["ir.attachment"].create(
                {
                    "name": "register_extract.pdf",
                    "datas": base64.b64encode(b"%PDF-1.4 extract"),
                    "res_model": sender._name,
                    "res_id": sender.id,
                }
            )
            sender.attachment_ids = [Command.link(attachment.id)]
        return sender

    def _registered(self, name="OPTIKA", company=None):
        sender = self._create(name, company)
        sender.action_submit()
        sender.registration_ids.action_mark_registered()
        return sender

    def test_invalid_names_are_refused_with_the_reason(self):
        cases = {
            "My Shop": "no spaces",
            "OPTIKA-PRO": "not '-'",
            "ОПТИКА": "Cyrillic letters",
            "2024": "at least one Latin letter",
            "OPTIKAPROFI1": "has 12 characters: operators accept at most 11",
        }
        for name, reason in cases.items():
            with self.subTest(name=name), self.assertRaisesRegex(ValidationError, reason):
                self._create(name, documents=False)

    def test_renaming_to_an_invalid_name_is_refused(self):
        sender = self._create()
        with self.assertRaisesRegex(ValidationError, "no spaces"):
            sender.name = "OPTIKA PRO"

    def test_form_lists_the_problems_while_typing(self):
        sender = self.SenderName.new({"name": "Optika Pro-2024"})
        problems = sender.name_problems.splitlines()
        self.assertEqual(len(problems), 3)
        self.assertIn("no spaces", problems[0])
        sender.name = "OPTIKA_PRO"
        self.assertFalse(sender.name_problems)

    def test_submit_without_documents_is_refused(self):
        sender = self._create(documents=False)
        with self.assertRaisesRegex(UserError, "Attach the documents"):
            sender.action_submit()
        self.assertEqual(sender.state, "draft")

    def test_submit_asks_every_operator_and_reminds_the_managers(self):
        sender = self._create()
        sender.action_submit()
        today = fields.Date.context_today(sender)
        self.assertEqual(sender.state, "submitted")
        self.assertEqual(sender.submission_date, today)
        self.assertEqual(sender.expected_date, today + timedelta(days=REGISTRATION_DAYS))
        self.assertEqual(REGISTRATION_DAYS, 14)
        self.assertEqual(len(sender.registration_ids), 4)
        self.assertEqual(
            set(sender.registration_ids.operator_id.mapped("name")),
            {"MTS", "MegaFon", "Beeline", "Tele2"},
        )
        self.assertEqual(set(sender.registration_ids.mapped("state")), {"pending"})
        activity = sender.activity_ids.filtered(lambda activity: activity.user_id == self.manager)
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.activity_type_id, self.env.ref("mail.mail_activity_data_todo"))
        self.assertEqual(activity.date_deadline, sender.expected_date)
        self.assertEqual(activity.summary, "Follow up the registration of sender name OPTIKA")
        self.assertNotIn(self.env.ref("base.user_root"), sender.activity_ids.user_id)
        self.assertIn("Submitted for registration", sender.message_ids[0].body)

    def test_archived_operator_is_not_asked(self):
        self.env.ref("sms_notify_billing.sms_notify_operator_tele2").active = False
        sender = self._create()
        sender.action_submit()
        self.assertEqual(len(sender.registration_ids), 3)

    def test_name_is_registered_once_every_operator_registered_it(self):
        sender = self._create()
        sender.action_submit()
        first, *others = sender.registration_ids
        first.action_mark_registered()
        self.assertEqual(first.state, "registered")
        self.assertEqual(first.date, fields.Date.context_today(first))
        self.assertEqual(sender.state, "submitted")
        others[0].note = "not matching the legal name"
        others[0].action_mark_rejected()
        self.assertIn("not matching the legal name", sender.message_ids[0].body)
        self.assertEqual(sender.state, "submitted")
        sender.registration_ids.filtered(
            lambda line: line.state != "registered"
        ).action_mark_registered()
        self.assertEqual(sender.state, "registered")
        self.assertIn("registered with every operator", sender.message_ids[0].body)
        self.assertFalse(sender.activity_ids, "the follow-up to-dos are done")

    def test_activate_demotes_the_name_in_use_of_the_same_company_only(self):
        old = self._registered("OLDNAME")
        old.action_activate()
        elsewhere = self._registered("NORTH", self.other_company)
        elsewhere.action_activate()
        new = self._registered("NEWNAME")
        new.action_activate()
        self.assertEqual(new.state, "active")
        self.assertEqual(old.state, "registered")
        self.assertEqual(elsewhere.state, "active")
        self.assertIn("NEWNAME", old.message_ids[0].body)

    def test_database_refuses_two_names_in_use_in_one_company(self):
        # what two administrators activating names at the same moment would leave behind
        first = self._registered("FIRST")
        second = self._registered("SECOND")
        first.action_activate()
        with mute_logger("odoo.sql_db"), self.assertRaises(psycopg2.errors.UniqueViolation):
            with self.env.cr.savepoint():
                second.write({"state": "active"})
                second.flush_recordset(["state"])

    def test_only_a_registered_name_can_be_activated(self):
        sender = self._create()
        sender.action_submit()
        with self.assertRaises(UserError):
            sender.action_activate()

    def test_reject_requires_a_reason(self):
        sender = self._create()
        sender.action_submit()
        with self.assertRaisesRegex(UserError, "Rejection Reason"):
            sender.action_reject()
        self.assertEqual(sender.state, "submitted")
        sender.rejection_reason = "The trademark belongs to another company."
        sender.action_reject()
        self.assertEqual(sender.state, "rejected")
        self.assertIn("The trademark belongs to another company.", sender.message_ids[0].body)
        self.assertFalse(sender.activity_ids)

    def test_rejected_name_can_be_fixed_and_submitted_again(self):
        sender = self._create()
        sender.action_submit()
        sender.rejection_reason = "Name too generic."
        sender.action_reject()
        sender.action_reset_draft()
        self.assertEqual(sender.state, "draft")
        sender.name = "OPTIKA_SPB"
        sender.action_submit()
        self.assertEqual(sender.state, "submitted")
        self.assertEqual(len(sender.registration_ids), 4, "a fresh round of registrations")
        self.assertFalse(sender.rejection_reason)

    def test_active_name_of_a_company(self):
        SenderName = self.env["sms.notify.sender.name"]
        self.assertFalse(SenderName._get_active_name(self.company))
        registered = self._registered("REGISTERED")
        active = self._registered("INUSE")
        active.action_activate()
        north = self._registered("NORTH", self.other_company)
        north.action_activate()
        self._create("DRAFTNAME")
        self.assertEqual(SenderName._get_active_name(self.company), active)
        self.assertEqual(SenderName._get_active_name(self.other_company).name, "NORTH")
        self.assertNotEqual(SenderName._get_active_name(self.company), registered)
        self.assertFalse(SenderName._get_active_name(self.env["res.company"]))

    def test_sender_names_of_other_companies_are_hidden(self):
        north = self._create("NORTH", self.other_company)
        visible = self.SenderName.with_context(allowed_company_ids=self.company.ids).search(
            [("id", "=", north.id)]
        )
        self.assertFalse(visible)
        self.assertTrue(self.SenderName.search([("id", "=", north.id)]))


@tagged("post_install", "-at_install")
class TestSenderNameOperatorsOfTheCountry(TransactionCase):
    """A sender name is registered with the operators of its company's country and those of
    no country, whatever the form or an RPC call asks."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.company.write(
            {
                "country_id": cls.env.ref("base.pl").id,
                "sms_notify_provider_email": "registrations@provider.example",
            }
        )
        Operator = cls.env["sms.notify.operator"]
        cls.russian = Operator.search([("country_id", "=", cls.env.ref("base.ru").id)])
        cls.orange = Operator.create(
            {"name": "Orange Polska", "code": "orange", "country_id": cls.env.ref("base.pl").id}
        )
        cls.everywhere = Operator.create({"name": "Global Alpha Registry", "code": "global"})
        cls.manager = new_test_user(
            cls.env,
            login="sender_country_manager",
            groups="base.group_user,sms_notify.group_sms_notify_manager",
        )
        cls.SenderName = cls.env["sms.notify.sender.name"].with_user(cls.manager)

    def _create(self, **values):
        sender = self.SenderName.create(
            {"name": "OPTIKA", "basis": "legal_name", "basis_detail": "Optika sp. z o.o.", **values}
        )
        sender.attachment_ids = [
            Command.create(
                {
                    "name": "krs_extract.pdf",
                    "datas": base64.b64encode(b"%PDF-1.4 KRS"),
                    "res_model": sender._name,
                    "res_id": sender.id,
                }
            )
        ]
        return sender

    def test_operators_of_the_country_and_of_no_country_are_offered(self):
        sender = self._create()
        self.assertEqual(sender.operator_ids, self.orange | self.everywhere)
        offered = self.env["sms.notify.operator"].search(
            sender.operator_ids._domain_offered_to(sender.company_country_id)
        )
        self.assertFalse(offered & self.russian)
        sender.action_submit()
        self.assertEqual(sender.registration_ids.operator_id, self.orange | self.everywhere)

    def test_an_operator_of_another_country_is_refused(self):
        mts = self.russian.filtered(lambda operator: operator.code == "mts")
        with self.assertRaises(ValidationError) as refusal:
            self._create(operator_ids=[Command.link(mts.id)])
        self.assertIn(
            "MTS register sender names in Russian Federation only", str(refusal.exception)
        )
        self.assertIn("Choose operators of the company's country", str(refusal.exception))
        sender = self._create()
        with self.assertRaises(ValidationError):
            sender.write({"operator_ids": [Command.link(mts.id)]})
        sender.action_submit()
        with self.assertRaises(ValidationError):
            sender.registration_ids[:1].write({"operator_id": mts.id})
        self.assertEqual(sender.registration_ids.operator_id, self.orange | self.everywhere)

    def test_operators_can_be_taken_off_before_submitting(self):
        sender = self._create()
        sender.operator_ids = [Command.unlink(self.everywhere.id)]
        sender.action_submit()
        self.assertEqual(sender.registration_ids.operator_id, self.orange)

    def test_no_operator_for_the_country_says_where_to_add_them(self):
        self.company.country_id = self.env.ref("base.de")
        self.everywhere.active = False
        sender = self._create()
        self.assertFalse(sender.operator_ids)
        with self.assertRaisesRegex(UserError, "Germany.*Configuration › Operators"):
            sender.action_submit()
        self.assertEqual(sender.state, "draft")


@tagged("post_install", "-at_install")
class TestSenderNameToProvider(MailCase, TransactionCase):
    """Submitting a sender name e-mails it, with its documents, to the provider; the
    provider's answer comes back through Odoo's mail gateway onto the name."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.company.write(
            {
                "country_id": cls.env.ref("base.ru").id,
                "sms_notify_provider_email": "registrations@provider.example",
            }
        )
        cls.manager = new_test_user(
            cls.env,
            login="sender_mail_manager",
            email="marina@optika.example",
            groups="base.group_user,sms_notify.group_sms_notify_manager",
        )

    def _create(self):
        sender = (
            self.env["sms.notify.sender.name"]
            .with_user(self.manager)
            .create({"name": "OPTIKA", "basis": "trademark", "basis_detail": "No. 123456"})
        )
        sender.attachment_ids = [
            Command.create(
                {
                    "name": "trademark_certificate.pdf",
                    "datas": base64.b64encode(b"%PDF-1.4 certificate"),
                    "res_model": sender._name,
                    "res_id": sender.id,
                }
            )
        ]
        return sender

    def test_submission_is_mailed_with_the_documents_and_the_reply_is_filed(self):
        sender = self._create()
        with self.mock_mail_gateway():
            sender.action_submit()
        sent = [
            mail
            for mail in self._mails
            if "registrations@provider.example" in str(mail["email_to"])
        ]
        self.assertEqual(len(sent), 1, self._mails)
        email = sent[0]
        self.assertIn("OPTIKA", email["subject"])
        self.assertIn("No. 123456", email["body"])
        self.assertIn("MTS", email["body"])
        self.assertEqual(
            [name for name, _content, _mime in email["attachments"]],
            ["trademark_certificate.pdf"],
        )
        posted = sender.message_ids.filtered(
            lambda message: message.message_id == email["message_id"]
        )
        self.assertEqual(len(posted), 1, "the e-mail is a message of the name's chatter")
        self.assertEqual(posted.attachment_ids, sender.attachment_ids)

        answer = reply_from_provider(
            sender,
            email,
            "registrations@provider.example",
            "<answer-4711@provider.example>",
            "MTS registered OPTIKA under reference MTS-4711.",
        )
        self.assertEqual(len(answer), 1, "the provider's answer is filed on the name")
        self.assertIn("MTS-4711", answer.body)
        self.assertEqual(answer.author_id.email, "registrations@provider.example")

    def test_submission_without_the_provider_address_says_where_to_set_it(self):
        self.company.sms_notify_provider_email = False
        sender = self._create()
        with self.assertRaisesRegex(UserError, "Settings › SMS Notify › SMS Provider's E-mail"):
            sender.action_submit()
        self.assertEqual(sender.state, "draft")
        self.assertFalse(sender.registration_ids)

    def test_the_provider_address_must_be_an_address(self):
        with self.assertRaisesRegex(ValidationError, "is not an e-mail address"):
            self.company.sms_notify_provider_email = "provider at example"
