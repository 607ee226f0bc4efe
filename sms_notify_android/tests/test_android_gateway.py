from datetime import timedelta

from odoo import fields
from odoo.tests import HttpCase, tagged

from odoo.addons.sms_notify.tests.common import SmsNotifyCommon

from .fakes.android import FakeAndroid


class AndroidGatewayCommon(SmsNotifyCommon, HttpCase):
    """An Android phone gateway first in line, talking to a fresh fake of the app's local
    server in every test; the phone's webhooks reach the test server."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.gateway = cls._create_gateway(
            "android", sequence=1, login="sms", password="phone-pass", timeout=2
        )
        cls.order = cls.env["crm.team"].create({"name": "Glasses order 42"})

    def setUp(self):
        super().setUp()
        self.fake = self.enterContext(FakeAndroid(username="sms", password="phone-pass"))
        self.gateway.base_url = self.fake.url
        # the phone only calls https:// or http://127.0.0.1 addresses: the test server's
        self.env["ir.config_parameter"].sudo().set_param("web.base.url", self.base_url())

    def _post(self, url, body, headers):
        return self.url_open(url, data=body, headers=headers)

    def _notify_order(self, body="Your glasses are ready"):
        """Notify the customer about the order, as the Notify button does."""
        message = self.order._message_sms(body, partner_ids=self.customer.ids)
        self.env["sms.sms"]._process_queue()
        return self._sms_of(message)

    def _reload(self, records):
        records.invalidate_recordset()
        return records


@tagged("post_install", "-at_install")
class TestAndroidSending(AndroidGatewayCommon):
    def test_message_sent_and_delivered_through_the_webhook(self):
        self.gateway.action_register_webhooks()
        self.assertEqual(
            {hook["url"] for hook in self.fake.webhooks.values()}, {self.gateway._get_webhook_url()}
        )
        sms = self._notify_order()
        self.assertRecordValues(
            sms,
            [{"state": "pending", "gateway_reference": sms.uuid, "gateway_id": self.gateway.id}],
        )
        request = self.fake.requests_to("/message")[0].json
        self.assertEqual(request["phoneNumbers"], ["+79123456789"])
        self.assertEqual(request["id"], sms.uuid)
        [sent] = self.fake.progress(sms.uuid, "Sent", post=self._post)
        self.assertEqual(sent.status_code, 200)
        self.assertEqual(self._reload(sms).state, "pending")
        [delivered] = self.fake.progress(sms.uuid, "Delivered", post=self._post)
        self.assertEqual(delivered.status_code, 200)
        self.assertEqual(self._reload(sms).state, "sent")
        self.assertEqual(self.gateway.device_status, "available")

    def test_failed_on_the_phone_is_not_delivered(self):
        self.gateway.action_register_webhooks()
        sms = self._notify_order()
        self.fake.progress(sms.uuid, "Failed", reason="RESULT_ERROR_NO_SERVICE", post=self._post)
        self.assertRecordValues(
            self._reload(sms), [{"state": "error", "failure_type": "sms_not_delivered"}]
        )

    def test_webhook_with_a_wrong_signature_changes_nothing(self):
        self.gateway.android_signing_key = "key-in-odoo"
        self.fake.signing_key = "another-key"
        self.gateway.action_register_webhooks()
        sms = self._notify_order()
        [response] = self.fake.progress(sms.uuid, "Delivered", post=self._post)
        self.assertEqual(response.status_code, 403)
        self.assertEqual(self._reload(sms).state, "pending")
        self.fake.signing_key = "key-in-odoo"
        [response] = self.fake.progress(sms.uuid, "Delivered", post=self._post)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(self._reload(sms).state, "sent")

    def test_daily_limit_reached_the_rest_waits(self):
        self.gateway.daily_limit = 2
        messages = self.env["sms.sms"]
        for text in ("One", "Two", "Three"):
            messages |= self._sms_of(
                self.customer._message_sms(text, partner_ids=self.customer.ids)
            )
        self.env["sms.sms"]._process_queue()
        self.assertEqual(len(self.fake.messages), 2)
        self.assertEqual(sorted(messages.mapped("state")), ["outgoing", "pending", "pending"])
        waiting = messages.filtered(lambda sms: sms.state == "outgoing")
        self.assertGreaterEqual(waiting.next_try_datetime, self.gateway._sms_notify_day_start(1))
        self.assertIn("daily limit", waiting.gateway_error)
        self.assertEqual(waiting.send_attempts, 0, "nothing was tried")
        self.assertRecordValues(self.gateway, [{"sent_today": 2, "device_status": "limit_reached"}])
        # the next day (or a higher limit) it goes
        self.gateway.daily_limit = 3
        waiting.next_try_datetime = fields.Datetime.now() - timedelta(seconds=1)
        self.env["sms.sms"]._process_queue()
        self.assertEqual(waiting.state, "pending")
        self.assertEqual(len(self.fake.messages), 3)

    def test_daily_limit_reached_the_next_gateway_sends(self):
        sandbox = self._create_gateway("sandbox", sequence=5)
        self.gateway.daily_limit = 1
        first = self._notify_order("One")
        second = self._notify_order("Two")
        self.assertEqual(first.gateway_id, self.gateway)
        self.assertRecordValues(second, [{"gateway_id": sandbox.id, "state": "pending"}])

    def test_unreachable_phone_messages_wait_and_are_retried(self):
        self.fake.stop()  # nothing listens on its port any more
        sms = self._notify_order()
        self.assertRecordValues(sms, [{"state": "outgoing", "send_attempts": 1}])
        self.assertGreater(sms.next_try_datetime, fields.Datetime.now())
        self.assertEqual(self.gateway.device_status, "unreachable")
        self.assertTrue(self.gateway.down_until)
        # the phone is back
        self.fake.start()
        self.gateway.base_url = self.fake.url
        sms.next_try_datetime = fields.Datetime.now() - timedelta(seconds=1)
        self.gateway.down_until = False
        self.env["sms.sms"]._process_queue()
        self.assertRecordValues(sms, [{"state": "pending", "gateway_reference": sms.uuid}])
        self.assertEqual(self.gateway.device_status, "available")

    def test_rebinding_phone_messages_wait(self):
        self.fake.rebinding = True
        sms = self._notify_order()
        self.assertEqual(sms.state, "outgoing")
        self.assertEqual(self.gateway.device_status, "rebinding")
        self.assertFalse(self.fake.messages)


@tagged("post_install", "-at_install")
class TestAndroidInbound(AndroidGatewayCommon):
    def setUp(self):
        super().setUp()
        self.gateway.action_register_webhooks()

    def test_reply_lands_in_the_chatter_of_the_last_notified_record(self):
        self._notify_order("Your glasses are ready")
        [response] = self.fake.receive("+79123456789", "Thanks, I'll come at 5", post=self._post)
        self.assertEqual(response.status_code, 200)
        message = self.order.message_ids[0]
        self.assertIn("come at 5", message.body)
        self.assertEqual(message.author_id, self.customer)

    def test_reply_of_a_customer_never_notified_lands_on_the_contact(self):
        self.fake.receive("+7 912 345 67 89", "Are my glasses ready?", post=self._post)
        self.assertIn("Are my glasses ready?", self.customer.message_ids[0].body)

    def test_reply_from_an_unknown_number_is_accepted_and_filed_nowhere(self):
        [response] = self.fake.receive("+79990001122", "Hello?", post=self._post)
        self.assertEqual(response.status_code, 200)

    def test_stop_withdraws_the_consent_to_promotions(self):
        self.customer.sms_notify_ad_consent = True
        self._notify_order()
        self.fake.receive("+79123456789", "СТОП", post=self._post)
        self.assertFalse(self.customer.sms_notify_ad_consent)
        self.assertIn("СТОП", self.order.message_ids[0].body)

    def test_ordinary_reply_keeps_the_consent(self):
        self.customer.sms_notify_ad_consent = True
        self.fake.receive("+79123456789", "Спасибо!", post=self._post)
        self.assertTrue(self.customer.sms_notify_ad_consent)


@tagged("post_install", "-at_install")
class TestAndroidOversizedWebhooks(AndroidGatewayCommon):
    def test_oversized_message_id_or_sender_is_a_bad_request(self):
        self.gateway.action_register_webhooks()
        sms = self._notify_order()
        calls = self.fake.webhook_calls(
            "sms:delivered", {"messageId": sms.uuid + "x" * 64, "phoneNumber": "+79123456789"}
        ) + self.fake.webhook_calls(
            "sms:received",
            {"messageId": "in-1", "message": "Reply-from-a-long-number", "sender": "7" * 40},
        )
        replies = [("body", "ilike", "Reply-from-a-long-number")]
        for url, body, headers in calls:
            with self.assertNoLogs("odoo", level="ERROR"):
                self.assertEqual(self._post(url, body, headers).status_code, 400)
        self.assertEqual(self._reload(sms).state, "pending")
        self.assertFalse(self.env["mail.message"].search_count(replies), "no reply was filed")
