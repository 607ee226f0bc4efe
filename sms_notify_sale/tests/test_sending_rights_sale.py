from odoo.exceptions import UserError
from odoo.tests import tagged

from odoo.addons.sms_notify.tests.test_sending_rights import SendingRightsCommon


@tagged("post_install", "-at_install")
class TestSendingRightsOnOrders(SendingRightsCommon):
    """Odoo's SMS composer on a sale order needs what Notify needs: the right to send
    order-ready notifications, for the order's department (sales team)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.card_sender.groups_id = [(4, cls.env.ref("sales_team.group_sale_salesman").id)]
        cls.salesperson = cls._user(
            "snd_seller",
            "sales_team.group_sale_salesman,sms_notify.group_sms_notify_send_ready",
        )
        cls.own_team = cls.env["crm.team"].create(
            {"name": "New Shop", "member_ids": [(4, cls.salesperson.id)]}
        )
        cls.other_team = cls.env["crm.team"].create({"name": "Old Shop"})
        product = cls.env["product.product"].create({"name": "Lens CR-39", "type": "consu"})
        cls.order = cls.env["sale.order"].create(
            {
                "partner_id": cls.customer.id,
                "team_id": cls.own_team.id,
                # a salesperson reads their own orders and those of nobody
                "user_id": False,
                "order_line": [(0, 0, {"product_id": product.id, "product_uom_qty": 1})],
            }
        )
        cls.order.company_id.sms_notify_sale_ready = "confirmed"
        cls.order.action_confirm()

    def _on_order(self):
        return {"active_model": "sale.order", "active_id": self.order.id}

    def test_card_right_alone_does_not_send_from_an_order(self):
        self._assert_refused(
            "may not notify customers about their orders",
            self.card_sender,
            {"body": "Your order is ready."},
            self._on_order(),
        )
        self.assertFalse(self._messages())

    def test_order_ready_right_sends_for_the_own_department_only(self):
        self._compose(self.salesperson, {"body": "Your order is ready."}, self._on_order())
        [sms] = self._messages()
        self.assertRecordValues(sms, [{"partner_id": self.customer.id, "message_kind": "service"}])
        self.order.team_id = self.other_team
        self._assert_refused(
            "Old Shop", self.salesperson, {"body": "Your order is ready."}, self._on_order()
        )
        self.assertEqual(self._messages(), sms)

    def test_order_ready_right_sends_for_ready_orders_only(self):
        self.order.company_id.sms_notify_sale_ready = "delivered"
        self._assert_refused(
            "not ready yet", self.salesperson, {"body": "Your order is ready."}, self._on_order()
        )
        # nor through Notify's dialog created by hand, without its button
        wizard = (
            self.env["sms.notify.wizard"]
            .with_user(self.salesperson)
            .create({"res_model": "sale.order", "res_id": self.order.id, "sms_body": "Ready"})
        )
        with self.assertRaisesRegex(UserError, "not ready yet"):
            wizard.action_send()
        self.assertFalse(self._messages())
