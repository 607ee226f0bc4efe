"""Viber then SMS through the vendors: Vonage cascades itself in one request and reports
each channel by signed webhook; SMSC sends Viber and the suite sends the SMS."""

from datetime import datetime, timedelta
from urllib.parse import urlsplit

from freezegun import freeze_time

from odoo.tests import HttpCase, tagged

from .common import SmscGatewayCommon, SmsNotifyCommon
from .fakes.vonage import FakeVonage, post_status_callback

SMS_TEXT = "Anna Petrova: your glasses are ready."
START = datetime(2026, 12, 3, 10, 0, 0)


class ViberNotifyMixin:
    @classmethod
    def _viber_template(cls, **values):
        return cls.env["sms.template"].create(
            {
                "name": "Glasses ready",
                "model_id": cls.env.ref("base.model_res_partner").id,
                "body": "{{ object.name }}: your glasses are ready.",
                "viber_body": "{{ object.name }}: your glasses are ready, come by until 8 pm.",
                "delivery_mode": "viber_sms",
                "viber_wait_minutes": 10,
                **values,
            }
        )

    def _notify(self, customer, template):
        self._composer_on(customer, template_id=template.id).action_send_sms()
        self.env["sms.sms"]._process_queue()
        return self.env["sms.sms"].search([("partner_id", "=", customer.id)], order="id")


