from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import PromoCommon

TEXT = ":PromotionName: – show the code :PromoCode: at the till, -10% on everything."


@tagged("post_install", "-at_install")
class TestPromoCodes(PromoCommon):
    """A mailing linked to a coupon program sends each recipient it reaches a coupon code of
    its own, usable in Sales, and shown on the recipient's trace; skipped recipients get
    none."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["phone.blacklist"].create({"number": "+48600300004"})
        cls.partners = cls.env["res.partner"].create(
            [
                {"name": "Anna", "mobile": "+48 600 300 001"},
                {"name": "Boris", "mobile": "+48 600 300 002"},
                {"name": "Anna again", "mobile": "0048 600 300 001"},  # duplicate number
                {"name": "Blacklisted", "mobile": "+48 600 300 004"},
                {"name": "No number"},
            ]
        )
        cls.partners.sms_notify_ad_consent = True

    def test_each_reached_recipient_gets_a_code_of_its_own_in_its_sms(self):
        mailing = self._mailing(self.partners, TEXT)

        mailing.action_send_sms()

        traces = self._traces(mailing)
        by_partner = {trace.res_id: trace for trace in traces}
        reached = self.partners[:2]
        cards = self._cards()
        self.assertEqual(len(cards), 2, "one coupon per recipient reached, none for the others")
        self.assertEqual(len(set(cards.mapped("code"))), 2)
        for partner in reached:
            trace = by_partner[partner.id]
            card = trace.loyalty_card_id
            self.assertEqual(trace.trace_status, "outgoing")
            self.assertEqual(card.program_id, self.program)
            self.assertEqual(card.partner_id, partner)
            self.assertEqual(card.points, 1)
            self.assertTrue(card.active)
            self.assertEqual(trace.loyalty_card_code, card.code)
            self.assertEqual(
                self._sms(trace).body,
                f"Spring coupon – show the code {card.code} at the till, -10% on everything.",
            )
        for partner, failure_type in zip(
            self.partners[2:],
            ["sms_duplicate", "sms_blacklist", "sms_number_missing"],
            strict=True,
        ):
            trace = by_partner[partner.id]
            self.assertEqual((trace.trace_status, trace.failure_type), ("cancel", failure_type))
            self.assertFalse(trace.loyalty_card_id)
            self.assertNotIn("\ue000", self._sms(trace).body or "")

        self.env["sms.sms"]._process_queue()

        received = sorted(message["text"] for message in self.fake.messages.values())
        self.assertEqual(
            received, sorted(self._sms(by_partner[partner.id]).body for partner in reached)
        )
        self.assertTrue(all(card.code in " ".join(received) for card in cards))
        self.assertTrue(all(cards.mapped("active")), "delivered codes stay usable")

    def test_contacts_of_a_mailing_list_get_codes_for_whoever_shows_them(self):
        """A mailing-list contact is no customer: the coupon has no owner, like the
        anonymous coupons Odoo generates, and its code still goes in the SMS and on the
        trace."""
        contacts = self.env["mailing.contact"].create(
            [
                {"name": "List contact", "mobile": "+48 600 300 011"},
                {"name": "Same number", "mobile": "+48 600 300 011"},
            ]
        )
        mailing = self._mailing(contacts, "Kod: :KodPromocyjny: (:NazwaPromocji:)")

        mailing.action_send_sms()

        card = self._cards()
        self.assertEqual(len(card), 1)
        self.assertFalse(card.partner_id)
        trace = self._traces(mailing).filtered("loyalty_card_id")
        self.assertEqual(trace.res_id, contacts[0].id)
        self.assertEqual(self._sms(trace).body, f"Kod: {card.code} (Spring coupon)")

    def test_russian_aliases_render_the_code_and_the_promotion(self):
        mailing = self._mailing(self.partners[:1], ":Акция: — ваш промокод :Промокод:")

        mailing.action_send_sms()

        trace = self._traces(mailing)
        self.assertEqual(
            self._sms(trace).body, f"Spring coupon — ваш промокод {trace.loyalty_card_code}"
        )

    def test_text_written_with_tokens_keeps_the_promotion_tokens_for_the_codes(self):
        """The mailing's text with tokens compiles the recipient's tokens into placeholders and
        leaves the promotion's as typed, so that each SMS still gets its own code; the palette
        offers them."""
        mailing = self._mailing(self.partners[:1], "x")
        mailing.sms_notify_text = ":FirstName:, :PromotionName: :PromoCode:"
        self.assertNotIn("FirstName", mailing.body_plaintext)
        self.assertIn(":PromoCode:", mailing.body_plaintext)
        self.assertIn("PromoCode", [entry["code"] for entry in mailing.sms_notify_token_palette])

        mailing.action_send_sms()

        trace = self._traces(mailing)
        self.assertEqual(self._sms(trace).body, f"Anna, Spring coupon {trace.loyalty_card_code}")

    def test_a_jagatiq_promotion_text_works_as_written(self):
        """JagatiqPOS writes the promotion's tokens ``<<nazwaPromocji>>`` and
        ``<<kodPromocyjny>>``: pasted as they are, each recipient gets their own code, and the
        saved text shows the suite's codes."""
        mailing = self._mailing(self.partners[:1], "x")
        mailing.sms_notify_text = "<<nazwaPromocji>>: kod <<kodPromocyjny>> dla [Imię]"
        # what the form shows once the mailing is saved and read again
        mailing.flush_recordset()
        mailing.invalidate_recordset(["sms_notify_text"])
        self.assertEqual(
            mailing.sms_notify_text, ":PromotionName:: kod :PromoCode: dla :FirstName:"
        )

        mailing.action_send_sms()

        trace = self._traces(mailing)
        self.assertEqual(
            self._sms(trace).body, f"Spring coupon: kod {trace.loyalty_card_code} dla Anna"
        )

    def test_preview_and_counter_read_a_code_as_long_as_the_coupons(self):
        """Counted as typed, :PromoCode: is shorter than a code: a text that fits one SMS as
        typed may need two once each recipient's code is in it."""
        mailing = self._mailing(self.partners[:1], "x")
        # 147 characters and the token: 158 as typed, 161 with a code of 14
        mailing.sms_notify_text = "a" * 146 + " :PromoCode:"
        mailing.sms_notify_preview_res_id = self.partners[0].id
        preview = mailing.sms_notify_preview_text
        self.assertNotIn("PromoCode", preview)
        code = preview.rsplit(" ", 1)[1]
        self.assertEqual(len(code), len(self.env["loyalty.card"]._generate_code()))
        self.assertEqual(mailing.sms_notify_longest_segments, 2)

        mailing.sms_notify_text = ":Акция:, :FirstName:"
        self.assertEqual(mailing.sms_notify_preview_text, "Spring coupon, Anna")
        self.program.name = "Autumn coupon"
        self.assertEqual(mailing.sms_notify_preview_text, "Autumn coupon, Anna")

    def test_a_test_sms_shows_a_sample_code_and_makes_no_coupon(self):
        mailing = self._mailing(self.partners[:1], ":Акция: — ваш промокод :Промокод:")
        test = self.env["mailing.sms.test"].create(
            {"mailing_id": mailing.id, "numbers": "+48 600 300 009"}
        )

        test.action_send_sms()

        sent = self.env["sms.sms"].search([("number", "=", "+48600300009")])
        prefix = "Spring coupon — ваш промокод "
        self.assertTrue(sent.body.startswith(prefix))
        code = sent.body[len(prefix) :]
        self.assertEqual(len(code), len(self.env["loyalty.card"]._generate_code()))
        self.assertFalse(self._cards())

    def test_code_is_usable_on_a_sale_order(self):
        if "sale.order" not in self.env or "applied_coupon_ids" not in self.env["sale.order"]:
            self.skipTest("Sales' coupons (sale_loyalty) are not installed")
        mailing = self._mailing(self.partners[:1], TEXT)
        mailing.action_send_sms()
        code = self._traces(mailing).loyalty_card_code
        product = self.env["product.product"].create({"name": "Frames", "list_price": 100.0})
        order = self.env["sale.order"].create(
            {
                "partner_id": self.partners[0].id,
                "order_line": [
                    (0, 0, {"product_id": product.id, "product_uom_qty": 1, "tax_id": False})
                ],
            }
        )

        claimable = order._try_apply_code(code)

        self.assertNotIn("error", claimable)
        [(card, rewards)] = claimable.items()
        self.assertEqual(card.code, code)
        self.assertNotIn("error", order._apply_program_reward(rewards, card))
        self.assertAlmostEqual(order.amount_untaxed, 90.0)

    def test_code_of_an_sms_the_queue_cancels_is_archived(self):
        """The queue checks consent when it sends: a customer who withdrew their consent to
        promotions after the mailing was prepared gets no SMS, and their code is not usable
        (an archived coupon is not found at the till or in Sales)."""
        mailing = self._mailing(self.partners[:2], TEXT)
        mailing.action_send_sms()
        self.partners[1].sms_notify_ad_consent = False

        self.env["sms.sms"]._process_queue()

        by_partner = {trace.res_id: trace for trace in self._traces(mailing)}
        withdrawn, reached = by_partner[self.partners[1].id], by_partner[self.partners[0].id]
        self.assertEqual(withdrawn.trace_status, "cancel")
        self.assertFalse(withdrawn.loyalty_card_id.active)
        self.assertFalse(
            self.env["loyalty.card"].search([("code", "=", withdrawn.loyalty_card_code)])
        )
        self.assertEqual(
            withdrawn.loyalty_card_code,
            self._cards().filtered(lambda card: not card.active).code,
            "the trace still shows which code was withheld",
        )
        self.assertTrue(reached.loyalty_card_id.active)

    def test_a_text_and_its_promotion_go_together(self):
        """Nothing is sent, and no coupon made, when the text and the promotion do not match."""
        without_code = self._mailing(self.partners[:1], "Spring sale: -10%!")
        with self.assertRaisesRegex(UserError, "does not tell the code"):
            without_code.action_launch()
        self.assertEqual(without_code.state, "draft", "refused when the user sends it")
        with self.assertRaisesRegex(UserError, "does not tell the code"):
            without_code.action_send_sms()
        without_program = self._mailing(
            self.partners[:1], TEXT, program=self.env["loyalty.program"]
        )
        with self.assertRaisesRegex(UserError, "has no promotion"):
            without_program.action_send_sms()
        archived = self._coupon_program("Winter coupon")
        archived.active = False
        with self.assertRaisesRegex(UserError, "archived or has no reward"):
            self._mailing(self.partners[:1], TEXT, program=archived).action_send_sms()
        self.assertFalse(self._traces(without_code | without_program))
        self.assertFalse(self._cards())

    def test_only_programs_used_with_a_code_may_be_linked(self):
        loyalty = self.env["loyalty.program"].create({"name": "Points", "program_type": "loyalty"})
        with self.assertRaisesRegex(ValidationError, "does not use codes"):
            self._mailing(self.partners[:1], TEXT, program=loyalty)
        promotion = self._coupon_program(
            "Code promotion", program_type="promotion", trigger="with_code"
        )
        self.assertTrue(self._mailing(self.partners[:1], TEXT, program=promotion))

    def test_promotion_of_another_company_is_refused(self):
        other = self.env["res.company"].create({"name": "Other shop"})
        program = self._coupon_program("Other shop coupon", company_id=other.id)
        with self.assertRaisesRegex(UserError, "belongs to Other shop"):
            self._mailing(self.partners[:1], TEXT, program=program).action_send_sms()
        self.assertFalse(self._cards(program))

    def test_code_follows_the_reports_of_its_sms_but_not_over_a_hand_archived_coupon(self):
        mailing = self._mailing(self.partners[:2], TEXT)
        mailing.action_send_sms()
        failed, archived_by_hand = self._traces(mailing).sorted("res_id")
        archived_by_hand.loyalty_card_id.active = False

        failed.sms_tracker_ids._update_sms_traces("error", failure_type="sms_server")
        self.assertFalse(failed.loyalty_card_id.active)
        (failed | archived_by_hand).sms_tracker_ids._update_sms_traces("sent")

        self.assertEqual((failed | archived_by_hand).mapped("trace_status"), ["sent", "sent"])
        self.assertTrue(failed.loyalty_card_id.active, "a late report: the SMS arrived")
        self.assertFalse(archived_by_hand.loyalty_card_id.active)
