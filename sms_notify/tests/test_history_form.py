"""A customer message opened from the history or the statistics: what it was about, how it
went and why it failed; the sandbox's messages counted apart from those really delivered."""

from odoo.tests import Form, tagged

from .common import SmscGatewayCommon

SMSC_DELIVERED = 1
SMSC_UNDELIVERABLE = 20
FORM = "sms_notify.sms_notify_message_view_form"


@tagged("post_install", "-at_install")
class TestHistoryForm(SmscGatewayCommon):
    gateway_values = {**SmscGatewayCommon.gateway_values, "number_prefixes": "+48"}

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Polish numbers go through SMSC, Russian ones to the sandbox
        cls.sandbox = cls._create_gateway(
            "sandbox", sequence=2, number_prefixes="+7", sandbox_delivery_delay=0
        )
        # the document the messages are about: any record with a chatter
        cls.order = cls.env["res.partner"].create({"name": "Order S00042", "is_company": True})

    def _history(self, sms):
        self.env.flush_all()
        return self.env["sms.notify.message"].search([("sms_id", "=", sms.id)])

    def _report(self, sms, smsc_status):
        sms_id, phone = sms.gateway_reference.split(":")
        self.fake.set_status(sms_id, phone, smsc_status)
        self.env["sms.sms"]._cron_poll_delivery_status()

    def test_message_opens_on_its_document_gateway_cost_and_plain_failure(self):
        sms = self._sms_of(self._post_sms(self.order, "Заказ готов", numbers=["+48600700001"]))
        self._report(sms, SMSC_UNDELIVERABLE)
        message = self._history(sms)
        self.assertRecordValues(
            message,
            [
                {
                    "document": self.order,
                    "status": "not_delivered",
                    "failure_type": "sms_not_delivered",
                    "gateway_id": self.gateway.id,
                    "encoding": "ucs2",
                    "segments": 1,
                    "currency_id": self.env.company.currency_id.id,
                }
            ],
        )
        self.assertTrue(message.sent_datetime)
        self.assertTrue(message.status_datetime)

        form = Form(message, view=FORM)
        self.assertEqual(form.currency_id, self.env.company.currency_id)
        self.assertEqual(form.gateway_id, self.gateway)
        self.assertAlmostEqual(form.vendor_cost, 1.4)
        # the operator's words, and what they mean for the shop
        self.assertIn("cannot be delivered", form.failure_reason)
        self.assertIn("could not deliver the message to the phone", form.failure_explanation)
        self.assertFalse(form._get_modifier("failure_type", "invisible"))
        self.assertFalse(form._get_modifier("document", "invisible"))

    def test_delivered_message_has_no_failure_to_explain(self):
        sms = self._sms_of(self._post_sms(self.order, "Order ready", numbers=["+48600700002"]))
        self._report(sms, SMSC_DELIVERED)
        form = Form(self._history(sms), view=FORM)
        self.assertEqual(form.status, "delivered")
        self.assertEqual(form.encoding, "gsm7")
        self.assertFalse(form.failure_explanation)

    def test_customer_message_names_the_customer(self):
        sms = self._sms_of(self._post_sms(self.customer, "Glasses ready"))
        self.assertRecordValues(
            self._history(sms),
            [{"partner_id": self.customer.id, "recipient_name": "Anna Petrova"}],
        )

    def test_sandbox_messages_read_sandbox_whatever_it_reported(self):
        """The sandbox plays the operator: its "delivered" and "not delivered" never reached
        a phone. The SMS keep the states the queue and reports work with."""
        kept = self._sms_of(self._post_sms(self.order, "Order ready", numbers=["+79123450001"]))
        failed = self._sms_of(self._post_sms(self.order, "Order ready", numbers=["+79123450000"]))
        self.assertEqual((kept | failed).gateway_id, self.sandbox)
        self.assertEqual(self._history(kept).status, "sandbox", "accepted, waiting for its report")

        self.env["sms.sms"]._cron_sandbox_delivery_reports()
        self.assertRecordValues(kept | failed, [{"state": "sent"}, {"state": "error"}])
        self.assertRecordValues(
            self._history(kept) | self._history(failed),
            [
                {"status": "sandbox", "failure_type": False},
                {"status": "sandbox", "failure_type": "sms_not_delivered"},
            ],
        )
        # the SMS History's filters and badge follow the same rule
        real = self._sms_of(self._post_sms(self.order, "Order ready", numbers=["+48600700004"]))
        self._report(real, SMSC_DELIVERED)
        sent = kept | failed | real
        self.assertEqual(sent.mapped("sms_notify_sandbox"), [True, True, False])
        self.assertEqual(
            self.env["sms.sms"].search([("id", "in", sent.ids), ("sms_notify_sandbox", "=", True)]),
            kept | failed,
        )
        self.assertEqual(
            self.env["sms.sms"].search(
                [("id", "in", sent.ids), ("state", "=", "sent"), ("sms_notify_sandbox", "=", False)]
            ),
            real,
        )

    def test_statistics_count_the_sandbox_apart_from_delivered(self):
        real = self._sms_of(self._post_sms(self.order, "Order ready", numbers=["+48600700003"]))
        self._report(real, SMSC_DELIVERED)
        self._post_sms(self.order, "Order ready", numbers=["+79123450002"])
        self.env["sms.sms"]._cron_sandbox_delivery_reports()
        self.env.flush_all()
        groups = self.env["sms.notify.message"].read_group(
            [("document", "=", f"res.partner,{self.order.id}")], ["status"], ["status"]
        )
        self.assertEqual(
            {group["status"]: group["status_count"] for group in groups},
            {"delivered": 1, "sandbox": 1},
        )
        labels = dict(self.env["sms.notify.message"]._fields["status"].selection)
        self.assertEqual(labels["sandbox"], "Sandbox (not sent)")

    def test_statistics_open_on_the_delivery_chart_per_day_and_status(self):
        action = self.env.ref("sms_notify.sms_notify_message_action_statistics")
        self.assertEqual(action.view_mode.split(",")[0], "graph")
        self.assertEqual(self.env.ref("sms_notify.sms_notify_message_menu").action, action)
        arch = self.env["sms.notify.message"].get_views([(False, "graph")])["views"]["graph"][
            "arch"
        ]
        self.assertIn('name="date" interval="day"', arch)
        self.assertIn('name="status"', arch)
        # the history the contact's button and a mailing's results open stays a list
        history = self.env.ref("sms_notify.sms_notify_message_action")
        self.assertEqual(history.view_mode.split(",")[:2], ["list", "form"])
