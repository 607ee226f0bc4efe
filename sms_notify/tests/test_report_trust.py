import json
import logging
import time
from urllib.parse import urlsplit

from odoo.tests import HttpCase, tagged

from ..tools.gateway import DeliveryReport
from .common import SmscGatewayCommon
from .fakes.twilio import FakeTwilio, compute_signature, post_status_callback

SMSC_WAITING = -1
SMSC_DELIVERED = 1
SMSC_UNDELIVERABLE = 20


class _RecordsOf(logging.Handler):
    """Every record of a logger, as its handlers would write it."""

    def __init__(self, logger_name):
        super().__init__(logging.DEBUG)
        self.logger = logging.getLogger(logger_name)
        self.messages = []

    def __enter__(self):
        self.previous_level = self.logger.level
        self.logger.setLevel(logging.DEBUG)
        self.logger.addHandler(self)
        return self

    def __exit__(self, *exc_info):
        self.logger.removeHandler(self)
        self.logger.setLevel(self.previous_level)

    def emit(self, record):
        self.messages.append(record.getMessage())


class ReportTrustCommon(SmscGatewayCommon, HttpCase):
    def setUp(self):
        super().setUp()
        self.sms = self._sms_of(self._post_sms(self.customer, "Your glasses are ready"))
        self.sms_id, self.phone = self.sms.gateway_reference.split(":")
        # what is given back (charged messages, with billing): nothing here gives back
        self.releases = []
        release = self.registry["sms.sms"]._sms_notify_release

        def record_release(messages, reason):
            self.releases.append((messages.ids, reason))
            return release(messages, reason)

        self.patch(self.registry["sms.sms"], "_sms_notify_release", record_release)

    def _push(self, form):
        return self.url_open(urlsplit(self.gateway.webhook_url).path, data=form)

    def _iap_report(self, iap_status, uuids):
        return self.url_open(
            "/sms/status",
            data=json.dumps(
                {
                    "jsonrpc": "2.0",
                    "params": {"message_statuses": [{"sms_status": iap_status, "uuids": uuids}]},
                }
            ),
            headers={"Content-Type": "application/json"},
        )


@tagged("post_install", "-at_install")
class TestIapReportRoute(ReportTrustCommon):
    """``/sms/status`` is public and takes uuids any SMS user can read."""

    def _iap_message(self, gateway=False):
        return (
            self.env["sms.sms"]
            .sudo()
            .create(
                {
                    "number": "+79123456780",
                    "body": "Sent by IAP",
                    "state": "pending",
                    "gateway_id": gateway and gateway.id,
                }
            )
        )

    def test_reports_about_messages_of_other_gateways_change_nothing(self):
        delivered = self._sms_of(self._post_sms(self.customer, "Already there"))
        delivered.sudo().write({"state": "sent"})
        notifications = (self.sms | delivered).mail_message_id.notification_ids
        statuses_before = notifications.mapped("notification_status")
        response = self._iap_report("invalid_destination", [self.sms.uuid, delivered.uuid])
        self.assertEqual(response.json().get("result"), "OK")
        (self.sms | delivered).invalidate_recordset()
        self.assertRecordValues(
            self.sms | delivered,
            [{"state": "pending"}, {"state": "sent"}],
        )
        notifications.invalidate_recordset()
        self.assertEqual(notifications.mapped("notification_status"), statuses_before)
        self.assertFalse(self.releases, "no refund for messages IAP did not send")

    def test_report_about_a_waiting_iap_message_applies_without_refund(self):
        without_gateway = self._iap_message()
        iap_gateway = self._create_gateway("iap")
        through_iap_gateway = self._iap_message(iap_gateway)
        iap_gateway.action_archive()  # reports keep coming after a gateway is archived
        response = self._iap_report(
            "invalid_destination", [without_gateway.uuid, through_iap_gateway.uuid]
        )
        self.assertEqual(response.json().get("result"), "OK")
        (without_gateway | through_iap_gateway).invalidate_recordset()
        self.assertRecordValues(
            without_gateway | through_iap_gateway,
            [{"state": "error", "failure_type": "sms_invalid_destination"}] * 2,
        )
        self.assertFalse(self.releases, "IAP bills its own credit: nothing to refund")

    def test_report_about_a_delivered_iap_message_changes_nothing(self):
        delivered = self._iap_message()
        delivered.state = "sent"
        self._iap_report("not_delivered", [delivered.uuid])
        delivered.invalidate_recordset()
        self.assertEqual(delivered.state, "sent")


