from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo.tests import tagged

from odoo.addons.sms_notify.tests.common import RulesCommon


@tagged("post_install", "-at_install")
class TestSaleRules(RulesCommon):
    """The shipped stages of an order (accepted, ready, left the shop, thank-you) notify the
    customer once switched on, and a cancelled order cancels what still waits."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.product = cls.env["product.product"].create(
            {"name": "Glasses made to order", "type": "service"}
        )
        cls.shop = cls.env["crm.team"].create({"name": "Optics shop"})

    def _order(self, **values):
        return self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "team_id": self.shop.id,
                "order_line": [(0, 0, {"product_id": self.product.id, "product_uom_qty": 1})],
                **values,
            }
        )

    def _switch_on(self, xmlid, **values):
        rule = self.env.ref(xmlid)
        self.assertFalse(rule.active, "shipped switched off")
        rule.write({"active": True, **values})
        # the orders of the test are created after the rule was switched on
        rule.enabled_since = datetime.now() - timedelta(hours=1)
        return rule

    def test_confirmed_then_ready_orders_are_notified_once_each(self):
        accepted = self._switch_on("sms_notify_sale.sms_notify_rule_order_accepted")
        ready = self._switch_on("sms_notify_sale.sms_notify_rule_order_ready")
        order = self._order()
        order.action_confirm()
        self._commit_point()
        self.assertEqual(len(self._scheduled(accepted)), 1)
        self.assertFalse(self._scheduled(ready), "not delivered yet")
        # handing the order over makes it ready: a stored state the rule sees change
        order.order_line.qty_delivered = 1
        self._commit_point()
        self.assertEqual(len(self._scheduled(ready)), 1)
        self._send_due()
        texts = self._sent_texts()
        self.assertEqual(len(texts), 2)
        self.assertIn(f"accepted your order {order.name}", texts[0])
        self.assertIn(f"your order {order.name} is ready", texts[1])
        # both logged in the order's chatter
        self.assertEqual(len(order.message_ids.filtered(lambda m: m.message_type == "sms")), 2)

    def test_left_the_shop_follows_delivery_not_the_ready_setting(self):
        left = self._switch_on("sms_notify_sale.sms_notify_rule_order_left")
        self.env.company.sms_notify_sale_ready = "confirmed"
        order = self._order()
        order.action_confirm()
        self.assertTrue(order.sms_notify_ready)
        self._commit_point()
        self.assertFalse(self._scheduled(left))
        order.order_line.qty_delivered = 1
        self._commit_point()
        self.assertEqual(self._scheduled(left).res_id, order.id)

    def test_cancelling_an_order_cancels_its_waiting_messages(self):
        self._switch_on("sms_notify_sale.sms_notify_rule_order_accepted", delay_minutes=60)
        order = self._order()
        order.action_confirm()
        self._commit_point()
        [scheduled] = self.env["sms.notify.scheduled"].search([("res_id", "=", order.id)])
        order._action_cancel()
        self.assertEqual(scheduled.state, "cancelled")
        self.assertEqual(scheduled.cancel_reason, "The order was cancelled.")
        # and it shows as Cancelled in the statistics of the rule
        self.assertEqual(scheduled.rule_id.scheduled_count, 0)

    def test_thank_you_goes_three_days_after_the_order(self):
        thanks = self._switch_on("sms_notify_sale.sms_notify_rule_order_thanks")
        with freeze_time("2027-03-01 10:00:00"):
            order = self._order()
            order.action_confirm()
            self._commit_point()
            [scheduled] = self._scheduled(thanks)
            self.assertEqual(scheduled.due_datetime, datetime(2027, 3, 4, 10, 0))
        with freeze_time("2027-03-04 09:59:00"):
            self._send_due()
            self.assertFalse(self._sent_texts())
        with freeze_time("2027-03-04 10:00:00"):
            self._send_due()
        self.assertIn("thank you for your order", self._sent_texts()[0])

    def test_department_filter_notifies_only_its_teams_orders(self):
        rule = self._switch_on(
            "sms_notify_sale.sms_notify_rule_order_accepted",
            team_ids=[(6, 0, self.shop.ids)],
        )
        other = self.env["crm.team"].create({"name": "Online"})
        mine, theirs = self._order(), self._order(team_id=other.id)
        (mine | theirs).action_confirm()
        self._commit_point()
        scheduled = self._scheduled(rule)
        self.assertEqual(scheduled.mapped("res_id"), mine.ids)
        self.assertEqual(scheduled.team_id, self.shop)

    def test_the_ready_made_rules_say_when_they_send(self):
        thanks = self.env.ref("sms_notify_sale.sms_notify_rule_order_thanks")
        self.assertEqual((thanks.delay_amount, thanks.delay_unit), (3, "days"))
        self.assertEqual(thanks.delay_minutes, 3 * 24 * 60)
        self.assertTrue(
            thanks.description.startswith(
                "3 days after Order Date of a Sales Order, if it meets the condition: "
                "Status is “Sales Order”"
            ),
            thanks.description,
        )
        accepted = self.env.ref("sms_notify_sale.sms_notify_rule_order_accepted")
        self.assertTrue(
            accepted.description.startswith("When a Sales Order reaches Status “Sales Order”"),
            accepted.description,
        )
