from odoo.tests import new_test_user, tagged

from odoo.addons.sms_notify.tests.common import ReadyFilterCase

SEARCH_VIEW = "sale.sale_order_view_search_inherit_sale"


@tagged("post_install", "-at_install")
class TestReadyToNotifyFilter(ReadyFilterCase):
    """ "Ready to Notify" on sale orders lists exactly the orders whose Notify button shows to
    the user: ready as the company defines it, of a department they notify for."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.sms_notify_sale_ready = "confirmed"
        cls.seller = new_test_user(
            cls.env,
            login="ready_seller",
            groups="sales_team.group_sale_salesman,sms_notify.group_sms_notify_send_ready",
        )
        cls.manager = new_test_user(
            cls.env,
            login="ready_manager",
            groups="sales_team.group_sale_salesman,"
            "sms_notify.group_sms_notify_notification_manager",
        )
        cls.plain_seller = new_test_user(
            cls.env, login="ready_plain", groups="sales_team.group_sale_salesman"
        )
        own_shop = cls.env["crm.team"].create({"name": "Own Shop", "member_ids": [cls.seller.id]})
        led_shop = cls.env["crm.team"].create({"name": "Led Shop", "user_id": cls.seller.id})
        other_shop = cls.env["crm.team"].create({"name": "Other Shop"})
        customer = cls.env["res.partner"].create({"name": "Anna", "phone": "+48 600 100 200"})
        product = cls.env["product.product"].create({"name": "Lens", "type": "consu"})

        def order(team, confirm=True):
            record = cls.env["sale.order"].create(
                {
                    "partner_id": customer.id,
                    "team_id": team.id,
                    # salespeople read their own orders and those of nobody
                    "user_id": False,
                    "order_line": [(0, 0, {"product_id": product.id, "product_uom_qty": 1})],
                }
            )
            if confirm:
                record.action_confirm()
            return record

        cls.own_ready = order(own_shop)
        cls.led_ready = order(led_shop)
        cls.own_quotation = order(own_shop, confirm=False)
        cls.other_ready = order(other_shop)
        cls.teamless_ready = order(own_shop)
        cls.teamless_ready.team_id = False
        cls.orders = (
            cls.own_ready | cls.led_ready | cls.own_quotation | cls.other_ready | cls.teamless_ready
        )

    def _button_shown(self, user, records):
        return records.filtered(lambda order: order.sms_notify_ready and order.sms_notify_allowed)

    def test_salesperson_sees_ready_orders_of_their_departments(self):
        self.assertFilterListsTheButtons(
            self.seller,
            SEARCH_VIEW,
            self.orders,
            self.own_ready | self.led_ready | self.teamless_ready,
        )

    def test_manager_sees_ready_orders_of_every_department(self):
        self.assertFilterListsTheButtons(
            self.manager,
            SEARCH_VIEW,
            self.orders,
            self.own_ready | self.led_ready | self.other_ready | self.teamless_ready,
        )

    def test_readiness_follows_the_company_setting(self):
        # delivered: nothing is delivered yet, so no order is ready and no button shows
        self.env.company.sms_notify_sale_ready = "delivered"
        self.assertFilterListsTheButtons(
            self.manager, SEARCH_VIEW, self.orders, self.env["sale.order"]
        )

    def test_filter_is_not_offered_without_the_right_to_notify(self):
        self.assertIsNone(self._ready_filter_results(self.plain_seller, SEARCH_VIEW, self.orders))
        # and searched for by hand, it lists nothing
        self.assertFalse(
            self.env["sale.order"]
            .with_user(self.plain_seller)
            .search([("sms_notify_allowed", "=", True), ("id", "in", self.orders.ids)])
        )

    def test_negated_search_lists_the_other_orders(self):
        hidden = (
            self.env["sale.order"]
            .with_user(self.seller)
            .search([("sms_notify_allowed", "=", False), ("id", "in", self.orders.ids)])
        )
        self.assertEqual(hidden, self.other_ready.with_user(self.seller))