@tagged("post_install", "-at_install")
class TestVonageCascade(ViberNotifyMixin, SmsNotifyCommon, HttpCase):
    """Vonage gets the Viber message with its SMS as failover, sends the SMS itself when
    Viber rejects the message or lets it expire, and reports both channels."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.template = cls._viber_template()

    def setUp(self):
        super().setUp()
        # a fresh Vonage in every test: it remembers its messages and who has Viber
        self.fake = self.enterContext(FakeVonage())
        self.gateway = self._create_gateway(
            "vonage",
            base_url=self.fake.url,
            api_key=self.fake.api_key,
            password=self.fake.api_secret,
            signature_secret=self.fake.signature_secret,
            sender="OPTICS",
            viber_sender="16273",
        )
        self.env["ir.config_parameter"].sudo().set_param("web.base.url", self.base_url())
        self.customer.mobile = "+7 912 345-67-89"

    def _report(self, message_uuid):
        status, _body = post_status_callback(*self.fake.status_callback(message_uuid))
        self.assertEqual(status, 200)
        self.env.invalidate_all()

    def _workflow(self, viber):
        return self.fake.workflow(viber.cascade_reference)

    def test_the_sms_goes_with_the_viber_message_in_one_request(self):
        [viber] = self._notify(self.customer, self.template)
        self.assertRecordValues(
            viber, [{"channel": "viber", "state": "pending", "gateway_id": self.gateway.id}]
        )
        self.assertTrue(viber.cascade_reference, "the vendor's workflow is kept")
        self.assertFalse(viber.cascade_deadline, "Vonage keeps the wait itself")
        [request] = [record["request"] for record in self._workflow(viber)]
        self.assertEqual(request["channel"], "viber_service")
        self.assertIn("until 8 pm", request["text"])
        self.assertEqual(request["viber_service"]["ttl"], 600, "the wait the user set")
        [failover] = request["failover"]
        self.assertEqual((failover["channel"], failover["text"]), ("sms", SMS_TEXT))

    def test_not_a_viber_user_gets_the_vendor_s_sms_reported_per_channel(self):
        self.fake.not_viber_users.add("79123456789")
        [viber] = self._notify(self.customer, self.template)
        first, second = self._workflow(viber)
        self.assertEqual((first["channel"], second["channel"]), ("viber_service", "sms"))
        self._report(first["message_uuid"])
        self.assertEqual(viber.state, "error")
        sms = viber.cascade_fallback_ids
        self.assertRecordValues(
            sms,
            [
                {
                    "channel": "sms",
                    "state": "pending",
                    "gateway_id": self.gateway.id,
                    "body": SMS_TEXT,
                    "cascade_reference": viber.cascade_reference,
                }
            ],
        )
        self.fake.advance(second["message_uuid"], "delivered")
        self._report(second["message_uuid"])
        self.assertEqual(sms.state, "sent")
        self.assertEqual(sms.gateway_reference, second["message_uuid"])
        notification = self.env["mail.notification"].search(
            [("mail_message_id", "=", viber.mail_message_id.id)]
        )
        self.assertEqual(notification.sms_id_int, sms.id)
        self.assertEqual(notification.notification_status, "sent")
        self.env["sms.sms"]._process_queue()
        self.assertEqual(
            len(self.fake.messages), 2, "the suite sends nothing of its own after Vonage's SMS"
        )

    def test_an_sms_report_before_viber_s_creates_the_sms_once(self):
        self.fake.not_viber_users.add("79123456789")
        [viber] = self._notify(self.customer, self.template)
        first, second = self._workflow(viber)
        self.fake.advance(second["message_uuid"], "delivered")
        self._report(second["message_uuid"])
        sms = viber.cascade_fallback_ids
        self.assertEqual(sms.state, "sent")
        self._report(first["message_uuid"])
        self.assertEqual(viber.state, "error")
        self.assertEqual(viber.cascade_fallback_ids, sms, "no second SMS")

    def test_viber_delivered_sends_no_sms(self):
        [viber] = self._notify(self.customer, self.template)
        [first] = self._workflow(viber)
        self.fake.advance(first["message_uuid"], "delivered")
        self._report(first["message_uuid"])
        self.assertEqual(viber.state, "sent")
        self.assertFalse(viber.cascade_fallback_ids)

    def test_viber_not_delivered_within_the_wait_gets_the_vendor_s_sms(self):
        [viber] = self._notify(self.customer, self.template)
        sms_record = self.fake.expire(viber.cascade_reference)
        first = self._workflow(viber)[0]
        self._report(first["message_uuid"])
        self._report(sms_record["message_uuid"])
        self.assertEqual(viber.state, "error")
        self.assertEqual(viber.failure_type, "sms_expired")
        self.assertEqual(viber.cascade_fallback_ids.state, "pending")

    def test_viber_undeliverable_gets_the_suite_s_own_sms_as_vonage_sends_none(self):
        [viber] = self._notify(self.customer, self.template)
        [first] = self._workflow(viber)
        self.fake.advance(first["message_uuid"], "undeliverable")
        self._report(first["message_uuid"])
        self.assertEqual(viber.state, "error")
        sms = viber.cascade_fallback_ids
        self.assertEqual(sms.state, "outgoing", "queued by the suite, not left to Vonage")
        self.env["sms.sms"]._process_queue()
        self.assertEqual(sms.state, "pending")
        sent = [record for record in self.fake.messages.values() if record["channel"] == "sms"]
        self.assertEqual(len(sent), 1, "one SMS")
        self.assertEqual(sent[0]["request"]["text"], SMS_TEXT)
        self.assertNotIn("failover", sent[0]["request"])

    def test_a_viber_message_vonage_may_hold_gets_no_sms_of_the_suite(self):
        """Sending was interrupted: Vonage may hold the Viber message, and with it its own
        SMS; the suite sends none of its own rather than a second one."""
        # an answer of Vonage's servers failing: the request may have gone through
        self.fake.fail("http_500")
        [viber] = self._notify(self.customer, self.template)
        self.assertEqual(viber.state, "process", "maybe sent: kept until known")
        viber.claimed_datetime = viber.claimed_datetime - timedelta(hours=1)
        self.env["sms.sms"]._process_queue()
        self.assertEqual(viber.state, "error")
        self.assertFalse(viber.cascade_fallback_ids)

    def test_a_forged_report_creates_no_sms(self):
        self.fake.not_viber_users.add("79123456789")
        [viber] = self._notify(self.customer, self.template)
        second = self._workflow(viber)[1]
        status, _body = post_status_callback(
            *self.fake.forged_status_callback(second["message_uuid"])
        )
        self.assertEqual(status, 403)
        self.env.invalidate_all()
        self.assertFalse(viber.cascade_fallback_ids)


@tagged("post_install", "-at_install")
class TestSmscViberCascade(ViberNotifyMixin, SmscGatewayCommon, HttpCase):
    """SMSC sends the Viber message; its status report decides the SMS, which the suite
    sends through SMSC too."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.template = cls._viber_template()
        cls.gateway.viber_sender = "OPTICS-VIBER"

    def _push(self, form):
        return self.url_open(urlsplit(self.gateway.webhook_url).path, data=form)

    def test_not_a_viber_user_gets_the_sms_through_smsc(self):
        self.customer.mobile = "+7 912 345-67-89"
        self.fake.not_viber_users.add("79123456789")
        with freeze_time(START):
            [viber] = self._notify(self.customer, self.template)
        viber_requests = [r for r in self.fake.requests if r.path.endswith("send.php")]
        self.assertEqual(viber_requests[-1].params.get("viber"), "1")
        self.assertEqual(viber_requests[-1].params.get("sender"), "OPTICS-VIBER")
        sms_id, phone = viber.gateway_reference.split(":")
        self.fake.set_status(sms_id, phone, 20, err=21)
        self.assertEqual(self._push(self.fake.status_callback(sms_id, phone, 20)).status_code, 200)
        self.env.invalidate_all()
        self.assertEqual(viber.state, "error")
        sms = viber.cascade_fallback_ids
        self.assertEqual(sms.state, "outgoing")
        self.env["sms.sms"]._process_queue()
        self.assertEqual(sms.state, "pending")
        last = [r for r in self.fake.requests if r.path.endswith("send.php")][-1]
        self.assertNotIn("viber", last.params, "the SMS goes as an SMS")
        self.assertEqual(last.params.get("mes"), SMS_TEXT)

    def test_no_report_within_the_wait_sends_the_sms_through_smsc(self):
        self.customer.mobile = "+7 912 345-67-89"
        with freeze_time(START):
            [viber] = self._notify(self.customer, self.template)
        self.assertEqual(viber.cascade_deadline, START + timedelta(minutes=10))
        with freeze_time(START + timedelta(minutes=10)):
            self.env["sms.sms"]._process_queue()
        self.assertEqual(viber.cascade_fallback_ids.state, "pending")
