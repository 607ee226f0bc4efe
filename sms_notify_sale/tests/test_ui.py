from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestNotifyTour(HttpCase):
    def test_notify_a_ready_order_from_the_browser(self):
        """In Chromium: a ready order's Notify button sends the SMS, which then shows in the
        order's chatter and in the customer's SMS history."""
        self.env["sms.notify.gateway"].search([]).action_archive()
        self.env["sms.notify.gateway"].create({"name": "Tour sandbox", "gateway_type": "sandbox"})
        customer = self.env["res.partner"].create(
            {"name": "Tour Customer", "mobile": "+48 601 234 567"}
        )
        product = self.env["product.product"].create({"name": "Frame", "type": "consu"})
        order = self.env["sale.order"].create(
            {
                "partner_id": customer.id,
                "order_line": [(0, 0, {"product_id": product.id, "product_uom_qty": 1})],
            }
        )
        order.company_id.sms_notify_sale_ready = "confirmed"
        order.action_confirm()
        self.start_tour(f"/odoo/sales/{order.id}", "sms_notify_sale_notify_tour", login="admin")
        sms = self.env["sms.sms"].search([("partner_id", "=", customer.id)])
        self.assertEqual(sms.body, "Your order is ready, welcome to Optika Nova!")
        self.assertEqual(order.message_ids[:1].message_type, "sms")
