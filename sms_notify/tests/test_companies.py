import xmlrpc.client
from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo import Command
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

from ..tools.inbound import InboundSms
from .common import SmsNotifyCommon, iap_accept_all, iap_endpoint
from .fakes.smsc import FakeSmsc


class TwoCompaniesCommon(SmsNotifyCommon):
    """Two companies, each with its own SMSC account behind its own gateway, and a customer
    of each."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_a = cls.env.company
        cls.company_b = cls.env["res.company"].create(
            {"name": "Optyk Kraków", "country_id": cls.env.ref("base.pl").id}
        )
        cls.gateway_a = cls._create_gateway(
            "smsc", login="shop-a", password="secret-a", sender="OPTIKA", timeout=2
        )
        cls.gateway_b = cls._create_gateway(
            "smsc",
            login="shop-b",
            password="secret-b",
            sender="OPTYK",
            timeout=2,
            company_id=cls.company_b.id,
        )
        cls.customer_b = cls.env["res.partner"].create(
            {
                "name": "Jan Kowalski",
                # a number without its country code: read in the company's country
                "phone": "512 345 678",
                "company_id": cls.company_b.id,
            }
        )

    def setUp(self):
        super().setUp()
        self.fake_a = self.enterContext(FakeSmsc(login="shop-a", password="secret-a"))
        self.fake_b = self.enterContext(FakeSmsc(login="shop-b", password="secret-b"))
        self.gateway_a.base_url = self.fake_a.url
        self.gateway_b.base_url = self.fake_b.url

    @staticmethod
    def _received(fake):
        """``[(phone, sender)]`` of every message the fake SMSC was asked to send."""
        return [
            (phone, request.params.get("sender"))
            for request in fake.requests_to("/sys/send.php")
            for phone, _text in fake._items(request.params)
        ]


@tagged("post_install", "-at_install")
class TestCompaniesQueue(TwoCompaniesCommon):
    def test_one_queue_run_sends_each_message_for_its_own_company(self):
        """The cron's worker (the superuser, whose current company is the first one) sends
        both companies' messages in one run: each through its company's gateway, under its
        sender name."""
        self.assertEqual(self.env.company, self.company_a)
        message_a = self.customer._message_sms(
            "Your glasses are ready.", partner_ids=self.customer.ids
        )
        message_b = self.customer_b._message_sms("Okulary gotowe.", partner_ids=self.customer_b.ids)
        sms_a, sms_b = self._sms_of(message_a), self._sms_of(message_b)
        self.assertEqual((sms_a.company_id, sms_b.company_id), (self.company_a, self.company_b))

        self.env["sms.sms"]._process_queue()

        self.assertRecordValues(
            sms_a + sms_b,
            [
                {"state": "pending", "gateway_id": self.gateway_a.id},
                {"state": "pending", "gateway_id": self.gateway_b.id},
            ],
        )
        self.assertEqual(self._received(self.fake_a), [("+79123456789", "OPTIKA")])
        self.assertEqual(self._received(self.fake_b), [("+48512345678", "OPTYK")])

    def test_mass_composer_gives_each_message_its_documents_company(self):
        composer = self.env["sms.composer"].create(
            {
                "composition_mode": "mass",
                "res_model": "res.partner",
                "res_ids": repr((self.customer + self.customer_b).ids),
                "body": "Hello",
                "mass_keep_log": False,
            }
        )
        sms = composer._action_send_sms().sorted("id")
        self.assertEqual(sms.mapped("company_id"), self.company_a + self.company_b)

    def test_company_without_gateway_sends_through_odoo_iap_in_the_same_run(self):
        """A company without gateway keeps Odoo's own sending (IAP), while the other company's
        messages of the same queue run go through its gateway."""
        self.gateway_b.action_archive()
        message_a = self.customer._message_sms("Glasses", partner_ids=self.customer.ids)
        # queued, as Odoo queues the SMS of a mailing
        sms_b = self.env["sms.sms"].create(
            {"number": "+48512345678", "body": "Okulary", "company_id": self.company_b.id}
        )
        with iap_endpoint(self.env, iap_accept_all) as calls:
            self.env["sms.sms"]._process_queue()
        sms_a = self._sms_of(message_a)
        self.assertEqual(
            [
                number["uuid"]
                for _path, params in calls
                for message in params["messages"]
                for number in message["numbers"]
            ],
            [sms_b.uuid],
        )
        self.assertEqual(self._received(self.fake_a), [("+79123456789", "OPTIKA")])
        self.assertEqual(self.fake_b.requests_to("/sys/send.php"), [])
        self.assertRecordValues(
            sms_a + sms_b,
            [
                {"state": "pending", "gateway_id": self.gateway_a.id},
                {"state": "pending", "gateway_id": False},
            ],
        )


@tagged("post_install", "-at_install")
class TestCompaniesInbound(TwoCompaniesCommon):
    """A reply a customer sends to a company's phone or modem is filed, and withdraws a
    consent, in that company only."""

    def test_reply_to_one_company_stays_out_of_the_other(self):
        shared_number = "+79123456789"
        self.customer.write({"company_id": self.company_a.id, "sms_notify_ad_consent": True})
        self.customer._message_sms("Your glasses are ready", partner_ids=self.customer.ids)
        stop = InboundSms(number=shared_number, body="STOP")
        self.assertFalse(self.gateway_b._receive(stop), "unknown to company B")
        self.assertTrue(self.customer.sms_notify_ad_consent)
        self.assertNotIn("STOP", self.customer.message_ids.mapped("body")[0])
        # the company that notified the customer files it and honours it
        self.assertTrue(self.gateway_a._receive(stop))
        self.assertFalse(self.customer.sms_notify_ad_consent)


@tagged("post_install", "-at_install")
class TestCompaniesRules(TwoCompaniesCommon):
    """Automatic rules notify each document for its own company: its quiet hours, its
    company-only rules, and its balance when the message goes."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        (cls.customer + cls.customer_b).write({"tz": "UTC"})
        cls.company_b.sms_notify_quiet_service = True
        cls.template = cls.env["sms.template"].create(
            {
                "name": "Card ready",
                "model_id": cls.env.ref("base.model_res_partner").id,
                "body": "{{ object.name }}, your loyalty card is ready.",
            }
        )

    def _rule(self, **values):
        rule = self.env["sms.notify.rule"].create(
            {
                "name": "Card ready",
                "model_id": self.env.ref("base.model_res_partner").id,
                "sms_template_id": self.template.id,
                "condition_domain": "[('function', '=', 'Card ready')]",
                **values,
            }
        )
        rule.enabled_since = self.customer.create_date - timedelta(seconds=1)
        return rule

    def _scheduled(self, rule):
        return self.env["sms.notify.scheduled"].search([("rule_id", "=", rule.id)])

    def _trigger(self):
        (self.customer + self.customer_b).function = "Card ready"
        self.env.flush_all()
        self.env.cr.precommit.run()

    def test_each_document_waits_for_the_quiet_hours_of_its_company(self):
        with freeze_time("2027-03-01 21:30:00"):
            rule = self._rule()
            self._trigger()
            scheduled = self._scheduled(rule).sorted(
                lambda message: message.res_id != self.customer.id
            )
            self.assertRecordValues(
                scheduled,
                [
                    {"company_id": self.company_a.id, "due_datetime": datetime(2027, 3, 1, 21, 30)},
                    {"company_id": self.company_b.id, "due_datetime": datetime(2027, 3, 2, 9, 0)},
                ],
            )
        with freeze_time("2027-03-02 09:00:00"):
            self.env["sms.notify.scheduled"]._cron_send_due()
            self.env["sms.sms"]._process_queue()
        sent = self.env["sms.sms"].search([("body", "like", "loyalty card")], order="id")
        self.assertEqual(sent.mapped("company_id"), self.company_a + self.company_b)
        self.assertEqual(self._received(self.fake_b), [("+48512345678", "OPTYK")])

    def test_rule_of_a_company_notifies_only_its_documents(self):
        rule = self._rule(company_id=self.company_b.id)
        self._trigger()
        self.assertEqual(self._scheduled(rule).mapped("res_id"), self.customer_b.ids)


