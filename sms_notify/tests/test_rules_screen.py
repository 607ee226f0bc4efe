import importlib.util
from datetime import date, datetime, timedelta
from pathlib import Path

from freezegun import freeze_time
from lxml import etree

from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, HttpCase, new_test_user, tagged

from .common import RulesCommon


@tagged("post_install", "-at_install")
class TestRuleDelayUnits(RulesCommon):
    """A rule's delay in minutes, hours or days, timed as the minutes it stands for."""

    def test_a_delay_in_hours_times_the_message_hours_later(self):
        with freeze_time("2027-03-01 10:00:00"):
            rule = self._rule(delay_amount=2, delay_unit="hours")
            self.assertEqual(rule.delay_minutes, 120)
            self._since_before(rule, self.customer)
            self.customer.function = "Card ready"
            self._commit_point()
        [scheduled] = self._scheduled(rule)
        self.assertEqual(scheduled.due_datetime, datetime(2027, 3, 1, 12, 0))

    def test_a_delay_given_in_minutes_reads_in_the_largest_exact_unit(self):
        rule = self._rule(delay_minutes=1440)
        self.assertEqual((rule.delay_amount, rule.delay_unit), (1, "days"))
        rule.delay_minutes = 90
        self.assertEqual((rule.delay_amount, rule.delay_unit), (90, "minutes"))
        rule.delay_unit = "hours"
        self.assertEqual(rule.delay_minutes, 90 * 60)

    def test_changing_the_unit_retimes_the_yearly_automation(self):
        birthday = self.env.ref("sms_notify.sms_notify_rule_birthday")
        birthday.write({"delay_amount": 10, "delay_unit": "hours"})
        self.assertEqual(birthday.automation_id.trg_date_range, 600)
        self.assertEqual(birthday.automation_id.trg_date_range_type, "minutes")

    def test_the_form_sets_the_delay_with_its_unit(self):
        with Form(self.env["sms.notify.rule"]) as form:
            form.name = "Thank you"
            form.model_id = self.partner_model
            form.sms_template_id = self.template
            form.delay_amount = 3
            form.delay_unit = "days"
        self.assertEqual(form.record.delay_minutes, 3 * 24 * 60)

    def test_the_upgrade_reads_existing_delays_in_their_unit(self):
        rule = self._rule(delay_minutes=4320)
        self.env.flush_all()
        # the table as version 18.0.1.1.0 left it: the delay in minutes only
        self.env.cr.execute(
            "ALTER TABLE sms_notify_rule DROP COLUMN delay_amount, DROP COLUMN delay_unit"
        )
        script = Path(__file__).parents[1] / "migrations" / "18.0.1.2.0" / "pre-migrate.py"
        spec = importlib.util.spec_from_file_location("sms_notify_delay_units", script)
        migration = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(migration)
        migration.migrate(self.env.cr, "18.0.1.1.0")
        rule.invalidate_recordset()
        self.assertEqual(
            (rule.delay_amount, rule.delay_unit, rule.delay_minutes), (3, "days", 4320)
        )


@tagged("post_install", "-at_install")
class TestRuleSwitch(RulesCommon):
    """The rule's On/Off switch on its form and in the list."""

    def _arch(self, view_type):
        return etree.fromstring(self.env["sms.notify.rule"].get_view(view_type=view_type)["arch"])

    def test_the_form_and_the_list_show_the_switch(self):
        for view_type in ("form", "list"):
            [switch] = self._arch(view_type).xpath("//field[@name='active']")
            self.assertEqual(switch.get("widget"), "boolean_toggle", view_type)
        form = self._arch("form")
        self.assertTrue(form.xpath("//div[@name='switch']//span[text()='On']"))
        self.assertTrue(form.xpath("//div[@name='switch']//span[text()='Off']"))

    def test_switching_off_on_the_form_switches_the_automation_off(self):
        rule = self._rule()
        with Form(rule) as form:
            form.active = False
        self.assertFalse(rule.active)
        self.assertFalse(rule.automation_id.active)
        with Form(rule) as form:
            form.active = True
        self.assertTrue(rule.automation_id.active)
        self.assertTrue(rule.enabled_since)


