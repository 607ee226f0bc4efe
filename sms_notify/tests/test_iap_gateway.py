import json

from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .common import SmsNotifyCommon, iap_accept_all, iap_endpoint, iap_unreachable


@tagged("post_install", "-at_install")
class TestIapGateway(SmsNotifyCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.iap = cls._create_gateway("iap")

    def test_iap_gateway_keeps_history_with_credit_as_cost(self):
        with iap_endpoint(self.env, iap_accept_all) as calls:
            message = self._post_sms(self.customer, "Your order is ready")
        self.assertEqual(len(calls), 1)
        sms = self._sms_of(message)
        self.assertRecordValues(
            sms,
            [
                {
                    "gateway_id": self.iap.id,
                    "state": "pending",
                    "vendor_cost": 1.0,
                    "gateway_reference": sms.uuid,
                    "to_delete": False,
                    "segments": 1,
                }
            ],
        )

    def test_iap_refusal_keeps_failure_type_and_reason(self):
        def refuse(path, params):
            return [
                {"uuid": number["uuid"], "state": "wrong_number_format"}
                for message in params["messages"]
                for number in message["numbers"]
            ]

        with iap_endpoint(self.env, refuse):
            message = self._post_sms(self.customer, "Hello")
        self.assertRecordValues(
            self._sms_of(message),
            [
                {
                    "state": "error",
                    "failure_type": "sms_number_format",
                    "gateway_error": "wrong_number_format",
                }
            ],
        )
        self.assertEqual(message.notification_ids.notification_status, "exception")

    def test_message_without_answer_fails_instead_of_waiting_forever(self):
        """A message the gateway did not answer for is failed, not left queued to be resent."""

        def answer_first_only(path, params):
            return iap_accept_all(path, params)[:1]

        second = self.customer.copy({"name": "Katarzyna Nowak", "phone": "+48 601 234 567"})
        partners = self.customer | second
        with iap_endpoint(self.env, answer_first_only):
            message = self.customer._message_sms("Hello both", partner_ids=partners.ids)
            self.env["sms.sms"]._process_queue()
        sms = self._sms_of(message)
        self.assertEqual(sorted(sms.mapped("state")), ["error", "pending"])
        self.assertEqual(sms.filtered(lambda s: s.state == "error").failure_type, "unknown")

    @mute_logger("odoo.addons.iap.tools.iap_tools", "odoo.tools.translate")
    def test_outage_fails_the_batch_and_loses_nothing(self):
        # Odoo's IAP call raises its own error, not a gateway answer: logged with its traceback
        with (
            iap_unreachable(self.env),
            self.assertLogs("odoo.addons.sms_notify.models", "ERROR"),
        ):
            message = self._post_sms(self.customer, "Nobody listens")
        sms = self._sms_of(message)
        self.assertRecordValues(
            sms, [{"state": "error", "failure_type": "sms_server", "gateway_id": self.iap.id}]
        )
        self.assertIn("/api/sms/3/send", sms.gateway_error, "the user sees where it failed")
        self.assertEqual(sms.body, "Nobody listens", "the message is kept to be resent")

    def test_iap_delivery_report_updates_kept_history(self):
        with iap_endpoint(self.env, iap_accept_all):
            message = self._post_sms(self.customer, "Delivered?")
        sms = self._sms_of(message)
        response = self.url_open(
            "/sms/status",
            data=json.dumps(
                {
                    "jsonrpc": "2.0",
                    "params": {
                        "message_statuses": [{"sms_status": "delivered", "uuids": [sms.uuid]}]
                    },
                }
            ),
            headers={"Content-Type": "application/json"},
        )
        self.assertEqual(response.json().get("result"), "OK")
        sms.invalidate_recordset()
        self.assertEqual(sms.state, "sent")
        self.assertTrue(sms.status_datetime)
        self.assertEqual(message.notification_ids.notification_status, "sent")