@tagged("post_install", "-at_install")
class TestCompaniesAccess(TwoCompaniesCommon, HttpCase):
    """Over XML-RPC, an administrator of the second company only sees none of the first
    company's messages, history, scheduled notifications, gateways and rules, and sees their
    own."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user_b = new_test_user(
            cls.env,
            login="admin-b",
            password="admin-b-pass",
            groups="sms_notify.group_sms_notify_manager",
            company_id=cls.company_b.id,
            company_ids=[Command.set(cls.company_b.ids)],
        )
        Sms = cls.env["sms.sms"]
        cls.sms_a = Sms.create(
            {"number": "+79123456789", "body": "A", "partner_id": cls.customer.id}
        )
        cls.sms_b = Sms.create(
            {
                "number": "+48512345678",
                "body": "B",
                "partner_id": cls.customer_b.id,
                "company_id": cls.company_b.id,
            }
        )
        cls.rule_a = cls._rule_for(cls.company_a)
        cls.rule_b = cls._rule_for(cls.company_b)
        cls.rule_all = cls._rule_for(cls.env["res.company"])
        Scheduled = cls.env["sms.notify.scheduled"]
        cls.scheduled_a, cls.scheduled_b = Scheduled.create(
            [
                {
                    "rule_id": cls.rule_all.id,
                    "res_model": "res.partner",
                    "res_id": partner.id,
                    "due_datetime": "2030-01-01 10:00:00",
                    "company_id": company.id,
                }
                for partner, company in (
                    (cls.customer, cls.company_a),
                    (cls.customer_b, cls.company_b),
                )
            ]
        )

    @classmethod
    def _rule_for(cls, company):
        template = cls.env["sms.template"].create(
            {"name": "Ready", "model_id": cls.env.ref("base.model_res_partner").id, "body": "Hi"}
        )
        return cls.env["sms.notify.rule"].create(
            {
                "name": f"Ready {company.name or 'everywhere'}",
                "model_id": cls.env.ref("base.model_res_partner").id,
                "sms_template_id": template.id,
                "company_id": company.id,
            }
        )

    def _visible(self, model, domain):
        return self.xmlrpc_object.execute_kw(
            self.env.cr.dbname, self.user_b.id, "admin-b-pass", model, "search", [domain]
        )

    def test_second_company_sees_only_its_own(self):
        self.assertEqual(self._visible("sms.sms", []), self.sms_b.ids)
        self.assertEqual(
            self._visible("sms.notify.message", [("channel", "=", "sms")]),
            [self.sms_b.id * 2],
        )
        self.assertEqual(self._visible("sms.notify.scheduled", []), self.scheduled_b.ids)
        self.assertEqual(self._visible("sms.notify.gateway", []), self.gateway_b.ids)
        self.assertEqual(
            sorted(
                self._visible(
                    "sms.notify.rule",
                    [("id", "in", (self.rule_a + self.rule_b + self.rule_all).ids)],
                )
            ),
            sorted((self.rule_b + self.rule_all).ids),
        )

    def test_a_forged_context_does_not_charge_another_company(self):
        """The company a message is paid by comes from the context the composer and the
        chatter set, which a client can send too: a user's messages stay in their companies."""
        self.user_b.groups_id = [
            Command.link(self.env.ref("sms_notify.group_sms_notify_notification_manager").id)
        ]
        composer_id = self.xmlrpc_object.execute_kw(
            self.env.cr.dbname,
            self.user_b.id,
            "admin-b-pass",
            "sms.composer",
            "create",
            [{"composition_mode": "numbers", "numbers": "+48512345679", "body": "Forged"}],
            {"context": {"sms_notify_company_id": self.company_a.id}},
        )
        self.xmlrpc_object.execute_kw(
            self.env.cr.dbname,
            self.user_b.id,
            "admin-b-pass",
            "sms.composer",
            "action_send_sms",
            [[composer_id]],
            {"context": {"sms_notify_company_id": self.company_a.id}},
        )
        sms = self.env["sms.sms"].search([("body", "=", "Forged")])
        self.assertEqual(sms.company_id, self.company_b)

    def test_first_companys_message_cannot_be_read_by_id(self):
        with self.assertRaises(xmlrpc.client.Fault) as refusal, mute_logger("odoo.http"):
            self.xmlrpc_object.execute_kw(
                self.env.cr.dbname,
                self.user_b.id,
                "admin-b-pass",
                "sms.sms",
                "read",
                [self.sms_a.ids, ["body"]],
            )
        self.assertIn("doesn't have 'read' access", refusal.exception.faultString)


