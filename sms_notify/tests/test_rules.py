from datetime import date, datetime, timedelta

from freezegun import freeze_time

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged

from .common import RulesCommon


@tagged("post_install", "-at_install")
class TestRules(RulesCommon):
    def test_rule_is_an_automation_rule_with_its_own_action(self):
        rule = self._rule(delay_minutes=30)
        automation = rule.automation_id
        self.assertEqual(automation.model_id, self.partner_model)
        self.assertEqual(automation.trigger, "on_create_or_write")
        self.assertEqual(automation.filter_domain, "[('function', '=', 'Card ready')]")
        self.assertEqual(automation.filter_pre_domain, "['!', ('function', '=', 'Card ready')]")
        self.assertEqual(automation.trigger_field_ids.mapped("name"), ["function"])
        [action] = automation.action_server_ids
        self.assertEqual((action.state, action.sms_notify_rule_id), ("sms_notify", rule))
        # switched off from Odoo's Automation Rules, the rule is off
        automation.active = False
        self.assertFalse(rule.active)
        rule.condition_domain = "[('function', '=', 'Ready')]"
        self.assertEqual(automation.filter_domain, "[('function', '=', 'Ready')]")
        rule.unlink()
        self.assertFalse(automation.exists())

    def test_condition_reached_sends_after_the_delay(self):
        with freeze_time("2027-03-01 10:00:00"):
            rule = self._rule(delay_minutes=30)
            self._since_before(rule, self.customer)
            self.customer.function = "Card ready"
            self._commit_point()
            [scheduled] = self._scheduled(rule)
            self.assertEqual(scheduled.due_datetime, datetime(2027, 3, 1, 10, 30))
            self.assertEqual(scheduled.partner_id, self.customer)
            # saving again while in the state schedules nothing more
            self.customer.write({"function": "Card ready", "comment": "again"})
            self._commit_point()
            self.assertEqual(len(self._scheduled(rule)), 1)
        with freeze_time("2027-03-01 10:20:00"):
            self._send_due()
            self.assertEqual(scheduled.state, "scheduled")
            self.assertFalse(self._sent_texts())
        with freeze_time("2027-03-01 10:31:00"):
            self._send_due()
        self.assertEqual(scheduled.state, "sent")
        self.assertEqual(self._sent_texts(), ["Anna Petrova, your loyalty card is ready."])
        self.assertIn("your loyalty card is ready", self.customer.message_ids[:1].body)

    def test_message_past_its_validity_is_cancelled_as_expired(self):
        with freeze_time("2027-03-01 10:00:00"):
            rule = self._rule(validity_minutes=60)
            self._since_before(rule, self.customer)
            self.customer.function = "Card ready"
            self._commit_point()
        with freeze_time("2027-03-01 11:00:01"):
            self._send_due()
        scheduled = self._scheduled(rule)
        self.assertEqual(scheduled.state, "expired")
        self.assertIn("validity ended", scheduled.cancel_reason)
        self.assertFalse(self._sent_texts())

    def test_validity_travels_with_the_sms(self):
        with freeze_time("2027-03-01 10:00:00"):
            rule = self._rule(validity_minutes=90)
            self._since_before(rule, self.customer)
            self.customer.function = "Card ready"
            self._commit_point()
            self.env["sms.notify.scheduled"]._cron_send_due()
        self.assertEqual(self._scheduled(rule).state, "sent")
        sms = self.env["sms.sms"].search([("partner_id", "=", self.customer.id)])
        self.assertEqual(sms.valid_until, datetime(2027, 3, 1, 11, 30))

    def test_document_leaving_the_condition_cancels_its_message(self):
        with freeze_time("2027-03-01 10:00:00"):
            rule = self._rule(delay_minutes=60)
            self._since_before(rule, self.customer)
            self.customer.function = "Card ready"
            self._commit_point()
            self.customer.function = "Card lost"
        with freeze_time("2027-03-01 11:01:00"):
            self._send_due()
        scheduled = self._scheduled(rule)
        self.assertEqual(scheduled.state, "cancelled")
        self.assertIn("no longer meets", scheduled.cancel_reason)
        self.assertFalse(self._sent_texts())

    def test_only_documents_created_since_the_rule_was_enabled(self):
        rule = self._rule()
        rule.enabled_since = self.customer.create_date + timedelta(seconds=1)
        self.customer.function = "Card ready"
        self._commit_point()
        self.assertFalse(self._scheduled(rule), "an older customer is not notified")
        rule.only_new_records = False
        self.customer.function = False
        self.customer.function = "Card ready"
        self._commit_point()
        self.assertEqual(len(self._scheduled(rule)), 1)

    def test_switching_a_rule_on_dates_it(self):
        rule = self._rule(active=False)
        self.assertFalse(rule.enabled_since)
        with freeze_time("2027-03-01 10:00:00"):
            rule.active = True
        self.assertEqual(rule.enabled_since, datetime(2027, 3, 1, 10, 0))
        # from Automation Rules too, and a rule already on keeps its date
        rule.automation_id.active = False
        with freeze_time("2027-04-01 10:00:00"):
            rule.automation_id.active = True
            self.assertEqual(rule.enabled_since, datetime(2027, 4, 1, 10, 0))
            rule.write({"active": True, "delay_minutes": 5})
        self.assertEqual(rule.enabled_since, datetime(2027, 4, 1, 10, 0))

    def test_change_of_the_chosen_fields_sends_a_notice(self):
        rule = self._rule(
            notify_trigger="change",
            condition_domain="[]",
            change_field_ids=[self.env.ref("base.field_res_partner__phone").id],
        )
        self.assertEqual(rule.automation_id.trigger_field_ids.mapped("name"), ["phone"])
        created = self.env["res.partner"].create({"name": "Boris", "phone": "+7 912 000-00-01"})
        self._since_before(rule, self.customer)
        self._commit_point()
        self.assertFalse(self._scheduled(rule), "a new contact is not a change")
        self.customer.comment = "no phone change"
        self._commit_point()
        self.assertFalse(self._scheduled(rule))
        self.customer.phone = "+7 912 345-67-00"
        self._commit_point()
        self.assertEqual(self._scheduled(rule).partner_id, self.customer)
        self.assertTrue(created)

    def test_quiet_hours_hold_promotions_until_the_customers_morning(self):
        self.template.message_kind = "advertising"
        self.customer.write({"tz": "Europe/Moscow", "sms_notify_ad_consent": True})
        # 19:30 UTC is 22:30 in Moscow: the promotion waits for 09:00 Moscow (06:00 UTC)
        with freeze_time("2027-03-01 19:30:00"):
            rule = self._rule()
            self._since_before(rule, self.customer)
            self.customer.function = "Card ready"
            self._commit_point()
            self.assertEqual(self._scheduled(rule).due_datetime, datetime(2027, 3, 2, 6, 0))
            self._send_due()
            self.assertFalse(self._sent_texts())
        with freeze_time("2027-03-02 06:00:00"):
            self._send_due()
        self.assertEqual(len(self._sent_texts()), 1)

    def test_service_messages_ignore_quiet_hours_unless_the_company_says(self):
        self.customer.tz = "Europe/Moscow"
        with freeze_time("2027-03-01 19:30:00"):
            rule = self._rule()
            self._since_before(rule, self.customer)
            self.customer.function = "Card ready"
            self._commit_point()
            self.assertEqual(self._scheduled(rule).due_datetime, datetime(2027, 3, 1, 19, 30))
            self.env.company.sms_notify_quiet_service = True
            other = self._rule(name="Second", condition_domain="[('function', '=', 'VIP')]")
            self._since_before(other, self.customer)
            self.customer.function = "VIP"
            self._commit_point()
            self.assertEqual(self._scheduled(other).due_datetime, datetime(2027, 3, 2, 6, 0))

    def test_one_save_of_many_documents_schedules_them_all_at_once(self):
        partners = self.env["res.partner"].create(
            [
                {"name": f"Customer {index}", "mobile": f"+7912000{index:04d}"}
                for index in range(300)
            ]
        )
        rule = self._rule()
        self._since_before(rule, partners[0])
        partners.function = "Card ready"
        self.assertFalse(self._scheduled(rule), "scheduled when the request commits")
        self._commit_point()
        self.assertEqual(len(self._scheduled(rule)), 300)
        self.fake.balance = 1000
        self._send_due()
        self.assertEqual(len(self._sent_texts()), 300)

    def test_yearly_birthday_greetings_in_the_morning(self):
        rule = self.env.ref("sms_notify.sms_notify_rule_birthday")
        self.assertFalse(rule.active, "shipped switched off")
        self.assertEqual(rule.automation_id.trigger, "on_time")
        self.customer.write(
            {
                "sms_notify_birthday": date(1987, 11, 6),
                "tz": "Europe/Moscow",
                "sms_notify_ad_consent": True,
            }
        )
        with freeze_time("2027-11-05 12:00:00"):
            self.env["res.partner"]._cron_sms_notify_next_birthdays()
            self.assertEqual(self.customer.sms_notify_next_birthday, date(2027, 11, 6))
            rule.active = True
            rule.automation_id.last_run = datetime(2027, 11, 5, 12, 0)
        with freeze_time("2027-11-06 00:30:00"):
            self.env["base.automation"]._check()
            self._commit_point()
            [scheduled] = self._scheduled(rule)
            # a promotion: at 09:00 on the customer's clock
            self.assertEqual(scheduled.due_datetime, datetime(2027, 11, 6, 6, 0))
        with freeze_time("2027-11-06 06:01:00"):
            self._send_due()
        self.assertIn("happy birthday", self._sent_texts()[0])
        with freeze_time("2027-11-07 01:00:00"):
            self.env["res.partner"]._cron_sms_notify_next_birthdays()
        self.assertEqual(self.customer.sms_notify_next_birthday, date(2028, 11, 6))

    def test_rule_without_template_or_fields_is_refused(self):
        with self.assertRaisesRegex(ValidationError, "sends nothing"):
            self._rule(sms_template_id=False)
        with self.assertRaisesRegex(ValidationError, "pick the fields"):
            self._rule(notify_trigger="change")
        with self.assertRaisesRegex(ValidationError, "cannot be read"):
            self._rule(condition_domain="[('function', '=',")

    def test_notification_manager_manages_rules_without_automation_rights(self):
        manager = self.env["res.users"].create(
            {
                "name": "Marketing",
                "login": "marketing_rules",
                "groups_id": [
                    (4, self.env.ref("sms_notify.group_sms_notify_notification_manager").id)
                ],
            }
        )
        rule = (
            self.env["sms.notify.rule"]
            .with_user(manager)
            .create(
                {
                    "name": "By marketing",
                    "model_id": self.partner_model.id,
                    "sms_template_id": self.template.id,
                }
            )
        )
        rule.delay_minutes = 10
        self.assertEqual(rule.automation_id.sudo().action_server_ids.state, "sms_notify")
        with self.assertRaises(AccessError):
            self.env["base.automation"].with_user(manager).create(
                {"name": "Direct", "model_id": self.partner_model.id, "trigger": "on_create"}
            )

    def test_rule_e_mail_goes_to_customers_who_agreed_and_is_cancelled_for_the_others(self):
        template = self.env["mail.template"].create(
            {
                "name": "Club offer",
                "model_id": self.partner_model.id,
                "subject": "An offer for {{ object.name }}",
                "body_html": "<p>-20% this week.</p>",
                "message_kind": "advertising",
            }
        )
        # a promotion, sent at any hour for the test (quiet hours have tests of their own)
        rule = self._rule(sms_template_id=False, mail_template_id=template.id, quiet_hours="off")
        agreed = self.env["res.partner"].create(
            {"name": "Boris", "email": "boris@example.com", "sms_notify_ad_consent": True}
        )
        self.customer.email = "anna@example.com"
        self._since_before(rule, self.customer)
        (self.customer | agreed).function = "Card ready"
        self._commit_point()
        self._send_due()
        by_partner = {message.partner_id: message for message in self._scheduled(rule)}
        self.assertEqual(by_partner[agreed].state, "sent")
        self.assertEqual(by_partner[self.customer].state, "cancelled")
        self.assertIn("has not agreed to promotions", by_partner[self.customer].cancel_reason)
        [email] = agreed.message_ids.filtered(lambda message: message.message_type == "comment")
        self.assertEqual(email.subject, "An offer for Boris")
        self.assertEqual(email.sms_notify_mail_template_id, template)
        self.assertFalse(
            self.customer.message_ids.filtered(lambda message: message.message_type == "comment")
        )
