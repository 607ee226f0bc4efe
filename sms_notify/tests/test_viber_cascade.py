"""Viber first, SMS when Viber does not reach the customer: the engine, with frozen time,
through the sandbox (which sends Viber too and plays the operator by the number's ending)."""

from datetime import datetime, timedelta

from freezegun import freeze_time
from psycopg2 import IntegrityError

from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, tagged
from odoo.tools import mute_logger

from .common import SmsNotifyCommon, iap_accept_all, iap_endpoint

START = datetime(2026, 12, 3, 10, 0, 0)
WAIT_MINUTES = 10


@tagged("post_install", "-at_install")
class TestViberCascade(SmsNotifyCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.gateway = cls._create_gateway("sandbox", sandbox_delivery_delay=5)
        cls.partner_model = cls.env.ref("base.model_res_partner")
        cls.template = cls.env["sms.template"].create(
            {
                "name": "Glasses ready",
                "model_id": cls.partner_model.id,
                "body": "{{ object.name }}: your glasses are ready.",
                "viber_body": "{{ object.name }}: your glasses are ready. Come by until 8 pm, "
                "we keep them for you for two weeks.",
                "delivery_mode": "viber_sms",
                "viber_wait_minutes": WAIT_MINUTES,
            }
        )

    def _customer(self, mobile):
        return self.env["res.partner"].create(
            {
                "name": "Anna Petrova",
                "mobile": mobile,
                "country_id": self.env.ref("base.ru").id,
            }
        )

    def _notify(self, customer, **values):
        """What Notify does: the composer on the customer's card, in comment mode."""
        self._composer_on(customer, template_id=self.template.id, **values).action_send_sms()
        return self.env["sms.sms"].search([("partner_id", "=", customer.id)])

    def _operator_reports(self, at):
        with freeze_time(at):
            self.env["sms.sms"]._cron_sandbox_delivery_reports()

    def _run_queue(self, at):
        with freeze_time(at):
            self.env["sms.sms"]._process_queue()

    def _notification(self, customer):
        return self.env["mail.notification"].search(
            [("res_partner_id", "=", customer.id), ("notification_type", "=", "sms")]
        )

    def _attempts(self, customer):
        return self.env["sms.sms"].search([("partner_id", "=", customer.id)], order="id")

    def test_viber_delivered_sends_no_sms(self):
        customer = self._customer("+7 912 345-67-89")
        with freeze_time(START):
            viber = self._notify(customer)
        self.assertEqual(viber.channel, "viber")
        self.assertIn("we keep them for you", viber.body, "the Viber text, not the SMS one")
        self.assertEqual(viber.fallback_body, "Anna Petrova: your glasses are ready.")
        self._run_queue(START)
        self.assertEqual(viber.state, "pending")
        self.assertEqual(viber.cascade_deadline, START + timedelta(minutes=WAIT_MINUTES))
        self._operator_reports(START + timedelta(seconds=5))
        self.assertEqual(viber.state, "sent")
        self._run_queue(START + timedelta(minutes=WAIT_MINUTES, seconds=1))
        self.assertEqual(self._attempts(customer), viber, "delivered by Viber: no SMS")
        self.assertEqual(self._notification(customer).notification_status, "sent")

    def test_not_a_viber_user_gets_the_sms_at_once(self):
        customer = self._customer("+7 912 345-11-11")
        with freeze_time(START):
            viber = self._notify(customer)
        self._run_queue(START)
        self._operator_reports(START + timedelta(seconds=5))
        self.assertEqual(viber.state, "error")
        self.assertEqual(viber.failure_type, "sms_invalid_destination")
        sms = viber.cascade_fallback_ids
        self.assertEqual(len(sms), 1, "the SMS follows at once, not after the wait")
        self.assertRecordValues(
            sms,
            [
                {
                    "channel": "sms",
                    "body": "Anna Petrova: your glasses are ready.",
                    "state": "outgoing",
                    "cascade_origin_id": viber.id,
                    "mail_message_id": viber.mail_message_id.id,
                }
            ],
        )
        notification = self._notification(customer)
        self.assertEqual(notification.sms_id_int, sms.id, "the chatter follows the SMS")
        self.assertNotEqual(
            notification.notification_status, "exception", "Viber's failure is not the outcome"
        )
        self._run_queue(START + timedelta(seconds=6))
        self.assertEqual(sms.state, "pending")
        self._operator_reports(START + timedelta(seconds=11))
        self.assertEqual(sms.state, "sent")
        self.assertEqual(notification.notification_status, "sent")

    def test_no_viber_report_within_the_wait_sends_the_sms_then(self):
        customer = self._customer("+7 912 345-22-22")
        with freeze_time(START):
            viber = self._notify(customer)
        self._run_queue(START)
        deadline = START + timedelta(minutes=WAIT_MINUTES)
        self._operator_reports(START + timedelta(seconds=5))
        self.assertEqual(viber.state, "pending", "the phone never reports")
        self._run_queue(deadline - timedelta(seconds=1))
        self.assertFalse(viber.cascade_fallback_ids, "the wait is not over")
        self._run_queue(deadline)
        sms = viber.cascade_fallback_ids
        self.assertEqual(sms.state, "pending", "created and handed over in the same run")
        self.assertFalse(viber.cascade_deadline)
        # the queue was asked to run at the deadline when Viber accepted the message
        cron = self.env.ref("sms.ir_cron_sms_scheduler_action")
        self.assertTrue(
            self.env["ir.cron.trigger"].search_count(
                [("cron_id", "=", cron.id), ("call_at", "=", deadline)]
            )
        )

    def test_viber_delivered_after_the_sms_left_is_recorded_and_nothing_more(self):
        customer = self._customer("+7 912 345-22-22")
        with freeze_time(START):
            viber = self._notify(customer)
        self._run_queue(START)
        deadline = START + timedelta(minutes=WAIT_MINUTES)
        self._run_queue(deadline)
        sms = viber.cascade_fallback_ids
        with freeze_time(deadline + timedelta(minutes=1)):
            viber._sms_notify_apply_delivery("sent")
        self.assertEqual(viber.state, "sent", "the late delivery is recorded")
        self._run_queue(deadline + timedelta(minutes=2))
        self.assertEqual(self._attempts(customer), viber | sms, "no third message")
        self.assertEqual(sms.state, "pending")
        self.assertEqual(
            self._notification(customer).sms_id_int, sms.id, "the chatter keeps following the SMS"
        )
        # the customer was reached by Viber first: the statistics say so
        with freeze_time(deadline + timedelta(minutes=3)):
            sms._sms_notify_apply_delivery("sent")
        self.env.flush_all()
        history = self.env["sms.notify.message"].search([("partner_id", "=", customer.id)])
        reached = history.filtered("reached")
        self.assertEqual(reached.mapped("channel"), ["viber"])
        self.assertEqual(sorted(history.mapped("channel")), ["sms", "viber"])

    def test_viber_only_sends_no_sms_when_viber_fails(self):
        customer = self._customer("+7 912 345-11-11")
        with freeze_time(START):
            viber = self._notify(customer, delivery_mode="viber")
        self._run_queue(START)
        self._operator_reports(START + timedelta(seconds=5))
        self.assertEqual(viber.state, "error")
        self.assertFalse(viber.fallback_body)
        self.assertEqual(self._attempts(customer), viber)
        self.assertEqual(self._notification(customer).notification_status, "exception")

    def test_sms_only_is_unchanged(self):
        customer = self._customer("+7 912 345-11-11")
        sms = self._notify(customer, delivery_mode="sms")
        self.assertRecordValues(
            sms,
            [
                {
                    "channel": "sms",
                    "delivery_mode": "sms",
                    "body": "Anna Petrova: your glasses are ready.",
                }
            ],
        )

    def test_without_a_viber_gateway_the_sms_goes_at_once(self):
        self.gateway.gateway_type = "twilio"
        customer = self._customer("+7 912 345-67-89")
        with freeze_time(START):
            viber = self._notify(customer)
        self._run_queue(START)
        self.assertEqual(viber.state, "error")
        self.assertIn("sends Viber", viber.gateway_error)
        self.assertEqual(viber.cascade_fallback_ids.channel, "sms")

    def test_advertising_by_viber_follows_the_sms_consent(self):
        self.template.message_kind = "advertising"
        customer = self._customer("+7 912 345-67-89")
        self.assertFalse(customer.sms_notify_ad_consent)
        with self.assertRaises(UserError):
            self._notify(customer)
        # a Viber promotion created by code is cancelled by the queue, and no SMS follows it
        viber = (
            self.env["sms.sms"]
            .with_context(
                sms_notify_delivery={"mode": "viber_sms", "wait": 600},
                sms_notify_message_kind="advertising",
            )
            .create({"number": customer.mobile, "partner_id": customer.id, "body": "Sale!"})
        )
        self._run_queue(START)
        self.assertEqual(viber.state, "canceled")
        self.assertFalse(viber.cascade_fallback_ids)

    def test_viber_text_over_its_limit_is_refused_before_sending(self):
        customer = self._customer("+7 912 345-67-89")
        with self.assertRaisesRegex(UserError, "1000"):
            self._notify(customer, viber_body="x" * 1001)
        with self.assertRaisesRegex(UserError, "caption but no link"):
            self._notify(customer, viber_button_text="Open")
        self.assertFalse(self._attempts(customer))

    def test_viber_refused_in_the_queue_sends_its_sms(self):
        customer = self._customer("+7 912 345-67-89")
        viber = (
            self.env["sms.sms"]
            .with_context(
                sms_notify_delivery={"mode": "viber_sms", "wait": 600},
                sms_notify_message_kind="service",
            )
            .create({"number": customer.mobile, "partner_id": customer.id, "body": "x" * 1001})
        )
        self._run_queue(START)
        self.assertEqual(viber.state, "error")
        self.assertIn("1000", viber.gateway_error)
        self.assertEqual(viber.cascade_fallback_ids.channel, "sms")

    def test_wait_out_of_bounds_is_refused(self):
        with self.assertRaises(ValidationError):
            self.template.viber_wait_minutes = 0
        with self.assertRaises(ValidationError):
            self.template.viber_wait_minutes = 24 * 60 + 1

    def test_rule_sends_viber_then_sms(self):
        rule = self.env["sms.notify.rule"].create(
            {
                "name": "Glasses ready",
                "model_id": self.partner_model.id,
                "sms_template_id": self.template.id,
                "condition_domain": "[('function', '=', 'Ready')]",
            }
        )
        self.assertEqual(rule.delivery_mode, "viber_sms", "taken from the template")
        rule.viber_wait_minutes = 30
        customer = self._customer("+7 912 345-22-22")
        rule.enabled_since = customer.create_date - timedelta(seconds=1)
        with freeze_time(START):
            customer.function = "Ready"
            self.env.flush_all()
            self.env.cr.precommit.run()
            self.env["sms.notify.scheduled"]._cron_send_due()
        viber = self._attempts(customer)
        self.assertRecordValues(
            viber,
            [
                {
                    "channel": "viber",
                    "fallback_wait": 1800,
                    "fallback_body": "Anna Petrova: your glasses are ready.",
                }
            ],
        )
        self.assertIn("we keep them for you", viber.body)

    def test_notify_dialog_shows_and_sends_the_viber_text(self):
        customer = self._customer("+7 912 345-67-89")
        action = customer.action_sms_notify()
        form = Form(self.env["sms.notify.wizard"].with_context(**action["context"]))
        form.sms_template_id = self.template
        self.assertEqual(form.delivery_mode, "viber_sms", "the template's way of sending")
        self.assertIn("we keep them for you", form.viber_body, "rendered for the customer")
        form.viber_body = "Anna, your glasses are ready: see you today!"
        form.viber_wait_minutes = 5
        wizard = form.save()
        wizard.action_send()
        viber = self._attempts(customer)
        self.assertRecordValues(
            viber,
            [
                {
                    "channel": "viber",
                    "body": "Anna, your glasses are ready: see you today!",
                    "fallback_body": "Anna Petrova: your glasses are ready.",
                    "fallback_wait": 300,
                }
            ],
        )

    def test_without_gateways_viber_fails_and_its_sms_goes_through_odoo_iap(self):
        self.gateway.action_archive()
        customer = self._customer("+7 912 345-67-89")
        with iap_endpoint(self.env, iap_accept_all) as calls:
            attempts = self._notify(customer)
            self.env["sms.sms"]._process_queue()
        viber = attempts.filtered(lambda sms: sms.channel == "viber")
        self.assertEqual(viber.state, "error")
        sms = viber.cascade_fallback_ids
        self.assertEqual(sms.state, "pending")
        [params] = [params for _path, params in calls]
        self.assertEqual(
            [message["content"] for message in params["messages"]],
            ["Anna Petrova: your glasses are ready."],
            "IAP got the SMS text only, never the Viber one",
        )

    def test_viber_delivered_before_its_sms_left_recalls_the_sms(self):
        customer = self._customer("+7 912 345-22-22")
        with freeze_time(START):
            viber = self._notify(customer)
        self._run_queue(START)
        deadline = START + timedelta(minutes=WAIT_MINUTES)
        with freeze_time(deadline):
            self.env["sms.sms"]._sms_notify_fall_back_overdue()
        sms = viber.cascade_fallback_ids
        self.assertEqual(sms.state, "outgoing", "created, not yet handed over")
        with freeze_time(deadline + timedelta(seconds=1)):
            viber._sms_notify_apply_delivery("sent")
        self.assertEqual(sms.state, "canceled", "Viber got there first: the SMS stays home")
        self.assertEqual(sms.failure_type, "sms_duplicate")
        notification = self._notification(customer)
        self.assertEqual(notification.sms_id_int, viber.id, "back to the Viber message")
        self.assertEqual(notification.notification_status, "sent")

    def test_one_sms_per_viber_message_whatever_decides_it(self):
        customer = self._customer("+7 912 345-11-11")
        with freeze_time(START):
            viber = self._notify(customer)
        values = {"number": customer.mobile, "body": "SMS", "cascade_origin_id": viber.id}
        self.env["sms.sms"].create(dict(values, channel="sms"))
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"):
            with self.env.cr.savepoint():
                self.env["sms.sms"].create(dict(values, channel="sms"))
                self.env.flush_all()

    def test_a_promotion_s_sms_due_at_night_waits_for_the_morning(self):
        self.template.message_kind = "advertising"
        self.env.company.write(
            {
                "sms_notify_quiet_advertising": True,
                "sms_notify_quiet_start": 21.0,
                "sms_notify_quiet_end": 9.0,
            }
        )
        customer = self._customer("+7 912 345-22-22")
        customer.write({"tz": "Europe/Moscow", "sms_notify_ad_consent": True})
        evening = datetime(2026, 12, 3, 17, 55)  # 20:55 in Moscow
        with freeze_time(evening):
            viber = self._notify(customer)
        self._run_queue(evening)
        with freeze_time(evening + timedelta(minutes=WAIT_MINUTES)):
            self.env["sms.sms"]._sms_notify_fall_back_overdue()
        # 21:05 in Moscow: the SMS waits for 09:00, 06:00 UTC
        self.assertEqual(viber.cascade_fallback_ids.send_after, datetime(2026, 12, 4, 6, 0))

    def test_odoo_s_sms_dialog_shows_the_viber_text_as_the_customer_reads_it(self):
        customer = self._customer("+7 912 345-67-89")
        composer = self._composer_on(customer, template_id=self.template.id)
        self.assertEqual(composer.delivery_mode, "viber_sms")
        self.assertTrue(composer.viber_body.startswith("Anna Petrova: your glasses are ready."))
        self.assertNotIn("{{", composer.viber_body, "rendered, not the template's placeholders")
        composer.viber_body = "Anna, see you today!"
        composer.action_send_sms()
        self.assertEqual(self._attempts(customer).body, "Anna, see you today!", "what was shown")

    def test_a_rule_s_wait_is_bounded_like_a_template_s(self):
        rule = self.env["sms.notify.rule"].create(
            {
                "name": "Glasses ready",
                "model_id": self.partner_model.id,
                "sms_template_id": self.template.id,
                "condition_domain": "[('function', '=', 'Ready')]",
            }
        )
        with self.assertRaisesRegex(ValidationError, "Glasses ready: wait for Viber"):
            rule.viber_wait_minutes = 24 * 60 + 1
        rule.delivery_mode = "sms"
        rule.viber_wait_minutes = 0  # not waited for: sent by SMS only
