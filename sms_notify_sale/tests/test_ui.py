from odoo.tests import HttpCase, new_test_user, tagged

from odoo.addons.sms_notify.tests.tours import RussianTourCase


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


@tagged("post_install", "-at_install", "sms_notify_tour_ru")
class TestRussianOpticianTour(RussianTourCase):
    """An optician in Russia, in Chromium with the interface in Russian."""

    def test_salesperson_tells_the_customer_the_glasses_are_ready(self):
        """A salesperson (not an administrator) opens a ready order and sends the ready-order
        SMS from Notify: buttons, title and template in Russian, the text in the customer's
        language."""
        self.env["sms.notify.gateway"].search([]).action_archive()
        self.env["sms.notify.gateway"].create({"name": "Tour sandbox", "gateway_type": "sandbox"})
        salesperson = new_test_user(
            self.env,
            login="tour_optician",
            groups="sales_team.group_sale_salesman,sms_notify.group_sms_notify_send_ready",
            lang="ru_RU",
            notification_type="email",
        )
        team = self.env["crm.team"].create(
            {"name": "Оптика на Невском", "member_ids": [(4, salesperson.id)]}
        )
        customer = self.env["res.partner"].create(
            {
                "name": "Ирина Смирнова",
                "mobile": "+7 912 345-67-89",
                "country_id": self.env.ref("base.ru").id,
                "lang": "ru_RU",
            }
        )
        product = self.env["product.product"].create({"name": "Оправа", "type": "consu"})
        order = self.env["sale.order"].create(
            {
                "partner_id": customer.id,
                "user_id": salesperson.id,
                "team_id": team.id,
                "order_line": [(0, 0, {"product_id": product.id, "product_uom_qty": 1})],
            }
        )
        order.company_id.sms_notify_sale_ready = "confirmed"
        order.action_confirm()

        self.start_tour(f"/odoo/sales/{order.id}", "sms_notify_sale_ru_tour", login="tour_optician")

        sms = self.env["sms.sms"].search([("partner_id", "=", customer.id)])
        self.assertEqual(len(sms), 1)
        self.assertIn(f"ваш заказ {order.name}", sms.body)
        self.assertEqual(sms.create_uid, salesperson)
        self.assertEqual(self.screens, ["sms_notify_sale/notify_ready_order"])
