import re

from odoo.tests import tagged

from odoo.addons.sms_notify.tests.common import SmsNotifyCommon


@tagged("post_install", "-at_install")
class TestShippedTemplates(SmsNotifyCommon):
    """The shipped sale templates render per customer in English, Russian and Polish."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("ru_RU")
        cls.env["res.lang"]._activate_lang("pl_PL")
        cls.env["ir.module.module"]._load_module_terms(
            ["sms_notify_sale"], ["ru_RU", "pl_PL"], overwrite=True
        )
        cls.env.company.write({"name": "Optika Nova", "phone": "+7 495 123-45-67"})
        cls.customer.write({"name": "Петрова Анна Сергеевна", "sms_notify_gender": "female"})
        product = cls.env["product.product"].create(
            {"name": "Frame", "type": "consu", "list_price": 2950}
        )
        cls.order = cls.env["sale.order"].create(
            {
                "partner_id": cls.customer.id,
                "order_line": [(0, 0, {"product_id": product.id, "product_uom_qty": 1})],
            }
        )
        cls.ready = cls.env.ref("sms_notify_sale.sms_template_order_ready")

    def _render(self, template, lang):
        self.customer.lang = lang
        return template._render_field("body", self.order.ids, compute_lang=True)[self.order.id]

    def test_order_ready_in_three_languages(self):
        name = self.order.name
        self.assertEqual(
            self._render(self.ready, "en_US"),
            f"Dear Ms Анна, your order {name} is ready. We look forward to seeing you! "
            "Optika Nova, +7 495 123-45-67",
        )
        self.assertEqual(
            self._render(self.ready, "ru_RU"),
            f"Уважаемая Анна, ваш заказ {name} готов. Ждём вас! Optika Nova, +7 495 123-45-67",
        )
        self.assertEqual(
            self._render(self.ready, "pl_PL"),
            f"Szanowna Pani Анна, Twoje zamówienie {name} jest gotowe do odbioru. Zapraszamy! "
            "Optika Nova, +7 495 123-45-67",
        )

    def test_thank_you_shows_the_total_with_its_currency(self):
        thanks = self.env.ref("sms_notify_sale.sms_template_order_thanks")
        rendered = self._render(thanks, "en_US")
        self.assertIn(self.order.sms_notify_amount_text, rendered)
        self.assertIn(self.order.currency_id.symbol, self.order.sms_notify_amount_text)

    def test_template_texts_show_tokens(self):
        self.assertEqual(
            self.ready.sms_notify_text,
            ":Salutation: :FirstName:, your order :OrderNumber: is ready. We look forward to "
            "seeing you! :ShopName:, :ShopPhone:",
        )

    def test_ready_date_is_the_promised_day_in_the_customers_language_and_time_zone(self):
        # 22:30 UTC on 4 March is already 5 March in Moscow
        self.order.commitment_date = "2026-03-04 22:30:00"
        self.customer.write({"tz": "Europe/Moscow", "lang": "ru_RU"})
        template = self.env["sms.template"].create(
            {
                "name": "Ready on",
                "model_id": self.env.ref("sale.model_sale_order").id,
                "sms_notify_text": "Заказ :НомерЗаказа: будет готов :ДатаГотовности:",
            }
        )
        self.assertIn("{{ object.sms_notify_ready_date_text }}", template.body)
        rendered = template._render_field("body", self.order.ids, compute_lang=True)[self.order.id]
        self.assertEqual(rendered, f"Заказ {self.order.name} будет готов 05.03.2026")
        self.customer.write({"tz": "America/New_York", "lang": "en_US"})
        self.order.invalidate_recordset(["sms_notify_ready_date_text"])
        self.assertEqual(self.order.sms_notify_ready_date_text, "03/04/2026")

    def test_stage_templates_in_three_languages(self):
        accepted = self.env.ref("sms_notify_sale.sms_template_order_accepted")
        left = self.env.ref("sms_notify_sale.sms_template_order_left")
        name = self.order.name
        self.assertEqual(
            self._render(accepted, "ru_RU"),
            f"Анна, ваш заказ {name} принят. Мы сообщим, когда он будет готов. "
            "Optika Nova, +7 495 123-45-67",
        )
        self.assertIn("opuściło sklep", self._render(left, "pl_PL"))
        self.assertIn("has left the shop", self._render(left, "en_US"))
        rule = self.env.ref("sms_notify_sale.sms_notify_rule_order_left")
        self.assertEqual(rule.with_context(lang="ru_RU").name, "Заказ отправлен")

    def test_emails_beside_the_sms_in_the_customers_language(self):
        name = self.order.name
        expected = {
            "order_ready": {
                "ru_RU": (f"Ваш заказ {name} готов", "Уважаемая</t>", "Ждём вас!"),
                "pl_PL": (f"Twoje zamówienie {name} jest gotowe", "Szanowna Pani", "Zapraszamy!"),
            },
            "order_thanks": {
                "ru_RU": (f"Спасибо за заказ {name}", "Спасибо за заказ", "Optika Nova"),
                "pl_PL": (f"Dziękujemy za zamówienie {name}", "Dziękujemy", "Optika Nova"),
            },
            "order_accepted": {
                "ru_RU": (f"Мы приняли ваш заказ {name}", "принят", "+7 495 123-45-67"),
                "pl_PL": (f"Przyjęliśmy Twoje zamówienie {name}", "Damy znać", "Optika Nova"),
            },
            "order_left": {
                "ru_RU": (f"Ваш заказ {name} в пути", "уже в пути", "Optika Nova"),
                "pl_PL": (f"Twoje zamówienie {name} jest w drodze", "opuściło sklep", "Optika"),
            },
        }
        for stage, by_lang in expected.items():
            template = self.env.ref(f"sms_notify_sale.mail_template_{stage}")
            self.assertEqual(template.message_kind, "service")
            for lang, (subject, *phrases) in by_lang.items():
                with self.subTest(stage=stage, lang=lang):
                    self.customer.lang = lang
                    rendered = template._generate_template(
                        self.order.ids, ["subject", "body_html"]
                    )[self.order.id]
                    self.assertEqual(rendered["subject"], subject)
                    body = str(rendered["body_html"])
                    # the customer's first name, not the sample written in the template
                    self.assertIn("Анна", body)
                    self.assertNotIn("Anna", body)
                    self.assertIn(name, body)
                    for phrase in phrases:
                        self.assertIn(phrase.replace("</t>", ""), body)

    def test_email_may_be_edited_by_users_who_are_not_template_editors(self):
        """Its placeholders are the SMS tokens' own, which such users may write."""
        allowed = self.env["sale.order"].mail_allowed_qweb_expressions()
        for stage in ("order_ready", "order_thanks", "order_accepted", "order_left"):
            template = self.env.ref(f"sms_notify_sale.mail_template_{stage}")
            expressions = set(re.findall(r't-out="([^"]+)"', template.body_html))
            expressions |= set(re.findall(r"\{\{ (.+?) \}\}", template.subject))
            self.assertLessEqual(expressions, set(allowed), stage)
