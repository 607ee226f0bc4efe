from datetime import datetime

from odoo.tests import tagged

from odoo.addons.sms_notify.tests.common import SmsNotifyCommon


@tagged("post_install", "-at_install")
class TestSeedTokensOnOrders(SmsNotifyCommon):
    """Templates pasted from ITigris (``:Уваж: :И: :О: :ID: :Tel:``) and JagatiqPOS
    (``<<nrZamowienia>>``...) render on a real order as their authors wrote them, and are shown
    back in the suite's own token form once saved."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("pl_PL")
        cls.env["res.lang"]._activate_lang("ru_RU")
        cls.env.company.write({"name": "Optika Nova", "phone": "+7 495 123-45-67"})
        cls.env.company.partner_id.write(
            {"street": "Lenina 1", "street2": False, "zip": False, "city": "Moscow"}
        )
        cls.customer.write(
            {"name": "Петрова Анна Сергеевна", "sms_notify_gender": "female", "tz": "UTC"}
        )
        product = cls.env["product.product"].create(
            {"name": "Pizza", "type": "consu", "list_price": 45}
        )
        cls.order = cls.env["sale.order"].create(
            {
                "partner_id": cls.customer.id,
                "date_order": datetime(2026, 12, 3, 18, 0),
                "commitment_date": datetime(2026, 12, 3, 18, 45),
                "order_line": [(0, 0, {"product_id": product.id, "product_uom_qty": 1})],
            }
        )

    def _template(self, text):
        return self.env["sms.template"].create(
            {
                "name": "Pasted",
                "model_id": self.env.ref("sale.model_sale_order").id,
                "sms_notify_text": text,
            }
        )

    def _render(self, template, order=None):
        order = order or self.order
        return template._render_field("body", order.ids, compute_lang=True)[order.id]

    def test_itigris_order_ready_text(self):
        self.customer.lang = "ru_RU"
        template = self._template(":Уваж: :И: :О:, ваш заказ :ID: готов. Тел. :Tel:")
        self.assertEqual(
            self._render(template),
            f"Уважаемая Анна Сергеевна, ваш заказ {self.order.name} готов. Тел. +7 495 123-45-67",
        )
        self.assertEqual(
            template.sms_notify_text,
            ":Salutation: :FirstName: :Patronymic:, ваш заказ :OrderNumber: готов. "
            "Тел. :ShopPhone:",
        )

    def test_jagatiq_order_texts(self):
        payment_term = self.env["account.payment.term"].create({"name": "Gotówka przy odbiorze"})
        self.order.payment_term_id = payment_term
        self.customer.lang = "pl_PL"
        template = self._template(
            "Zamówienie <<nrZamowienia>> (<<wartoscZamowienia>>, <<rodzPlatnosci>>) "
            "dotrze <<czasDostawy>>, za <<czasRealizacji>>."
        )
        total = self.order.sms_notify_amount_text
        self.assertEqual(
            self._render(template),
            f"Zamówienie {self.order.name} ({total}, Gotówka przy odbiorze) "
            "dotrze 3.12.2026, 18:45, za 45 minut.",
        )
        self.assertEqual(
            template.sms_notify_text,
            "Zamówienie :OrderNumber: (:OrderTotal:, :PaymentMethod:) dotrze :ReadyTime:, "
            "za :LeadTime:.",
        )

    def test_lead_time_reads_hours_and_minutes_or_days(self):
        template = self._template("<<czasRealizacji>>")
        self.order.commitment_date = datetime(2026, 12, 3, 19, 30)
        self.assertEqual(self._render(template), "1 hour 30 minutes")
        self.order.commitment_date = datetime(2026, 12, 10, 18, 0)
        self.assertEqual(self._render(template), "7 days")

    def test_payment_method_of_the_online_payment_comes_first(self):
        self.order.payment_term_id = self.env["account.payment.term"].create({"name": "30 days"})
        provider = self.env["payment.provider"].create({"name": "Test Acquirer"})
        self.env["payment.transaction"].create(
            {
                "provider_id": provider.id,
                "payment_method_id": self.env.ref("payment.payment_method_card").id,
                "amount": self.order.amount_total,
                "currency_id": self.order.currency_id.id,
                "partner_id": self.customer.id,
                "reference": f"{self.order.name}-pay",
                "state": "done",
                "sale_order_ids": [(6, 0, self.order.ids)],
            }
        )
        self.assertEqual(self._render(self._template("[rodzPlatnosci]")), "Card")

    def test_shop_tokens_speak_for_the_orders_department(self):
        """Each shop gives its own name, phone and address; a department without them gives
        the company's."""
        template = self._template(":ShopName:, :ShopPhone:, :ShopAddress:")
        shop = self.env["crm.team"].create(
            {
                "name": "Shop 2",
                "sms_notify_commercial_name": "Optika Nova na Arbate",
                "sms_notify_phone": "+7 495 765-43-21",
                "sms_notify_address": "Arbat 10, Moscow",
            }
        )
        plain = self.env["crm.team"].create({"name": "Shop 3"})
        self.order.team_id = shop
        self.assertEqual(
            self._render(template), "Optika Nova na Arbate, +7 495 765-43-21, Arbat 10, Moscow"
        )
        self.order.team_id = plain
        self.order.invalidate_recordset(["sms_notify_shop_name"])
        self.assertEqual(self._render(template), "Optika Nova, +7 495 123-45-67, Lenina 1, Moscow")