@tagged("post_install", "-at_install")
class TestRuleDescription(RulesCommon):
    """When the rule sends, in words, on its form and in the list."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.shop = cls.env["crm.team"].create({"name": "Shop A"})
        cls.env.company.write(
            {
                "sms_notify_quiet_service": True,
                "sms_notify_quiet_start": 20.0,
                "sms_notify_quiet_end": 9.0,
            }
        )

    def test_a_condition_with_delay_department_and_quiet_hours(self):
        rule = self._rule(delay_amount=2, delay_unit="hours", team_ids=[Command.set(self.shop.ids)])
        self.assertEqual(
            rule.description,
            "When a Contact comes to meet the condition: Job Position is “Card ready”, 2 hours "
            "later, to customers of the department Shop A, between 9:00 and 20:00 on the "
            "customer's clock.",
        )

    def test_a_state_reached_names_the_state(self):
        rule = self._rule(condition_domain="[('type', '=', 'invoice')]", quiet_hours="off")
        self.assertEqual(
            rule.description, "When a Contact reaches Address Type “Invoice Address”, at once."
        )

    def test_a_reminder_before_a_date_through_a_gateway(self):
        rule = self._rule(
            notify_trigger="before_date",
            date_field_id=self.env["ir.model.fields"]._get("res.partner", "sms_notify_birthday").id,
            delay_amount=1,
            delay_unit="days",
            condition_domain="[('phone', '!=', False)]",
            quiet_hours="off",
            company_id=self.env.company.id,
            gateway_id=self.gateway.id,
        )
        self.assertEqual(
            rule.description,
            "1 day before Birthday of a Contact, if it meets the condition: Phone is set, "
            f"through {self.gateway.name}.",
        )

    def test_a_condition_beyond_simple_comparisons_is_the_filter(self):
        rule = self._rule(
            condition_domain="['|', ('function', '=', 'A'), ('name', '=', 'B')]",
            quiet_hours="off",
        )
        self.assertEqual(rule.description, "When a Contact comes to match the filter, at once.")

    def test_the_form_follows_the_settings_as_they_are_typed(self):
        with Form(self._rule(quiet_hours="off")) as form:
            form.delay_amount = 30
            self.assertIn("30 minutes later", form.description)
            form.delay_unit = "days"
            self.assertIn("30 days later", form.description)


@tagged("post_install", "-at_install")
class TestRuleGateway(RulesCommon):
    """A rule sending through one gateway of its company: tried first, failing over to the
    company's other gateways when it cannot send."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.phone = cls._create_gateway("sandbox", sequence=10, name="Salon phone")
        cls.other_company = cls.env["res.company"].create({"name": "Other salon"})
        cls.other_gateway = cls._create_gateway(
            "sandbox", name="Other salon's phone", company_id=cls.other_company.id
        )
        cls.other_manager = new_test_user(
            cls.env,
            login="other-rules",
            groups="sms_notify.group_sms_notify_notification_manager",
            company_id=cls.other_company.id,
            company_ids=[Command.set(cls.other_company.ids)],
        )

    def _send_one(self, rule, partner):
        self._since_before(rule, partner)
        partner.function = "Card ready"
        self._commit_point()
        self._send_due()
        return self.env["sms.sms"].search([("partner_id", "=", partner.id)], order="id desc")[:1]

    def _customer(self, name):
        return self.env["res.partner"].create({"name": name, "phone": "+7 912 345-67-80"})

    def test_the_rules_messages_go_through_its_gateway(self):
        rule = self._rule(company_id=self.env.company.id, gateway_id=self.phone.id)
        sms = self._send_one(rule, self.customer)
        self.assertEqual(sms.preferred_gateway_id, self.phone)
        self.assertEqual(sms.gateway_id, self.phone, "before the company's first gateway")
        self.assertFalse(self.fake.requests_to("/sys/send.php"))

    def test_without_a_gateway_the_company_order_stands(self):
        rule = self._rule()
        sms = self._send_one(rule, self.customer)
        self.assertEqual(sms.gateway_id, self.gateway)

    def test_an_archived_gateway_fails_over_to_the_companys_others(self):
        rule = self._rule(company_id=self.env.company.id, gateway_id=self.phone.id)
        self.phone.action_archive()
        sms = self._send_one(rule, self.customer)
        self.assertEqual(sms.gateway_id, self.gateway)
        self.assertEqual(sms.state, "pending")

    def test_a_gateway_at_its_daily_limit_fails_over_to_the_companys_others(self):
        rule = self._rule(company_id=self.env.company.id, gateway_id=self.phone.id)
        self.phone.daily_limit = 1
        first = self._send_one(rule, self.customer)
        second = self._send_one(rule, self._customer("Olga Sidorova"))
        self.assertEqual(first.gateway_id, self.phone)
        self.assertEqual(second.gateway_id, self.gateway)
        self.assertEqual(second.state, "pending")

    def test_picking_a_gateway_sets_the_rules_company(self):
        with Form(self.env["sms.notify.rule"]) as form:
            form.name = "From the phone"
            form.model_id = self.partner_model
            form.sms_template_id = self.template
            form.gateway_id = self.phone
            self.assertEqual(form.company_id, self.env.company)

    def test_a_gateway_needs_the_rules_company(self):
        """A gateway picked on a rule of every company makes it a rule of the gateway's
        company, also where the form does not show the company (one-company users); taking
        the company off again is refused."""
        rule = self._rule(gateway_id=self.phone.id)
        self.assertEqual(rule.company_id, self.phone.company_id)
        every_company = self._rule()
        every_company.gateway_id = self.phone
        self.assertEqual(every_company.company_id, self.phone.company_id)
        with self.assertRaisesRegex(ValidationError, "set that company"):
            rule.company_id = False

    def test_another_companys_gateway_is_refused(self):
        rule = (
            self.env["sms.notify.rule"]
            .with_user(self.other_manager)
            .create(
                {
                    "name": "Other salon's reminder",
                    "model_id": self.partner_model.id,
                    "sms_template_id": self.template.id,
                    "company_id": self.other_company.id,
                }
            )
        )
        self.assertFalse(
            self.env["sms.notify.gateway"]
            .with_user(self.other_manager)
            .search([("id", "=", self.phone.id)]),
            "another company's gateway is not even offered",
        )
        with self.assertRaises(UserError):
            rule.write({"gateway_id": self.phone.id})
        rule.write({"gateway_id": self.other_gateway.id})
        self.assertEqual(rule.gateway_id, self.other_gateway)
        with self.assertRaises(UserError):
            self.env["sms.notify.rule"].with_user(self.other_manager).create(
                {
                    "name": "Forged",
                    "model_id": self.partner_model.id,
                    "sms_template_id": self.template.id,
                    "company_id": self.other_company.id,
                    "gateway_id": self.phone.id,
                }
            )


