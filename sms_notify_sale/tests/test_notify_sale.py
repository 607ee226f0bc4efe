from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged

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

    def _open_notify(self, order=None):
        """Notify as the browser opens it: the dialog's defaults and onchanges."""
        action = (order or self.order).action_sms_notify()
        return Form(self.env["sms.notify.wizard"].with_context(**action["context"]))

    def test_ready_order_opens_notify_on_order_ready(self):
        self.customer.email = "anna@example.com"
        self.order.action_confirm()
        self._deliver()
        notify = self._open_notify()
        self.assertEqual(
            notify.sms_template_id, self.env.ref("sms_notify_sale.sms_template_order_ready")
        )
        self.assertEqual(
            notify.mail_template_id, self.env.ref("sms_notify_sale.mail_template_order_ready")
        )
        self.assertIn(f"your order {self.order.name} is ready", notify.sms_body)
        self.assertEqual(notify.email_subject, f"Your order {self.order.name} is ready")
        notify.channel = "both"
        notify.save().action_send()
        self.env["sms.sms"]._process_queue()
        self.assertIn("is ready", self.fake.requests_to("/sys/send.php")[0].params["mes"])
        email = self.order.message_ids.filtered(lambda message: message.subject)[:1]
        self.assertEqual(email.subject, f"Your order {self.order.name} is ready")

    def test_order_that_left_the_shop_opens_notify_on_its_way(self):
        self.order.company_id.sms_notify_sale_ready = "confirmed"
        self.order.action_confirm()
        self.assertEqual(
            self._open_notify().sms_template_id,
            self.env.ref("sms_notify_sale.sms_template_order_ready"),
            "confirmed, not delivered: ready and waiting",
        )
        self._deliver()
        notify = self._open_notify()
        self.assertEqual(
            notify.sms_template_id, self.env.ref("sms_notify_sale.sms_template_order_left")
        )
        self.assertEqual(
            notify.mail_template_id, self.env.ref("sms_notify_sale.mail_template_order_left")
        )

    def test_a_template_picked_by_hand_wins(self):
        self.order.company_id.sms_notify_sale_ready = "confirmed"
        self.order.action_confirm()
        thanks = self.env.ref("sms_notify_sale.sms_template_order_thanks")
        notify = self._open_notify()
        notify.sms_template_id = thanks
        self.assertIn("thank you for your order", notify.sms_body)
        self.assertEqual(notify.save().sms_template_id, thanks)

    def test_company_chooses_what_ready_means(self):
        self.order.company_id.sms_notify_sale_ready = "confirmed"
        self.assertFalse(self.order.sms_notify_ready, "a quotation is never ready")
        self.order.action_confirm()
        self.assertTrue(self.order.sms_notify_ready)
        self.order.company_id.sms_notify_sale_ready = "invoiced"
        self.order.invalidate_recordset(["sms_notify_ready"])
        self.assertFalse(self.order.sms_notify_ready)

    def test_statistics_count_messages_by_department(self):
        shop = self.env["crm.team"].create({"name": "Optics shop"})
        self.order.team_id = shop
        self.order.company_id.sms_notify_sale_ready = "confirmed"
        self.order.action_confirm()
        self.customer.email = "anna@example.com"
        action = self.order.action_sms_notify()
        self.env["sms.notify.wizard"].with_context(**action["context"]).create(
            {
                "channel": "both",
                "sms_body": "Your order is ready.",
                "email_subject": "Your order is ready",
                "email_body": "<p>Come and collect it.</p>",
            }
        ).action_send()
        # mass SMS on orders of two departments: each counts for its own
        other_order = self.order.copy({"team_id": False})
        self.env["sms.composer"].with_context(
            active_model="sale.order", active_ids=(self.order | other_order).ids
        ).create(
            {"composition_mode": "mass", "body": "Mass text", "mass_keep_log": False}
        ).action_send_sms()
        self.env.flush_all()
        history = self.env["sms.notify.message"].search([("partner_id", "=", self.customer.id)])
        self.assertEqual(
            sorted(
                (message.channel, message.text, message.team_id.name or "") for message in history
            ),
            [
                ("email", "Your order is ready", "Optics shop"),
                ("sms", "Mass text", ""),
                ("sms", "Mass text", "Optics shop"),
                ("sms", "Your order is ready.", "Optics shop"),
            ],
        )
        groups = self.env["sms.notify.message"].read_group(
            [("partner_id", "=", self.customer.id)], ["segments:sum"], ["team_id"]
        )
        self.assertEqual(
            {
                (group["team_id"] and group["team_id"][1], group["team_id_count"])
                for group in groups
            },
            {("Optics shop", 3), (False, 1)},
        )


