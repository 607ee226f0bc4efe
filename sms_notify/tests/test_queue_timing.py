import threading
from datetime import datetime, timedelta
from unittest.mock import patch

from freezegun import freeze_time

from odoo import SUPERUSER_ID, api
from odoo.exceptions import ValidationError
from odoo.tests import TransactionCase, tagged

from .common import SmscGatewayCommon, SmsNotifyCommon, iap_accept_all, iap_endpoint

EVENING = datetime(2027, 3, 1, 20, 0)
MORNING = datetime(2027, 3, 2, 6, 0)


@tagged("post_install", "-at_install")
class TestNotBefore(SmscGatewayCommon):
    """A message may carry a moment before which the queue keeps it (``send_after``): it goes
    then, and the queue wakes itself for it; if its validity ends first it is cancelled as
    expired, never sent late."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.queue_cron = cls.env.ref("sms.ir_cron_sms_scheduler_action")

    def _sms(self, **values):
        return self.env["sms.sms"].create(
            {
                "number": "+79123456789",
                "body": "Spring sale",
                "partner_id": self.customer.id,
                "message_kind": "service",
                **values,
            }
        )

    def _wakes(self):
        return self.env["ir.cron.trigger"].search([("cron_id", "=", self.queue_cron.id)])

    def test_message_waits_for_its_moment_and_the_queue_wakes_then(self):
        with freeze_time(EVENING):
            waiting = self._sms(send_after=MORNING)
            now = self._sms(body="Your order is ready")
            self.env["sms.sms"]._process_queue()
            self.assertEqual(now.state, "pending", "a message free to go is not held up")
            self.assertEqual(waiting.state, "outgoing")
            self.assertIn(MORNING, self._wakes().mapped("call_at"))
            self.env["sms.sms"]._process_queue()
            self.assertEqual(
                self._wakes().mapped("call_at").count(MORNING), 1, "one wake per moment"
            )
        with freeze_time(MORNING - timedelta(seconds=1)):
            self.env["sms.sms"]._process_queue()
        self.assertEqual(waiting.state, "outgoing")
        with freeze_time(MORNING):
            self.env["sms.sms"]._process_queue()
        self.assertEqual(waiting.state, "pending")
        self.assertEqual(
            sorted(request.params["mes"] for request in self.fake.requests_to("/sys/send.php")),
            ["Spring sale", "Your order is ready"],
        )

    def test_validity_ending_before_the_moment_cancels_it_then(self):
        valid_until = EVENING + timedelta(hours=3)
        with freeze_time(EVENING):
            sms = self._sms(send_after=MORNING, valid_until=valid_until)
            self.env["sms.sms"]._process_queue()
            self.assertIn(valid_until, self._wakes().mapped("call_at"))
        with freeze_time(valid_until):
            self.env["sms.sms"]._process_queue()
        self.assertRecordValues(sms, [{"state": "canceled", "failure_type": "sms_expired"}])
        self.assertEqual(sms._sms_notify_reserved(), [0], "nothing charged")
        self.assertFalse(self.fake.requests_to("/sys/send.php"))

    def test_claim_reads_past_no_waiting_message(self):
        """Protects the queue's speed while a large mailing waits for the morning: each claim
        goes along the index of the messages free to go, not through the waiting ones."""
        self._sms(send_after=MORNING)
        self.env.flush_all()
        self.env.cr.execute("SET LOCAL enable_seqscan = off")
        self.env.cr.execute(
            """EXPLAIN SELECT id FROM sms_sms
                WHERE state = 'outgoing' AND to_delete IS NOT TRUE AND send_after IS NULL
                ORDER BY id LIMIT 500"""
        )
        plan = "\n".join(row[0] for row in self.env.cr.fetchall())
        self.assertIn("sms_sms_sms_notify_due_index", plan)
        self.env.cr.execute(
            """EXPLAIN SELECT id FROM sms_sms
                WHERE state = 'outgoing' AND send_after IS NOT NULL
                  AND LEAST(send_after, valid_until) <= now()
                ORDER BY LEAST(send_after, valid_until), id LIMIT 500"""
        )
        plan = "\n".join(row[0] for row in self.env.cr.fetchall())
        self.assertIn("sms_sms_sms_notify_waiting_index", plan)


@tagged("post_install", "-at_install")
class TestNotBeforeThroughOdooIap(SmsNotifyCommon):
    """Without any gateway Odoo's own queue sends through IAP: it is handed only the messages
    whose moment has come."""

    def test_message_waits_for_its_moment_without_gateway(self):
        values = {"number": "+79123456789", "body": "Spring sale", "message_kind": "service"}
        with freeze_time(EVENING):
            waiting, expiring, now = self.env["sms.sms"].create(
                [
                    dict(values, send_after=MORNING),
                    dict(values, send_after=MORNING, valid_until=EVENING + timedelta(hours=1)),
                    dict(values, body="Your order is ready"),
                ]
            )
        with freeze_time(EVENING), iap_endpoint(self.env, iap_accept_all) as calls:
            self.env["sms.sms"]._process_queue()
        self.assertEqual(
            [message["content"] for _path, params in calls for message in params["messages"]],
            ["Your order is ready"],
        )
        self.assertEqual((waiting | expiring).mapped("state"), ["outgoing", "outgoing"])
        with freeze_time(EVENING + timedelta(hours=1)), iap_endpoint(self.env, iap_accept_all):
            self.env["sms.sms"]._process_queue()
        self.assertRecordValues(expiring, [{"state": "canceled", "failure_type": "sms_expired"}])
        with freeze_time(MORNING), iap_endpoint(self.env, iap_accept_all) as calls:
            self.env["sms.sms"]._process_queue()
        self.assertEqual(
            [message["content"] for _path, params in calls for message in params["messages"]],
            ["Spring sale"],
        )


@tagged("post_install", "-at_install")
class TestRateLimit(SmscGatewayCommon):
    """A gateway's send-rate limit: never more than it in any minute, over every batch and
    worker; the rest waits, nothing fails for it."""

    def _messages(self, count):
        return self.env["sms.sms"].create(
            [
                {
                    "number": f"+7912345670{index}",
                    "body": f"Message {index}",
                    "partner_id": self.customer.id,
                    "message_kind": "service",
                }
                for index in range(count)
            ]
        )

    def test_limit_holds_across_batches_and_the_rest_waits(self):
        self.gateway.rate_limit = 2
        self.env["ir.config_parameter"].set_param("sms.session.batch.size", 3)
        messages = self._messages(5)
        start = datetime(2027, 3, 1, 12, 0)
        with freeze_time(start):
            self.env["sms.sms"]._process_queue()
        # the first batch of three sends two; the second batch finds the minute used up
        self.assertEqual(messages.mapped("state").count("pending"), 2)
        waiting = messages.filtered(lambda sms: sms.state == "outgoing")
        self.assertEqual(len(waiting), 3)
        self.assertEqual(set(waiting.mapped("next_try_datetime")), {start + timedelta(minutes=1)})
        self.assertIn("at most 2 SMS a minute", waiting[0].gateway_error)
        self.assertFalse(waiting.filtered("send_attempts"), "no attempt counted")
        queue_cron = self.env.ref("sms.ir_cron_sms_scheduler_action")
        wakes = self.env["ir.cron.trigger"].search([("cron_id", "=", queue_cron.id)])
        self.assertIn(start + timedelta(minutes=1), wakes.mapped("call_at"), "wakes then")
        with freeze_time(start + timedelta(seconds=59)):
            self.env["sms.sms"]._process_queue()
        self.assertEqual(messages.mapped("state").count("pending"), 2)
        with freeze_time(start + timedelta(minutes=1)):
            self.env["sms.sms"]._process_queue()
        self.assertEqual(messages.mapped("state").count("pending"), 4)
        with freeze_time(start + timedelta(minutes=2)):
            self.env["sms.sms"]._process_queue()
        self.assertEqual(set(messages.mapped("state")), {"pending"})

    def test_what_another_worker_took_this_minute_counts(self):
        """The note another worker committed after this one began routing is counted when
        the batch is taken: only what is left of the minute goes."""
        self.gateway.rate_limit = 3
        messages = self._messages(3)
        start = datetime(2027, 3, 1, 12, 0)
        rate_class = type(self.env["sms.notify.gateway.rate"])
        original = rate_class._take

        def another_worker_first(rate_model, gateway, wanted, cr):
            rate_model.create({"gateway_id": gateway.id, "taken_at": start, "count": 2})
            return original(rate_model, gateway, wanted, cr)

        with freeze_time(start), patch.object(rate_class, "_take", another_worker_first):
            self.env["sms.sms"]._process_queue()
        self.assertEqual(messages.mapped("state").count("pending"), 1)

    def test_full_gateway_passes_messages_to_the_next_one(self):
        backup = self._create_gateway("sandbox", sequence=2)
        self.gateway.rate_limit = 1
        messages = self._messages(3)
        with freeze_time(datetime(2027, 3, 1, 12, 0)):
            self.env["sms.sms"]._process_queue()
        self.assertEqual(set(messages.mapped("state")), {"pending"})
        self.assertEqual(
            sorted(sms.gateway_id.name for sms in messages),
            sorted([self.gateway.name, backup.name, backup.name]),
        )

    def test_negative_limit_is_refused(self):
        with self.assertRaises(ValidationError), self.env.cr.savepoint():
            self.gateway.rate_limit = -1
            self.env.flush_all()


@tagged("post_install", "-at_install")
class TestRateLimitAcrossWorkers(TransactionCase):
    """Two workers taking from one rate-limited gateway at the same moment: the second waits
    for the first one's note and takes only what is left of the minute.

    Each worker is a real database connection committing on its own, as the queue's side
    cursors do, so this test commits through its own cursors and removes what it created."""

    def test_second_worker_takes_what_the_first_left(self):
        with self.registry.cursor() as cr:
            gateway_id = (
                api.Environment(cr, SUPERUSER_ID, {})["sms.notify.gateway"]
                .create({"name": "Rate test", "gateway_type": "sandbox", "rate_limit": 5})
                .id
            )
        taken = {}
        try:
            with self.registry.cursor() as first_cr, self.registry.cursor() as second_cr:
                first, second = (
                    self._worker(first_cr, gateway_id),
                    self._worker(second_cr, gateway_id),
                )
                taken["first"] = first(4)
                # only the database call runs in the thread: the ORM of this test process
                # is not for two threads at once
                thread = threading.Thread(target=lambda: taken.update(second=second(4)))
                thread.start()
                thread.join(timeout=0.5)
                self.assertTrue(thread.is_alive(), "the second worker waits for the first")
                first_cr.commit()  # the first worker's note, and its lock released
                thread.join(timeout=10)
                self.assertFalse(thread.is_alive())
                second_cr.commit()
            self.assertEqual(taken["first"].count, 4)
            self.assertEqual(taken["second"].count, 1, "only what was left of the minute")
            self.assertTrue(taken["second"].retry_at)
        finally:
            with self.registry.cursor() as cr:
                api.Environment(cr, SUPERUSER_ID, {})["sms.notify.gateway"].browse(
                    gateway_id
                ).unlink()

    def _worker(self, cr, gateway_id):
        """What a queue worker's side cursor does: take from the gateway's minute."""
        # as the queue's side cursor does before it takes (see _sms_notify_claim)
        cr.execute("SET TRANSACTION ISOLATION LEVEL READ COMMITTED")
        env = api.Environment(cr, SUPERUSER_ID, {})
        gateway = env["sms.notify.gateway"].browse(gateway_id)
        gateway.fetch(["rate_limit"])
        rate = env["sms.notify.gateway.rate"]
        return lambda wanted: rate._take(gateway, wanted, cr)
