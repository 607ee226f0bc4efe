from datetime import timedelta
from unittest.mock import patch

from freezegun import freeze_time

from odoo import fields
from odoo.tests import tagged

from ..models import sms_sms_queue
from ..tools import smsc
from .common import SmscGatewayCommon, SmsNotifyCommon


@tagged("post_install", "-at_install")
class TestQueue(SmscGatewayCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.queue_cron = cls.env.ref("sms.ir_cron_sms_scheduler_action")
        cls.smsc = cls.gateway
        cls.backup = cls._create_gateway("sandbox", sequence=2)

    def test_posting_queues_and_wakes_the_queue_at_once(self):
        start = fields.Datetime.now()
        with freeze_time(start):
            message = self._post_sms(self.customer, "Hello", run_queue=False)
        sms = self._sms_of(message)
        self.assertEqual(sms.state, "outgoing", "the user's transaction never calls a gateway")
        self.assertFalse(self.fake.requests)
        triggers = self.env["ir.cron.trigger"].search([("cron_id", "=", self.queue_cron.id)])
        self.assertTrue(any(call_at <= start for call_at in triggers.mapped("call_at")))
        self.env["sms.sms"]._process_queue()
        self.assertEqual(sms.state, "pending")
        self.assertEqual(len(self.fake.requests_to("/sys/send.php")), 1)

    def test_sending_without_billing_charges_nothing(self):
        """A business paying its vendor directly: the message goes under the gateway's own
        sender, keeps the cost the vendor reported, and nothing is reserved or kept in a
        ledger (without sms_notify_billing there is none; with it, no tariff charges)."""
        message = self._post_sms(self.customer, "Your glasses are ready.")
        sms = self._sms_of(message)
        self.assertRecordValues(
            sms, [{"state": "pending", "gateway_id": self.smsc.id, "vendor_cost": 1.4}]
        )
        [request] = self.fake.requests_to("/sys/send.php")
        self.assertEqual(request.params["sender"], "OPTICS")
        self.assertEqual(sms._sms_notify_reserved(), [0])
        if "sms.notify.ledger" in self.env:
            self.assertFalse(sms.price)
            self.assertFalse(
                self.env["sms.notify.ledger"].search([("create_date", ">=", sms.create_date)])
            )
        else:
            self.assertNotIn("price", sms._fields)

    def test_a_cron_run_takes_a_bounded_number_of_batches_and_reports_the_rest(self):
        """A run of the queue cron stops after its batches and tells Odoo how many messages
        are left: Odoo runs it again at once rather than one run going through a huge queue."""
        messages = self.env["sms.sms"].create(
            [
                {
                    "number": f"+7912345678{index}",
                    "body": "Hello",
                    "partner_id": self.customer.id,
                    "message_kind": "service",
                }
                for index in range(3)
            ]
        )
        self.env["ir.config_parameter"].set_param("sms.session.batch.size", 1)
        progress = self.env["ir.cron.progress"].create({"cron_id": self.queue_cron.id})
        queue = self.env["sms.sms"].with_context(ir_cron_progress_id=progress.id)
        with patch.object(sms_sms_queue, "QUEUE_BATCHES_PER_RUN", 2):
            queue._process_queue(ids=messages.ids)
            self.assertEqual(messages.mapped("state"), ["pending", "pending", "outgoing"])
            self.assertRecordValues(progress, [{"done": 2, "remaining": 1}])
            queue._process_queue(ids=messages.ids)
        self.assertEqual(set(messages.mapped("state")), {"pending"})
        self.assertRecordValues(progress, [{"done": 1, "remaining": 0}])

    def test_a_crash_in_a_gateway_client_is_logged_with_its_traceback(self):
        with (
            patch.object(smsc.SmscClient, "send", side_effect=RuntimeError("client bug")),
            self.assertLogs("odoo.addons.sms_notify.models", "ERROR") as logs,
        ):
            sms = self._sms_of(self._post_sms(self.customer, "Hello"))
        self.assertRecordValues(
            sms, [{"state": "error", "failure_type": "sms_server", "gateway_error": "client bug"}]
        )
        [record] = logs.records
        self.assertIn("crashed", record.getMessage())
        self.assertIn("client bug", logs.output[0])
        self.assertIsNotNone(record.exc_info, "the traceback is logged")

    def test_outage_retries_later_through_the_next_gateway(self):
        start = fields.Datetime.now()
        self.fake.fail("rate_limit")
        with freeze_time(start):
            message = self._post_sms(self.customer, "Hello")
        sms = self._sms_of(message)
        self.assertRecordValues(
            sms, [{"state": "outgoing", "send_attempts": 1, "gateway_id": self.smsc.id}]
        )
        self.assertGreaterEqual(sms.next_try_datetime, start + timedelta(seconds=30))
        self.assertTrue(self.smsc.down_until, "the failing gateway is skipped for a while")
        with freeze_time(start + timedelta(seconds=10)):
            self.env["sms.sms"]._process_queue()
        self.assertEqual(sms.state, "outgoing", "not retried before its wait is over")
        with freeze_time(start + timedelta(seconds=61)):
            self.env["sms.sms"]._process_queue()
        self.assertRecordValues(sms, [{"state": "pending", "gateway_id": self.backup.id}])
        self.assertEqual(len(self.fake.requests_to("/sys/send.php")), 1, "one try at SMSC")

    def test_too_many_outages_fail_the_message_with_the_gateway_error(self):
        self.backup.action_archive()
        self.fake.fail("rate_limit", times=None)
        now = fields.Datetime.now()
        message = self._post_sms(self.customer, "Hello")
        sms = self._sms_of(message)
        for minute in range(1, 60, 5):
            with freeze_time(now + timedelta(minutes=minute)):
                self.env["sms.sms"]._process_queue()
        self.assertRecordValues(sms, [{"state": "error", "failure_type": "sms_server"}])
        self.assertEqual(sms.send_attempts, 6)
        self.assertTrue(sms.gateway_error)

    def test_crash_between_call_and_commit_is_reconciled_not_resent(self):
        """A worker died after SMSC took the message but before the answer was stored: the
        next queue run finds it at SMSC and keeps it as sent; a message the dead worker had
        not handed over yet is sent once."""
        handed_over = self._sms_of(self._post_sms(self.customer, "Handed over"))
        self.assertEqual(len(self.fake.requests_to("/sys/send.php")), 1)
        never_sent = self.env["sms.sms"].create(
            {
                "number": "+79123456780",
                "body": "Not handed over",
                "partner_id": self.customer.id,
                "message_kind": "service",
            }
        )
        claimed_long_ago = fields.Datetime.now() - timedelta(minutes=30)
        # what the database holds after the crash: both committed as Processing
        (handed_over | never_sent).write(
            {
                "state": "process",
                "gateway_id": self.smsc.id,
                "gateway_reference": False,
                "claimed_datetime": claimed_long_ago,
            }
        )
        self.env["sms.sms"]._process_queue()
        self.assertEqual(handed_over.state, "pending")
        self.assertTrue(handed_over.gateway_reference)
        self.assertEqual(never_sent.state, "pending")
        sends = self.fake.requests_to("/sys/send.php")
        self.assertEqual(
            sorted(request.params["mes"] for request in sends),
            ["Handed over", "Not handed over"],
            "each message reached SMSC exactly once",
        )

    def test_message_of_a_dead_workers_dispatch_is_not_sent_again(self):
        """A worker committed a dispatch, called the gateway and died before storing the
        answer: its message is free again but must not be sent a second time. It waits as
        Processing, with the reference planned for it, until the gateway is asked about it."""
        sms = self.env["sms.sms"].create({"number": "+79123456781", "body": "In flight"})
        dispatch = self.env["sms.notify.dispatch"].create(
            {"gateway_id": self.smsc.id, "planned": [[sms.id, "+79123456781", "42:79123456781"]]}
        )

        self.env["sms.sms"]._process_queue()

        self.assertRecordValues(
            sms,
            [
                {
                    "state": "process",
                    "gateway_id": self.smsc.id,
                    "gateway_reference": "42:79123456781",
                    "claimed_datetime": dispatch.create_date,
                }
            ],
        )
        self.assertFalse(self.fake.requests_to("/sys/send.php"), "not sent again")
        self.assertFalse(dispatch.exists())

    def test_recent_processing_message_is_left_to_its_worker(self):
        sms = self.env["sms.sms"].create(
            {
                "number": "+79123456789",
                "body": "In flight",
                "state": "process",
                "gateway_id": self.smsc.id,
                "claimed_datetime": fields.Datetime.now(),
            }
        )
        self.env["sms.sms"]._process_queue()
        self.assertEqual(sms.state, "process")
        self.assertFalse(self.fake.requests)


@tagged("post_install", "-at_install")
class TestRoutingByPrefix(SmsNotifyCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.polish = cls._create_gateway("sandbox", sequence=1, number_prefixes="+48, +380")
        cls.others = cls._create_gateway("sandbox", sequence=2)
        cls.polish_customer = cls.customer.copy(
            {
                "name": "Katarzyna Nowak",
                "phone": "601 234 567",
                "country_id": cls.env.ref("base.pl").id,
            }
        )

    def test_each_number_goes_to_the_gateway_of_its_prefix(self):
        polish_sms = self._sms_of(self._post_sms(self.polish_customer, "Dzień dobry"))
        russian_sms = self._sms_of(self._post_sms(self.customer, "Добрый день"))
        self.assertEqual(polish_sms.gateway_id, self.polish)
        self.assertEqual(russian_sms.gateway_id, self.others)

    def test_number_no_gateway_serves_fails_with_what_to_do(self):
        self.others.action_archive()
        sms = self._sms_of(self._post_sms(self.customer, "Добрый день"))
        self.assertRecordValues(
            sms, [{"state": "error", "failure_type": "sms_country_not_supported"}]
        )
        self.assertIn("No gateway sends to +79123456789", sms.gateway_error)
