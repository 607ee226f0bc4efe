from odoo.exceptions import UserError
from odoo.tests import tagged

from odoo.addons.sms_notify.tests.common import SmscGatewayCommon


@tagged("post_install", "-at_install")
class TestNotifySaleOrder(SmscGatewayCommon):
    """Notify on a sale order: offered once the order is ready as the company defines it, and
    refused before, through RPC as well."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        product = cls.env["product.product"].create({"name": "Frame Aimegi 25312", "type": "consu"})
        cls.order = cls.env["sale.order"].create(
            {
                "partner_id": cls.customer.id,
                "order_line": [(0, 0, {"product_id": product.id, "product_uom_qty": 1})],
            }
        )

    def _deliver(self):
        self.order.order_line.qty_delivered = self.order.order_line.product_uom_qty

    def test_delivered_order_is_ready_and_notified(self):
        self.order.action_confirm()
        self.assertFalse(self.order.sms_notify_ready)
        with self.assertRaisesRegex(UserError, "not ready yet"):
            self.order.action_sms_notify()
        self._deliver()
        self.assertTrue(self.order.sms_notify_ready)
        action = self.order.action_sms_notify()
        wizard = (
            self.env["sms.notify.wizard"]
            .with_context(**action["context"])
            .create({"sms_body": f"Your order {self.order.name} is ready."})
        )
        self.assertEqual(wizard.partner_id, self.customer)
        wizard.action_send()
        self.env["sms.sms"]._process_queue()
        self.assertEqual(
            self.fake.requests_to("/sys/send.php")[0].params["mes"],
            f"Your order {self.order.name} is ready.",
        )
        self.assertIn("is ready", self.order.message_ids[:1].body)

    def test_company_chooses_what_ready_means(self):
        self.order.company_id.sms_notify_sale_ready = "confirmed"
        self.assertFalse(self.order.sms_notify_ready, "a quotation is never ready")
        self.order.action_confirm()
        self.assertTrue(self.order.sms_notify_ready)
        self.order.company_id.sms_notify_sale_ready = "invoiced"
        self.order.invalidate_recordset(["sms_notify_ready"])
        self.assertFalse(self.order.sms_notify_ready)
