from odoo.tests import Form, tagged

from .common import SmscBillingCommon


@tagged("post_install", "-at_install")
class TestSendOutcomeBilled(SmscBillingCommon):
    """Under a tariff the sender is told what the send costs and the balance it leaves: the
    ledger's balance once the queue charged the messages."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.own = cls.env.ref("sms_notify_billing.sms_notify_tariff_own")
        cls.shared = cls.env.ref("sms_notify_billing.sms_notify_tariff_shared")
        cls.template = cls.env["sms.template"].create(
            {
                "name": "Glasses ready",
                "model_id": cls.env.ref("base.model_res_partner").id,
                "body": "Your glasses are ready.",
                "message_kind": "service",
                "operator_registered": True,
            }
        )

    def test_notify_tells_the_price_and_the_balance_the_charge_leaves(self):
        self._bill(self.own, topup=100)
        action = self.customer.action_sms_notify()
        form = Form(self.env["sms.notify.wizard"].with_context(**action["context"]))
        form.sms_template_id = self.template
        message = form.save().action_send()["params"]["message"]
        self.assertIn("SMS queued for sending: 1", message)
        # a registered service template's price under the own name: 8.80, not 9.60
        self.assertIn("8.80", message)
        currency = self.sms_balance.currency_id.name
        self.assertIn(f"Balance 100.00 {currency}, 91.20 {currency} after sending", message)
        self.assertAlmostEqual(self.sms_balance.balance, 100, places=2, msg="not charged yet")
        self.env["sms.sms"]._process_queue()
        self.sms_balance.invalidate_recordset(["balance"])
        self.assertAlmostEqual(self.sms_balance.balance, 91.2, places=2)

    def test_mass_send_charges_what_it_told(self):
        self._bill(self.shared, topup=50)
        other = self.env["res.partner"].create(
            {"name": "Boris Orlov", "mobile": "+7 912 000-00-01"}
        )
        nobody = self.env["res.partner"].create({"name": "Vera Sokolova"})
        composer = (
            self.env["sms.composer"]
            .with_context(
                active_model="res.partner", active_ids=(self.customer | other | nobody).ids
            )
            .create({"composition_mode": "mass", "body": "Your glasses are ready."})
        )
        composer.action_send_sms()
        [cost] = composer.sms_notify_outcome["costs"]
        # shared name: 9.80 per part, two customers with a number
        self.assertEqual(
            (cost["billed"], cost["total"], cost["currency"]),
            (True, 19.6, self.sms_balance.currency_id.name),
        )
        self.assertAlmostEqual(cost["balance_after"], 30.4, places=2)
        self.env["sms.sms"]._process_queue()
        self.sms_balance.invalidate_recordset(["balance"])
        self.assertAlmostEqual(self.sms_balance.balance, cost["balance_after"], places=2)