@tagged("post_install", "-at_install")
class TestRulePreview(RulesCommon):
    """The next messages a rule will send, and the documents a date rule will message."""

    def test_the_next_messages_are_listed_soonest_first_with_their_text(self):
        rule = self._rule()
        other = self.env["res.partner"].create({"name": "Olga Sidorova", "phone": "+79120000000"})
        Scheduled = self.env["sms.notify.scheduled"]
        later, sooner, sent = Scheduled.create(
            [
                {
                    "rule_id": rule.id,
                    "res_model": "res.partner",
                    "res_id": partner.id,
                    "due_datetime": due,
                    "state": state,
                }
                for partner, due, state in (
                    (self.customer, "2030-01-02 10:00:00", "scheduled"),
                    (other, "2030-01-01 10:00:00", "scheduled"),
                    (other, "2029-01-01 10:00:00", "sent"),
                )
            ]
        )
        self.assertEqual(rule.upcoming_scheduled_ids, sooner | later)
        self.assertEqual(rule.upcoming_scheduled_ids[0], sooner)
        self.assertEqual(sooner.text_preview, "Olga Sidorova, your loyalty card is ready.")
        self.assertNotIn(sent, rule.upcoming_scheduled_ids)

    def test_the_documents_a_reminder_will_message_in_the_next_days(self):
        today = date.today()
        soon = self.env["res.partner"].create(
            {"name": "Soon", "sms_notify_birthday": today + timedelta(days=3)}
        )
        later = self.env["res.partner"].create(
            {"name": "Later", "sms_notify_birthday": today + timedelta(days=30)}
        )
        rule = self._rule(
            notify_trigger="before_date",
            date_field_id=self.env["ir.model.fields"]._get("res.partner", "sms_notify_birthday").id,
            delay_amount=1,
            delay_unit="days",
            condition_domain="[('sms_notify_birthday', '!=', False)]",
        )
        # as a notification manager, who may not read Odoo's field definitions, in a fresh
        # request (nothing cached)
        manager = new_test_user(
            self.env,
            login="upcoming-manager",
            groups="base.group_user,sms_notify.group_sms_notify_notification_manager",
        )
        self.env.invalidate_all()
        action = rule.with_user(manager).action_open_upcoming_documents()
        documents = self.env["res.partner"].search(action["domain"])
        self.assertIn(soon, documents)
        self.assertNotIn(later, documents)
        # a rule not timed from a date has no such documents
        self.assertFalse(self._rule()._upcoming_documents())


@tagged("post_install", "-at_install")
class TestRuleFormTour(RulesCommon, HttpCase):
    """The rule's form in the browser, as a notification manager uses it."""

    def test_switch_delay_unit_sentence_and_next_messages(self):
        rule = self._rule(active=False, quiet_hours="off")
        customer = self.env["res.partner"].create({"name": "Tour Customer"})
        self.env["sms.notify.scheduled"].create(
            {
                "rule_id": rule.id,
                "res_model": "res.partner",
                "res_id": customer.id,
                "due_datetime": "2030-01-01 10:00:00",
            }
        )
        new_test_user(
            self.env,
            login="rules-tour",
            groups="sms_notify.group_sms_notify_notification_manager",
        )
        self.start_tour(
            f"/odoo/action-sms_notify.sms_notify_rule_action/{rule.id}",
            "sms_notify_rule_form_tour",
            login="rules-tour",
        )
        self.assertTrue(rule.active)
        self.assertTrue(rule.automation_id.active)
        self.assertEqual(
            (rule.delay_amount, rule.delay_unit, rule.delay_minutes), (2, "hours", 120)
        )
