from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged

from .common import SmsNotifyCommon

TEXT = ":Salutation: :FirstName:, your glasses are ready. :ShopName:, :ShopPhone:"


@tagged("post_install", "-at_install")
class TestTemplateTokens(SmsNotifyCommon):
    """Template texts are written with tokens, compile to Odoo's own placeholders and render
    per customer; an unknown token is refused by name."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer.write({"sms_notify_gender": "female"})
        cls.env.company.write({"name": "Optika Nova", "phone": "+7 495 123-45-67"})
        cls.partner_model = cls.env.ref("base.model_res_partner")

    def _template(self, text, user=None):
        model = self.env["sms.template"].with_user(user) if user else self.env["sms.template"]
        return model.create(
            {"name": "Ready", "model_id": self.partner_model.id, "sms_notify_text": text}
        )

    def _render(self, template):
        return template._render_field("body", self.customer.ids, compute_lang=True)[
            self.customer.id
        ]

    def test_tokens_compile_to_placeholders_and_render_per_customer(self):
        template = self._template(TEXT)
        self.assertIn("{{ object.sms_notify_first_name }}", template.body)
        self.assertEqual(
            self._render(template),
            "Dear Ms Anna, your glasses are ready. Optika Nova, +7 495 123-45-67",
        )
        self.assertEqual(template.sms_notify_text, TEXT, "shown back as typed")

    def test_salutation_follows_the_customers_language(self):
        self.env["res.lang"]._activate_lang("ru_RU")
        self.customer.lang = "ru_RU"
        template = self._template(":Уваж: :Имя:!")
        self.assertEqual(template.sms_notify_text, ":Salutation: :FirstName:!")
        self.assertEqual(self._render(template), "Уважаемая Anna!")

    def test_unknown_token_is_refused_by_name(self):
        with self.assertRaisesRegex(ValidationError, ":BonusBalance:"):
            self._template(":FirstName:, you have :BonusBalance: points")

    def test_times_are_not_tokens(self):
        template = self._template("Open 10:00-20:00, :ShopPhone:")
        self.assertEqual(self._render(template), "Open 10:00-20:00, +7 495 123-45-67")

    def test_notification_manager_writes_templates_without_template_editor_rights(self):
        manager = self.env["res.users"].create(
            {
                "name": "Notification manager",
                "login": "notif_manager",
                "groups_id": [
                    (6, 0, [self.env.ref("sms_notify.group_sms_notify_notification_manager").id])
                ],
            }
        )
        self.assertFalse(manager.has_group("mail.group_mail_template_editor"))
        template = self._template(TEXT, user=manager)
        self.assertIn("object.sms_notify_salutation", template.body)
        self.assertTrue(
            self.env["sms.template"]._has_unsafe_expression_template_inline_template(
                "{{ object.email }}", "res.partner"
            ),
            "other expressions stay for template editors",
        )

    def test_palette_lists_the_models_tokens(self):
        palette = self._template(TEXT).sms_notify_token_palette
        self.assertEqual(
            [token["code"] for token in palette],
            [
                "Salutation",
                "FirstName",
                "Patronymic",
                "LastName",
                "CustomerName",
                "ShopName",
                "ShopPhone",
                "ShopAddress",
            ],
        )
        by_code = {token["code"]: token for token in palette}
        self.assertEqual(
            by_code["FirstName"],
            {"code": "FirstName", "label": "First name", "aliases": ["Имя", "И", "Imię"]},
        )
        self.assertEqual(by_code["ShopName"]["label"], "Shop name")

    def test_palette_offers_customer_tokens_only_for_models_with_a_customer(self):
        def palette(model):
            template = self.env["sms.template"].create(
                {"name": model, "model_id": self.env["ir.model"]._get_id(model), "body": "Hi"}
            )
            # Odoo keeps an empty Json value as False
            return [token["code"] for token in template.sms_notify_token_palette or []]

        self.assertEqual(palette("crm.team"), ["ShopName", "ShopPhone"], "a company, no customer")
        self.assertEqual(palette("phone.blacklist"), [], "neither a customer nor a company")

    def test_birthday_template_greets_in_the_customers_language(self):
        self.env["res.lang"]._activate_lang("pl_PL")
        self.env["ir.module.module"]._load_module_terms(["sms_notify"], ["pl_PL"], overwrite=True)
        self.customer.lang = "pl_PL"
        template = self.env.ref("sms_notify.sms_template_birthday")
        self.assertEqual(template.message_kind, "advertising")
        self.assertEqual(
            self._render(template),
            "Anna, wszystkiego najlepszego z okazji urodzin! Życzy Optika Nova. +7 495 123-45-67",
        )

    def test_token_labels_are_shown_in_the_users_language(self):
        self.env["res.lang"]._activate_lang("ru_RU")
        self.env["res.lang"]._activate_lang("pl_PL")
        labels = {
            lang: {
                token.code: token.label
                for token in self.env["res.partner"].with_context(lang=lang)._sms_notify_tokens()
            }
            for lang in ("en_US", "ru_RU", "pl_PL")
        }
        self.assertEqual(labels["en_US"]["FirstName"], "First name")
        self.assertEqual(labels["ru_RU"]["FirstName"], "Имя")
        self.assertEqual(labels["ru_RU"]["ShopPhone"], "Телефон магазина")
        self.assertEqual(labels["pl_PL"]["LastName"], "Nazwisko")
        # the palette's help and the Notify dialog too
        self.env["ir.module.module"]._load_module_terms(["sms_notify"], ["ru_RU"], overwrite=True)
        form = self.env.ref("sms_notify.sms_template_view_form").with_context(lang="ru_RU")
        self.assertIn("Нажмите на метку", form.arch)
        wizard = self.env.ref("sms_notify.sms_notify_wizard_view_form").with_context(lang="ru_RU")
        self.assertIn("Уведомить клиента", wizard.arch)

    def test_rendering_many_records_gives_what_odoo_renders(self):
        """Protects the one-pass rendering of plain field paths (``models/mail_render_mixin``):
        every text equals what Odoo's own renderer gives, for values set or empty, defaults,
        a missing field and a path through a relation."""
        from odoo.addons.mail.models.mail_render_mixin import (  # noqa: PLC0415
            MailRenderMixin as OdooRenderMixin,
        )

        salesperson = self.env["res.users"].create({"name": "Olga Seller", "login": "olga_seller"})
        partners = self.customer | self.env["res.partner"].create(
            [
                {"name": "Иван Петрович Сидоров", "user_id": salesperson.id},
                {"name": "Cher", "sms_notify_gender": "female", "lang": "en_US"},
                {"name": "Optika Nova", "is_company": True},
            ]
        )
        texts = [
            self._template(TEXT).body,
            "{{ object.sms_notify_first_name }} {{ object.sms_notify_patronymic ||| - }}!",
            "{{ object.sms_notify_last_name ||| dear customer }}, {{ object.name }}",
            "From {{ object.user_id.name ||| the shop }}: {{ object.partner_id ||| nobody }}",
            "{{ object.sms_notify_salutation }}{{ object.lang }}",
            "No placeholder at all",
        ]
        render = self.env["mail.render.mixin"]
        for text in texts:
            with self.subTest(text=text):
                self.assertEqual(
                    render._render_template_inline_template_regex(
                        text, "res.partner", partners.ids
                    ),
                    OdooRenderMixin._render_template_inline_template_regex(
                        render, text, "res.partner", partners.ids
                    ),
                )
        self.assertEqual(
            render._render_template_inline_template_regex(
                "Hi {{ object.sms_notify_first_name }}", "res.partner", partners.ids
            ),
            dict(zip(partners.ids, ["Hi Anna", "Hi Иван", "Hi Cher", "Hi "], strict=True)),
        )
        with self.assertRaises(SyntaxError):
            render._render_template_inline_template_regex(
                "{{ object.create_uid.password }}", "res.partner", partners.ids
            )

    def test_a_message_from_the_card_speaks_for_the_senders_department(self):
        """Sent from the customer card, the shop tokens give the sender's department's
        commercial name, phone and address, else the company's."""
        template = self._template("<<ShopName>>, [ShopPhone], [ShopAddress]")
        seller = self.env["res.users"].create(
            {"name": "Seller", "login": "seller_shop_tokens", "groups_id": []}
        )
        shop = self.env["crm.team"].create(
            {
                "name": "Arbat",
                "sms_notify_commercial_name": "Optika Nova na Arbate",
                "sms_notify_phone": "+7 495 765-43-21",
                "sms_notify_address": "Arbat 10",
                "member_ids": [(4, seller.id)],
            }
        )
        self.assertEqual(seller.sale_team_id, shop)
        self.env.company.partner_id.write({"street": "Lenina 1", "zip": "101000", "city": "Moscow"})
        as_seller = self.customer.with_user(seller)
        self.assertEqual(
            [as_seller.sms_notify_shop_name, as_seller.sms_notify_shop_phone],
            ["Optika Nova na Arbate", "+7 495 765-43-21"],
        )
        self.assertEqual(as_seller.sms_notify_shop_address, "Arbat 10")
        self.assertEqual(
            self._render(template), "Optika Nova, +7 495 123-45-67, Lenina 1, 101000 Moscow"
        )
        self.assertEqual(template.sms_notify_text, ":ShopName:, :ShopPhone:, :ShopAddress:")

    def test_itigris_one_letter_name_tokens(self):
        self.customer.name = "Петрова Анна Сергеевна"
        template = self._template(":И: :О:, ждём вас!")
        self.assertEqual(self._render(template), "Анна Сергеевна, ждём вас!")
        self.assertEqual(template.sms_notify_text, ":FirstName: :Patronymic:, ждём вас!")

    def test_upgrade_moves_templates_to_the_department_aware_shop_fields(self):
        """Templates compiled when the shop tokens read the company directly show and render
        the shop tokens after the upgrade, in every language."""
        self.env["res.lang"]._activate_lang("ru_RU")
        template = self.env["sms.template"].create(
            {
                "name": "Old",
                "model_id": self.partner_model.id,
                "body": "{{ object.company_id.name }}, {{ object.company_id.phone }}",
            }
        )
        template.with_context(lang="ru_RU").body = "Магазин {{ object.company_id.name }}"
        self.env["sms.template"]._sms_notify_upgrade_shop_placeholders()
        self.assertEqual(template.sms_notify_text, ":ShopName:, :ShopPhone:")
        self.assertEqual(
            template.with_context(lang="ru_RU").body, "Магазин {{ object.sms_notify_shop_name }}"
        )

    def test_only_sales_managers_set_a_departments_shop_details(self):
        """A salesperson sends in the department's name but does not rename it: the commercial
        name, phone and address follow the department's own access rights."""
        team = self.env["crm.team"].create({"name": "Arbat"})
        seller = self.env["res.users"].create(
            {
                "name": "Seller",
                "login": "seller_team_details",
                "groups_id": [(6, 0, [self.env.ref("sales_team.group_sale_salesman").id])],
            }
        )
        manager = self.env["res.users"].create(
            {
                "name": "Sales manager",
                "login": "manager_team_details",
                "groups_id": [(6, 0, [self.env.ref("sales_team.group_sale_manager").id])],
            }
        )
        self.assertFalse(team.with_user(seller).sms_notify_commercial_name)
        with self.assertRaises(AccessError):
            team.with_user(seller).sms_notify_commercial_name = "Mine"
        team.with_user(manager).write({"sms_notify_commercial_name": "Optika Arbat"})
        self.assertEqual(team.sms_notify_commercial_name, "Optika Arbat")
