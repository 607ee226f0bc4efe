"""Viber under the tariff: one message at the Viber price of its kind, charged when Viber
delivers it; the SMS that follows is charged per part on top; the preview gives the worst
case and the expected cost."""

from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo.tests import tagged

from .common import BillingCommon

START = datetime(2026, 12, 3, 10, 0, 0)


@tagged("post_install", "-at_install")
class TestViberMoney(BillingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.gateway = cls._create_gateway("sandbox", sandbox_delivery_delay=5)
        cls.tariff = cls.env["sms.notify.tariff"].create(
            {
                "name": "Viber and SMS",
                "tariff_type": "shared",
                "price_per_message": 4.2,
                "price_viber_service": 1.1,
                "price_viber_advertising": 1.7,
            }
        )
        cls._bill(cls.tariff, topup=100)
        cls.template = cls.env["sms.template"].create(
            {
                "name": "Glasses ready",
                "model_id": cls.env.ref("base.model_res_partner").id,
                "body": "Your glasses are ready.",
                "delivery_mode": "viber_sms",
                "viber_wait_minutes": 10,
            }
        )

    def _composer(self, customer):
        return self._composer_on(customer, template_id=self.template.id)

    def _customer(self, mobile):
        return self.env["res.partner"].create(
            {"name": "Anna", "mobile": mobile, "country_id": self.env.ref("base.ru").id}
        )

    def _send(self, customer):
        with freeze_time(START):
            self._composer(customer).action_send_sms()
            self.env["sms.sms"]._process_queue()
        return self.env["sms.sms"].search([("partner_id", "=", customer.id)])

    def _reports(self, at):
        with freeze_time(at):
            self.env["sms.sms"]._cron_sandbox_delivery_reports()
            self.env["sms.sms"]._process_queue()

    def test_delivered_viber_costs_the_viber_price_only(self):
        viber = self._send(self._customer("+7 912 345-67-89"))
        self.assertEqual(viber.price, 1.1)
        self._reports(START + timedelta(seconds=5))
        self.assertEqual(viber.state, "sent")
        self.assertEqual(self.sms_balance.balance, 98.9)
        debit = self._new_movements().filtered(lambda line: line.kind == "debit")
        self.assertIn("Viber", debit.name)

    def test_undelivered_viber_is_refunded_and_its_sms_charged_per_part(self):
        viber = self._send(self._customer("+7 912 345-11-11"))
        self._reports(START + timedelta(seconds=5))
        self.assertEqual(viber.state, "error")
        self.assertEqual(viber.price, 0, "Viber is paid only when delivered")
        sms = viber.cascade_fallback_ids
        self.assertEqual(sms.state, "pending")
        self.assertEqual(sms.price, 4.2)
        self.assertAlmostEqual(self.sms_balance.balance, 95.8)

    def test_preview_gives_the_worst_case_then_the_expected_cost(self):
        customer = self._customer("+7 912 345-67-89")
        summary = self._composer(customer).sms_notify_cost_summary
        self.assertIn("at most 5.30", summary, "1.10 for Viber and 4.20 for its SMS")
        self.assertIn("once Viber has delivered", summary, "no history to expect from yet")
        # three of four Viber messages of the company were delivered lately
        for number in ("+7 912 000-00-01", "+7 912 000-00-02", "+7 912 000-00-03"):
            self._send(self._customer(number))
        self._send(self._customer("+7 912 000-11-11"))
        self._reports(START + timedelta(seconds=5))
        summary = self._composer(customer).sms_notify_cost_summary
        # 1.10 x 0.75 + 4.20 x 0.25
        self.assertIn("Expected: 1.88", summary)
        self.assertIn("75%", summary)

    def test_the_sms_after_a_registered_service_template_keeps_its_price(self):
        viber = (
            self.env["sms.sms"]
            .with_context(
                sms_notify_delivery={"mode": "viber_sms", "wait": 600},
                sms_notify_message_kind="service",
                sms_notify_operator_registered=True,
            )
            .create({"number": "+79123451111", "body": "Your glasses are ready."})
        )
        self.assertTrue(viber.operator_registered)
        # its SMS is created later, by the queue or a report, without that context
        sms = self.env["sms.sms"].browse(viber.id)._sms_notify_fall_back()
        self.assertTrue(sms.operator_registered, "priced as the registered service template")