@tagged("post_install", "-at_install")
class TestReportsMoveForward(ReportTrustCommon):
    def test_polled_in_progress_keeps_a_handed_over_message_sent(self):
        self.fake.set_status(self.sms_id, self.phone, SMSC_WAITING)
        self.env["sms.sms"]._cron_poll_delivery_status()
        self.assertEqual(self.sms.state, "pending")
        # whatever the vendor's spelling of the identifier
        late = DeliveryReport(gateway_reference=self.sms.gateway_reference, state="process")
        self.env["sms.sms"]._sms_notify_apply_reports(self.gateway, [late])
        self.assertEqual(self.sms.state, "pending")

    def test_failure_after_delivery_changes_nothing_and_refunds_nothing(self):
        self.fake.set_status(self.sms_id, self.phone, SMSC_DELIVERED)
        self.env["sms.sms"]._cron_poll_delivery_status()
        self.assertEqual(self.sms.state, "sent")
        self._push(self.fake.status_callback(self.sms_id, self.phone, SMSC_UNDELIVERABLE))
        self.sms._sms_notify_apply_delivery("error", "sms_rejected", reason="late report")
        self.sms.invalidate_recordset()
        self.assertRecordValues(self.sms, [{"state": "sent", "failure_type": False}])
        self.assertEqual(self.sms.mail_message_id.notification_ids.notification_status, "sent")
        self.assertFalse(self.releases)


@tagged("post_install", "-at_install")
class TestReportsMatchTheNumber(ReportTrustCommon):
    def test_polled_status_with_the_phone_without_plus_is_applied(self):
        self.fake.set_status(self.sms_id, self.phone, SMSC_DELIVERED)
        self.env["sms.sms"]._cron_poll_delivery_status()
        [status_answer] = self.fake.requests_to("/sys/status.php")
        self.assertTrue(status_answer)
        self.assertEqual(self.sms.state, "sent")

    def test_callback_with_the_phone_in_another_spelling_is_applied(self):
        form = self.fake.status_callback(self.sms_id, self.phone, SMSC_UNDELIVERABLE)
        self.assertEqual(form["phone"], "79123456789", "SMSC writes the phone without +")
        form["phone"] = "7 912 345-67-89"
        self.assertEqual(self._push(form).status_code, 200)
        self.sms.invalidate_recordset()
        self.assertRecordValues(self.sms, [{"state": "error", "failure_type": "sms_not_delivered"}])


@tagged("post_install", "-at_install")
class TestWebhookSecretNotLogged(ReportTrustCommon):
    def test_the_secret_is_masked_in_the_request_log(self):
        secret = self.gateway.webhook_secret
        form = self.fake.status_callback(self.sms_id, self.phone, SMSC_DELIVERED)
        with _RecordsOf("werkzeug") as log:
            self.assertEqual(self._push(form).status_code, 200)
            # the server logs the request line while it answers
            deadline = time.monotonic() + 5
            while not any("/sms_notify/report/" in m for m in log.messages):
                self.assertLess(time.monotonic(), deadline, "the request was never logged")
                time.sleep(0.05)
        self.sms.invalidate_recordset()
        self.assertEqual(self.sms.state, "sent", "the report was applied")
        self.assertTrue(
            any(f"/sms_notify/report/{self.gateway.id}/***" in m for m in log.messages),
            log.messages,
        )
        self.assertFalse([m for m in log.messages if secret in m])


@tagged("post_install", "-at_install")
class TestOversizedReports(ReportTrustCommon):
    def _assert_refused(self, response):
        self.assertEqual(response.status_code, 400)
        self.sms.invalidate_recordset()
        self.assertRecordValues(self.sms, [{"state": "pending"}])
        self.assertFalse(self.releases)

    def test_smsc_report_with_oversized_fields_is_a_bad_request(self):
        for field, value in (("phone", "7" * 33), ("id", "1" * 65), ("err", "9" * 2000)):
            with self.subTest(field=field), self.assertNoLogs("odoo", level="ERROR"):
                form = self.fake.status_callback(self.sms_id, self.phone, SMSC_UNDELIVERABLE)
                form[field] = value
                self._assert_refused(self._push(form))

    def test_oversized_body_is_a_bad_request(self):
        form = self.fake.status_callback(self.sms_id, self.phone, SMSC_UNDELIVERABLE)
        form["padding"] = "x" * 70_000
        with self.assertNoLogs("odoo", level="ERROR"):
            self._assert_refused(self._push(form))


@tagged("post_install", "-at_install")
class TestOversizedTwilioReports(SmscGatewayCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.twilio = cls.enterClassContext(FakeTwilio())
        cls.gateway.active = False
        cls.twilio_gateway = cls._create_gateway(
            "twilio",
            base_url=cls.twilio.url,
            account_sid=cls.twilio.account_sid,
            password=cls.twilio.auth_token,
            sender="+15005550006",
        )

    def test_signed_callback_with_an_oversized_sid_is_a_bad_request(self):
        self.env["ir.config_parameter"].sudo().set_param("web.base.url", self.base_url())
        sms = self._sms_of(self._post_sms(self.customer, "Your order has left"))
        url, params, _headers = self.twilio.status_callback(sms.gateway_reference, "undelivered")
        params["To"] = "+1" + "5" * 40
        headers = {"X-Twilio-Signature": compute_signature(self.twilio.auth_token, url, params)}
        with self.assertNoLogs("odoo", level="ERROR"):
            status, _body = post_status_callback(url, params, headers)
        self.assertEqual(status, 400)
        sms.invalidate_recordset()
        self.assertEqual(sms.state, "pending")
