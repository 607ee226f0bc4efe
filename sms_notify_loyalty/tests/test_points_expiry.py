from datetime import date, datetime, time

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import ValidationError
from odoo.tests import tagged

from odoo.addons.sms_notify.tests.common import RulesCommon


@tagged("post_install", "-at_install")
class TestPointsExpiry(RulesCommon):
    """Points that expire 30 days after each accrual, the oldest spent first: the ITigris
    bonus tokens on a real card, the nightly removal of expired points and the reminder a
    week before."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("ru_RU")
        cls.env["res.lang"]._activate_lang("pl_PL")
        cls.env["ir.module.module"]._load_module_terms(
            ["sms_notify_loyalty"], ["ru_RU"], overwrite=True
        )
        cls.env.company.write({"name": "Optika Nova", "phone": "+7 495 123-45-67"})
        cls.env.company.partner_id.tz = "Europe/Moscow"
        cls.customer.write({"sms_notify_gender": "female", "lang": "ru_RU", "tz": "Europe/Moscow"})
        cls.program = cls.env["loyalty.program"].create(
            {
                "name": "Bonus club",
                "program_type": "loyalty",
                "portal_point_name": "Points",
                "sms_notify_points_validity_days": 30,
            }
        )
        cls.program.update_field_translations("portal_point_name", {"ru_RU": "баллов"})
        cls.rule = cls.env.ref("sms_notify_loyalty.sms_notify_rule_points_expire_soon")

    def setUp(self):
        super().setUp()
        # a history line is dated when it is written: on the test's clock, not the database's
        self.patch(type(self.env.cr), "now", lambda cursor: fields.Datetime.now())

    def _card(self, *moves, program=None, **values):
        """A card and its history: ``moves`` are ``(day, issued, used)`` lines written at noon
        in Moscow that day."""
        card = (
            self.env["loyalty.card"]
            .with_context(loyalty_no_mail=True)
            .create(
                {
                    "program_id": (program or self.program).id,
                    "partner_id": self.customer.id,
                    **values,
                }
            )
        )
        for day, issued, used in moves:
            with freeze_time(datetime.combine(day, time(9))):
                self._move(card, issued=issued, used=used)
        return card

    def _move(self, card, issued=0, used=0):
        """What an order does to a card: a history line and the new balance."""
        self.env["loyalty.history"].create(
            {"card_id": card.id, "description": "Order", "issued": issued, "used": used}
        )
        card.with_context(loyalty_no_mail=True).points += issued - used
        self.env.flush_all()

    def _render(self, text, card):
        template = self.env["sms.template"].create(
            {
                "name": "Points",
                "model_id": self.env.ref("loyalty.model_loyalty_card").id,
                "sms_notify_text": text,
                "lang": "{{ object.partner_id.lang }}",
            }
        )
        return template, template._render_field("body", card.ids, compute_lang=True)[card.id]

    def _two_lots(self):
        """100 points on 1 March, 30 spent on 5 March, 50 more on 20 March: the oldest lot
        keeps 70, expiring on 31 March; the newer keeps 50, expiring on 19 April."""
        return self._card(
            (date(2027, 3, 1), 100, 0), (date(2027, 3, 5), 0, 30), (date(2027, 3, 20), 50, 0)
        )

    @freeze_time("2027-03-25 10:00:00")
    def test_itigris_bonus_tokens_on_a_real_card(self):
        card = self._two_lots()
        self.assertEqual(card.sms_notify_expiring_points, 70, "the oldest points, less spent")
        self.assertEqual(card.sms_notify_expiring_date, date(2027, 3, 31))
        template, text = self._render(
            "+:НачисленоБонусов:, :БалансБонусов:; :СгораетБонусов: сгорят :ДатаСгорания:", card
        )
        self.assertEqual(
            template.sms_notify_text,
            "+:PointsAccrued:, :PointsBalance:; :PointsExpiring: сгорят :PointsExpiringDate:",
            "typed as ITigris users write them, kept as the suite's tokens",
        )
        self.assertEqual(text, "+50 баллов, 120 баллов; 70 баллов сгорят 31.03.2027")
        _template, polish = self._render(":PunktyWygasające: :DataWygaśnięciaPunktów:", card)
        self.assertEqual(polish, "70 баллов 31.03.2027")
        self.customer.lang = "pl_PL"
        _template, polish = self._render(":PunktyWygasające: :DataWygaśnięciaPunktów:", card)
        self.assertEqual(polish, "70 Points 31.03.2027")
        self.customer.lang = "en_US"
        card.invalidate_recordset()
        self.assertEqual(card.sms_notify_expiring_points_text, "70 Points")
        self.assertEqual(card.sms_notify_expiring_date_text, "03/31/2027")

    @freeze_time("2027-03-25 10:00:00")
    def test_spending_uses_the_oldest_lot_first(self):
        card = self._two_lots()
        self._move(card, used=40)
        self.assertEqual(
            (card.sms_notify_expiring_points, card.sms_notify_expiring_date),
            (30, date(2027, 3, 31)),
        )
        self._move(card, used=50)
        self.assertEqual(
            (card.sms_notify_expiring_points, card.sms_notify_expiring_date),
            (30, date(2027, 4, 19)),
            "the oldest lot spent: the next to expire is what is left of the newer",
        )
        self._move(card, issued=25)
        self.assertEqual(card.sms_notify_expiring_points, 30, "new points expire later")
        self._move(card, used=55)
        self.assertFalse(card.sms_notify_expiring_date)
        _template, text = self._render("[:СгораетБонусов:][:ДатаСгорания:]", card)
        self.assertEqual(text, "[][]", "nothing left to expire")

    def test_without_a_validity_the_card_expires_as_a_whole(self):
        program = self.env["loyalty.program"].create(
            {"name": "Gift points", "program_type": "coupons", "portal_point_name": "Points"}
        )
        card = self._card(
            (date(2027, 3, 1), 100, 0), program=program, expiration_date=date(2027, 6, 30)
        )
        self.assertEqual(card.sms_notify_expiring_points, 100)
        self.assertEqual(card.sms_notify_expiring_date, date(2027, 6, 30))
        _template, text = self._render(":СгораетБонусов: :ДатаСгорания: :PointsExpiry:", card)
        self.assertEqual(text, "100 Points 30.06.2027 30.06.2027")
        card.expiration_date = False
        self.assertFalse(card.sms_notify_expiring_points, "points live as long as the card")

    def test_palette_labels_of_the_new_tokens_are_translated(self):
        card = self._card((date(2027, 3, 1), 10, 0))
        labels = {
            token.code: token.label
            for token in card.with_context(lang="ru_RU")._sms_notify_tokens()
        }
        self.assertEqual(labels["PointsExpiring"], "Баллы, которые сгорят ближайшими")
        self.assertEqual(labels["PointsExpiringDate"], "Дата, когда сгорят ближайшие баллы")

    def test_validity_cannot_be_negative(self):
        with self.assertRaisesRegex(ValidationError, "negative number of days"):
            self.program.sms_notify_points_validity_days = -1

    def test_expired_points_are_removed_once(self):
        with freeze_time("2027-03-25 10:00:00"):
            card = self._two_lots()
            fresh = self._card((date(2027, 3, 20), 40, 0))
            unlimited = self._card(
                (date(2027, 1, 1), 10, 0),
                program=self.env["loyalty.program"].create(
                    {"name": "Forever", "program_type": "loyalty"}
                ),
            )
        Card = self.env["loyalty.card"]
        with freeze_time("2027-03-30 22:00:00"):  # 31 March, 01:00 in Moscow
            Card._cron_sms_notify_remove_expired_points()
            Card._cron_sms_notify_remove_expired_points()
        expired = card.history_ids.filtered(lambda line: line.description == "Баллы сгорели")
        self.assertEqual(len(expired), 1, "the second run finds nothing left to remove")
        self.assertEqual((expired.used, expired.issued), (70, 0))
        self.assertEqual(card.points, 50, "the balance the customer is told is what is left")
        self.assertEqual(
            (card.sms_notify_expiring_points, card.sms_notify_expiring_date),
            (50, date(2027, 4, 19)),
        )
        self.assertEqual((fresh.points, len(fresh.history_ids)), (40, 1))
        self.assertEqual(unlimited.points, 10, "a program without a validity keeps its points")

    def test_the_nightly_recompute_moves_on_to_the_next_lot(self):
        with freeze_time("2027-03-25 10:00:00"):
            card = self._two_lots()
        with freeze_time("2027-03-31 10:00:00"):
            self.env["loyalty.card"]._cron_sms_notify_recompute_expiring()
            self.assertEqual(
                (card.sms_notify_expiring_points, card.sms_notify_expiring_date),
                (50, date(2027, 4, 19)),
                "the oldest lot's day has come: the next to expire is the newer lot",
            )

    def test_reminder_a_week_before_the_points_expire(self):
        self.assertFalse(self.rule.active, "shipped switched off")
        self.rule.active = True
        with freeze_time("2027-03-10 10:00:00"):
            card = self._card((date(2027, 3, 1), 100, 0))
            spent = self._card((date(2027, 3, 1), 60, 0))
            self._commit_point()
            messages = self._scheduled(self.rule)
            self.assertEqual(messages.mapped("res_id"), [spent.id, card.id])
            # 24 March in Moscow, at the end of the quiet hours (09:00), is 06:00 UTC
            self.assertEqual(set(messages.mapped("due_datetime")), {datetime(2027, 3, 24, 6, 0)})
            self._move(spent, used=60)
            self._commit_point()
        with freeze_time("2027-03-24 06:00:00"):
            self._send_due()
        [text] = self._sent_texts()
        self.assertEqual(
            text,
            "Уважаемая Anna, 100 баллов на вашей карте сгорят 31.03.2027. Баланс: 100 баллов. "
            "Optika Nova",
        )
        message = messages.filtered(lambda message: message.res_id == spent.id)
        self.assertEqual(message.state, "cancelled", "spent points do not expire")

    def test_reminder_follows_the_days_set_on_the_rule(self):
        self.rule.write({"active": True, "delay_minutes": 3 * 24 * 60})
        with freeze_time("2027-03-10 10:00:00"):
            self._card((date(2027, 3, 1), 100, 0))
            self._commit_point()
        [message] = self._scheduled(self.rule)
        self.assertEqual(message.due_datetime, datetime(2027, 3, 28, 6, 0))

    def test_cards_before_the_rule_was_switched_on_are_reminded_the_night_after(self):
        with freeze_time("2027-03-10 10:00:00"):
            card = self._card((date(2027, 3, 1), 100, 0))
            self._commit_point()
            self.rule.active = True
            self.assertFalse(self._scheduled(self.rule), "the card's date did not change")
            Card = self.env["loyalty.card"]
            Card._cron_sms_notify_recompute_expiring()
            [message] = self._scheduled(self.rule)
            self.assertEqual(
                (message.res_id, message.due_datetime), (card.id, datetime(2027, 3, 24, 6))
            )
            Card._cron_sms_notify_recompute_expiring()
            self.assertEqual(self._scheduled(self.rule), message, "one reminder per card")
            message.action_cancel()
            Card._cron_sms_notify_recompute_expiring()
            self.assertEqual(self._scheduled(self.rule), message, "cancelled by hand stays so")
        with freeze_time("2027-03-28 10:00:00"):
            late = self._card((date(2027, 3, 1), 40, 0))
            self._commit_point()
            Card._cron_sms_notify_recompute_expiring()
            self.assertFalse(
                self._scheduled(self.rule).filtered(lambda message: message.res_id == late.id),
                "3 days before: too late for a reminder a week before",
            )
