from datetime import date

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import Form, tagged

from odoo.addons.sms_notify.tests.common import SmscGatewayCommon


@tagged("post_install", "-at_install")
class TestNotifyLoyalty(SmscGatewayCommon):
    """Notify on a loyalty card tells its owner, in their language, how many points the card
    just received and what it holds now."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("ru_RU")
        cls.env["ir.module.module"]._load_module_terms(
            ["sms_notify_loyalty"], ["ru_RU"], overwrite=True
        )
        cls.env.company.write({"name": "Optika Nova", "phone": "+7 495 123-45-67"})
        cls.customer.write({"sms_notify_gender": "female", "lang": "ru_RU"})
        cls.program = cls.env["loyalty.program"].create(
            {"name": "Bonus club", "program_type": "loyalty", "portal_point_name": "Points"}
        )
        cls.program.update_field_translations("portal_point_name", {"ru_RU": "баллов"})
        cls.card = (
            cls.env["loyalty.card"]
            .with_context(loyalty_no_mail=True)
            .create(
                {
                    "program_id": cls.program.id,
                    "partner_id": cls.customer.id,
                    "code": "044-BONUS-7",
                    "points": 400,
                    "expiration_date": date(2027, 3, 31),
                }
            )
        )
        cls.env["loyalty.history"].create(
            [
                {"card_id": cls.card.id, "description": "Order S001", "issued": 250},
                {"card_id": cls.card.id, "description": "Order S002", "used": 30},
                {"card_id": cls.card.id, "description": "Order S003", "issued": 150},
                {"card_id": cls.card.id, "description": "Order S004", "used": 10},
            ]
        )
        cls.template = cls.env.ref("sms_notify_loyalty.sms_template_points_accrued")

    def _sms_template(self, text):
        return self.env["sms.template"].create(
            {
                "name": "Points",
                "model_id": self.env.ref("loyalty.model_loyalty_card").id,
                "sms_notify_text": text,
            }
        )

    def _render(self, template, card=None):
        card = card or self.card
        return template._render_field("body", card.ids, compute_lang=True)[card.id]

    def _wizard(self, **values):
        action = self.card.action_sms_notify()
        return self.env["sms.notify.wizard"].with_context(**action["context"]).create(values)

    def test_tokens_render_the_cards_points_expiry_and_code(self):
        template = self._sms_template(
            ":FirstName: :LastName:: +:PointsAccrued:, :PointsBalance:, until :PointsExpiry:, "
            "code :PromoCode:. :ShopName:"
        )
        self.assertEqual(
            self._render(template),
            "Anna Petrova: +150 Points, 400 Points, until 31.03.2027, code 044-BONUS-7. "
            "Optika Nova",
            "the latest accrual, not the latest line nor the first accrual; the expiry as the "
            "customer reads dates even in a template without a language",
        )
        self.customer.lang = "en_US"
        self.card.invalidate_recordset()
        self.assertEqual(self.card.sms_notify_points_accrued, "150 Points")
        self.assertEqual(self.card.sms_notify_expiry_text, "03/31/2027")

    def test_aliases_are_the_same_tokens(self):
        template = self._sms_template(":Имя:, :Баллы: / :БалансБаллов: / :СрокБаллов: :Промокод:")
        self.assertEqual(
            template.sms_notify_text,
            ":FirstName:, :PointsAccrued: / :PointsBalance: / :PointsExpiry: :PromoCode:",
        )
        polish = self._sms_template(":Punkty: :SaldoPunktów: :WażnośćPunktów: :KodRabatowy:")
        self.assertEqual(self._render(polish), "150 Points 400 Points 31.03.2027 044-BONUS-7")

    def test_card_without_accrual_or_expiry_renders_them_empty(self):
        card = (
            self.env["loyalty.card"]
            .with_context(loyalty_no_mail=True)
            .create({"program_id": self.program.id, "partner_id": self.customer.id})
        )
        self.env["loyalty.history"].create(
            {"card_id": card.id, "description": "Order S005", "used": 5}
        )
        template = self._sms_template("[:PointsAccrued:][:PointsExpiry:] :PointsBalance:")
        self.assertEqual(self._render(template, card), "[][] 0 Points")

    def test_shipped_template_in_the_customers_language(self):
        self.assertEqual(
            self._render(self.template),
            "Уважаемая Anna, на вашу карту начислено: 150 баллов. Баланс: 400 баллов. Optika Nova",
        )
        self.assertEqual(
            self.template.with_context(lang="en_US").sms_notify_text,
            ":Salutation: :FirstName:, :PointsAccrued: were added to your card. "
            "Balance: :PointsBalance:. :ShopName:",
        )

    def test_notify_sends_the_sms_and_keeps_it_in_the_cards_chatter(self):
        wizard = self._wizard(sms_template_id=self.template.id)
        self.assertEqual(wizard.partner_id, self.customer)
        self.assertEqual(wizard.message_kind, "service")
        wizard.action_send()
        self.env["sms.sms"]._process_queue()
        [request] = self.fake.requests_to("/sys/send.php")
        self.assertEqual(request.params["phones"], "+79123456789")
        self.assertEqual(
            request.params["mes"],
            "Уважаемая Anna, на вашу карту начислено: 150 баллов. Баланс: 400 баллов. Optika Nova",
        )
        message = self.card.message_ids.filtered(lambda msg: msg.message_type == "sms")
        self.assertEqual(len(message), 1)
        self.assertIn("150 баллов", message.body)

    def _card_readers(self):
        """Coupons & Loyalty alone lets nobody but the superuser read cards (Sales and Point
        of Sale give the rights): a group of card readers stands for them."""
        readers = self.env["res.groups"].create({"name": "Card readers"})
        self.env["ir.model.access"].create(
            [
                {
                    "name": f"Card readers: {model}",
                    "model_id": self.env["ir.model"]._get_id(model),
                    "group_id": readers.id,
                    "perm_read": True,
                }
                for model in ("loyalty.card", "loyalty.history", "loyalty.program")
            ]
        )
        return readers

    def _form_arch(self, user):
        return self.env["loyalty.card"].with_user(user).get_view(view_type="form")["arch"]

    def test_notify_opens_with_the_card_owner_selected(self):
        """As the browser opens it for a seller who may notify."""
        seller = self.env["res.users"].create(
            {
                "name": "Seller",
                "login": "seller_loyalty_owner",
                "groups_id": [
                    (4, self._card_readers().id),
                    (4, self.env.ref("sms_notify.group_sms_notify_send_ready").id),
                ],
            }
        )
        action = self.card.with_user(seller).action_sms_notify()
        notify = Form(
            self.env["sms.notify.wizard"].with_user(seller).with_context(**action["context"])
        )
        self.assertEqual(notify.partner_id, self.customer)

    def test_notify_button_for_users_who_may_notify(self):
        readers = self._card_readers()
        seller, cashier = self.env["res.users"].create(
            [
                {"name": "Seller", "login": "seller_loyalty", "groups_id": [(4, readers.id)]},
                {"name": "Cashier", "login": "cashier_loyalty", "groups_id": [(4, readers.id)]},
            ]
        )
        seller.groups_id = [(4, self.env.ref("sms_notify.group_sms_notify_send_ready").id)]
        self.assertIn('name="action_sms_notify"', self._form_arch(seller))
        self.assertTrue(
            self.card.with_user(seller).sms_notify_allowed, "a card has no department to refuse it"
        )
        self.assertNotIn('name="action_sms_notify"', self._form_arch(cashier))
        card = self.card.with_user(cashier)
        self.assertFalse(card.sms_notify_allowed)
        with self.assertRaisesRegex(AccessError, "may not notify"):
            card.action_sms_notify()

    def test_shipped_email_in_the_customers_language(self):
        self.customer.email = "anna@example.com"
        template = self.env.ref("sms_notify_loyalty.mail_template_points_accrued")
        self.assertEqual(template.message_kind, "service")
        wizard = self._wizard(channel="email", mail_template_id=template.id)
        self.assertEqual(wizard.email_subject, "Бонусные баллы начислены на вашу карту")
        self.assertIn("Уважаемая", wizard.email_body)
        self.assertIn("150 баллов", wizard.email_body)
        self.assertIn("044-BONUS-7", wizard.email_body)
        wizard.action_send()
        email = self.card.message_ids.filtered(lambda msg: msg.message_type == "comment")
        self.assertEqual(email.subject, "Бонусные баллы начислены на вашу карту")
        self.assertIn(self.customer, email.partner_ids)

    def test_token_labels_are_translated(self):
        labels = {
            token.code: token.label
            for token in self.card.with_context(lang="ru_RU")._sms_notify_tokens()
        }
        self.assertEqual(labels["PointsAccrued"], "Баллы, только что начисленные на карту")
        self.assertEqual(labels["PromoCode"], "Код карты")

    def test_unknown_token_is_refused_by_name(self):
        with self.assertRaises(ValidationError) as refusal:
            self._sms_template(":PointsAccrued: were added, :BonusLevel: reached")
        self.assertEqual(
            str(refusal.exception),
            "Unknown token :BonusLevel:. Pick tokens from the palette beside the text.",
        )

    def test_rule_tells_the_customer_when_points_are_accrued(self):
        rule = self.env.ref("sms_notify_loyalty.sms_notify_rule_points_accrued")
        self.assertFalse(rule.active, "shipped switched off")
        rule.active = True
        scheduled = self.env["sms.notify.scheduled"]
        self.env["loyalty.history"].create(
            {"card_id": self.card.id, "description": "Order S005", "used": 20}
        )
        self.env.flush_all()
        self.env.cr.precommit.run()
        self.assertFalse(scheduled.search([("rule_id", "=", rule.id)]), "points used: nothing")
        self.env["loyalty.history"].create(
            {"card_id": self.card.id, "description": "Order S006", "issued": 75}
        )
        self.env.flush_all()
        self.env.cr.precommit.run()
        [message] = scheduled.search([("rule_id", "=", rule.id)])
        self.assertEqual((message.res_id, message.partner_id), (self.card.id, self.customer))
        scheduled._cron_send_due()
        self.env["sms.sms"]._process_queue()
        [request] = self.fake.requests_to("/sys/send.php")
        self.assertIn("75", request.params["mes"])
        self.assertIn("начислено", request.params["mes"])