@tagged("post_install", "-at_install")
class TestNotifyDepartments(SmscGatewayCommon):
    """A salesperson notifies for their own department (sales team) only, unless they may
    notify for other departments: the button is hidden and the server refuses, RPC included."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.salesperson = cls.env["res.users"].create(
            {
                "name": "Timofey Kadyn",
                "login": "kadyn",
                "groups_id": [
                    (4, cls.env.ref("sales_team.group_sale_salesman").id),
                    (4, cls.env.ref("sms_notify.group_sms_notify_send_ready").id),
                ],
            }
        )
        cls.own_team = cls.env["crm.team"].create(
            {"name": "New Shop", "member_ids": [(4, cls.salesperson.id)]}
        )
        cls.other_team = cls.env["crm.team"].create({"name": "Old Shop"})
        product = cls.env["product.product"].create({"name": "Lens CR-39", "type": "consu"})
        cls.order = cls.env["sale.order"].create(
            {
                "partner_id": cls.customer.id,
                "user_id": cls.salesperson.id,
                "team_id": cls.other_team.id,
                "order_line": [(0, 0, {"product_id": product.id, "product_uom_qty": 1})],
            }
        )
        cls.order.company_id.sms_notify_sale_ready = "confirmed"
        cls.order.action_confirm()

    def _as_salesperson(self):
        return self.order.with_user(self.salesperson)

    def test_notify_opens_with_the_orders_customer_selected(self):
        """As the browser opens it for the salesperson: the button's action, then the dialog's
        defaults and onchanges."""
        self.order.team_id = self.own_team
        action = self._as_salesperson().action_sms_notify()
        notify = Form(
            self.env["sms.notify.wizard"]
            .with_user(self.salesperson)
            .with_context(**action["context"])
        )
        self.assertEqual(notify.partner_id, self.customer)
        notify.sms_template_id = self.env.ref("sms_notify_sale.sms_template_order_ready")
        self.assertEqual(notify.partner_id, self.customer)

    def test_other_department_is_hidden_and_refused(self):
        order = self._as_salesperson()
        self.assertTrue(order.sms_notify_ready)
        self.assertFalse(order.sms_notify_allowed, "the button is hidden")
        with self.assertRaisesRegex(AccessError, "Old Shop"):
            order.action_sms_notify()
        # the dialog created by hand, as through RPC, refuses to send
        wizard = (
            self.env["sms.notify.wizard"]
            .with_user(self.salesperson)
            .create({"res_model": "sale.order", "res_id": order.id, "sms_body": "Ready"})
        )
        with self.assertRaisesRegex(AccessError, "Old Shop"):
            wizard.action_send()
        self.assertFalse(self.env["sms.sms"].search([("body", "=", "Ready")]))

    def test_template_of_another_department_is_not_preselected(self):
        self.order.team_id = self.own_team
        ready_sms = self.env.ref("sms_notify_sale.sms_template_order_ready")
        ready_mail = self.env.ref("sms_notify_sale.mail_template_order_ready")
        ready_sms.sms_notify_team_ids = ready_mail.sms_notify_team_ids = self.other_team
        action = self._as_salesperson().action_sms_notify()
        Wizard = self.env["sms.notify.wizard"].with_user(self.salesperson)
        notify = Form(Wizard.with_context(**action["context"]))
        self.assertFalse(notify.sms_template_id)
        self.assertFalse(notify.mail_template_id)
        ready_sms.sms_notify_team_ids = ready_mail.sms_notify_team_ids = self.own_team
        notify = Form(Wizard.with_context(**action["context"]))
        self.assertEqual(notify.sms_template_id, ready_sms)
        self.assertEqual(notify.mail_template_id, ready_mail)

    def test_own_department_is_allowed(self):
        self.order.team_id = self.own_team
        order = self._as_salesperson()
        self.assertTrue(order.sms_notify_allowed)
        self.assertEqual(order.action_sms_notify()["res_model"], "sms.notify.wizard")

    def test_other_departments_right_lifts_the_limit(self):
        self.salesperson.groups_id = [
            (4, self.env.ref("sms_notify.group_sms_notify_other_departments").id)
        ]
        self.assertTrue(self._as_salesperson().sms_notify_allowed)

    def test_without_the_right_nothing_is_offered(self):
        self.order.team_id = self.own_team
        self.salesperson.groups_id = [
            (3, self.env.ref("sms_notify.group_sms_notify_send_ready").id)
        ]
        with self.assertRaisesRegex(AccessError, "ask an administrator"):
            self._as_salesperson().action_sms_notify()

    def test_settings_toggle_gives_every_salesperson_the_right(self):
        plain = self.env["res.users"].create(
            {
                "name": "Plain seller",
                "login": "plain_seller",
                "groups_id": [(4, self.env.ref("sales_team.group_sale_salesman").id)],
            }
        )
        self.assertFalse(plain.has_group("sms_notify.group_sms_notify_send_card"))
        self.env["res.config.settings"].create({"group_sms_notify_send_card": True}).execute()
        plain.invalidate_recordset()
        self.assertTrue(plain.has_group("sms_notify.group_sms_notify_send_card"))