@tagged("post_install", "-at_install")
class TestDepartmentsHistory(SmsNotifyCommon, HttpCase):
    """Over XML-RPC, a salesperson sees in the history the messages of their own department
    and the ones they sent, not another department's; one who notifies for other departments
    sees every department's. Internal e-mails are never customer messages."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer.email = "anna@example.com"
        cls.team_a, cls.team_b = cls.env["crm.team"].create(
            [{"name": "Optics"}, {"name": "Hearing aids"}]
        )
        cls.seller_a = new_test_user(
            cls.env,
            login="seller-a",
            password="seller-a-pass",
            groups="sms_notify.group_sms_notify_send_ready",
        )
        cls.env["crm.team.member"].create(
            {"crm_team_id": cls.team_a.id, "user_id": cls.seller_a.id}
        )
        cls.seller_all = new_test_user(
            cls.env,
            login="seller-all",
            password="seller-all-pass",
            groups="sms_notify.group_sms_notify_other_departments",
        )
        Sms = cls.env["sms.sms"]
        values = {"number": "+79123456789", "body": "Ready", "partner_id": cls.customer.id}
        cls.sms_team_a = Sms.create(dict(values, sms_notify_team_id=cls.team_a.id))
        cls.sms_team_b = Sms.create(dict(values, sms_notify_team_id=cls.team_b.id))
        # sent by the salesperson about a document of the other department
        cls.sms_own = (
            Sms.with_user(cls.seller_a)
            .sudo()
            .create(dict(values, sms_notify_team_id=cls.team_b.id))
        )
        cls.customer._sms_notify_post_email(
            cls.customer, "Your hearing aid is ready", "<p>Ready</p>", team=cls.team_b
        )
        employee = new_test_user(
            cls.env, login="employee", groups="base.group_user", notification_type="email"
        )
        cls.customer.message_post(
            subject="Confidential salaries",
            body="Salaries of next year",
            partner_ids=employee.partner_id.ids,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )

    def _history(self, login):
        uid = self.env["res.users"].search([("login", "=", login)]).id
        rows = self.xmlrpc_object.execute_kw(
            self.env.cr.dbname,
            uid,
            f"{login}-pass",
            "sms.notify.message",
            "search_read",
            [[("partner_id", "=", self.customer.id)], ["sms_id", "text"]],
        )
        sms_ids = self.xmlrpc_object.execute_kw(
            self.env.cr.dbname,
            uid,
            f"{login}-pass",
            "sms.sms",
            "search",
            [[("partner_id", "=", self.customer.id)]],
        )
        return (
            sorted(row["sms_id"][0] for row in rows if row["sms_id"]),
            sorted(row["text"] for row in rows if not row["sms_id"]),
            sorted(sms_ids),
        )

    def test_salesperson_sees_own_department_and_own_messages(self):
        own_and_team = sorted((self.sms_team_a + self.sms_own).ids)
        self.assertEqual(self._history("seller-a"), (own_and_team, [], own_and_team))

    def test_other_departments_see_every_department(self):
        every = sorted((self.sms_team_a + self.sms_team_b + self.sms_own).ids)
        self.assertEqual(self._history("seller-all"), (every, ["Your hearing aid is ready"], every))

    def test_internal_email_is_never_a_customer_message(self):
        self.assertFalse(self.env["sms.notify.message"].search([("text", "ilike", "Confidential")]))

    def test_a_forged_context_does_not_make_an_email_a_customer_notification(self):
        """The flag comes from the context Notify and the rules set, which a client can send
        too: a post through RPC saying it is a customer notification stays an internal one."""
        self.seller_all.groups_id = [Command.link(self.env.ref("base.group_partner_manager").id)]
        self.xmlrpc_object.execute_kw(
            self.env.cr.dbname,
            self.seller_all.id,
            "seller-all-pass",
            "res.partner",
            "message_post",
            [self.customer.ids],
            {
                "subject": "Confidential bonuses",
                "body": "Not for customers",
                "partner_ids": self.customer.ids,
                "message_type": "comment",
                "context": {"sms_notify_customer_email": True},
            },
        )
        self.assertTrue(
            self.customer.message_ids.filtered(lambda m: m.subject == "Confidential bonuses")
        )
        self.assertFalse(
            self.env["sms.notify.message"].search([("text", "=", "Confidential bonuses")])
        )
