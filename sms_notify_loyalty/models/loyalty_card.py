from collections import defaultdict
from datetime import datetime, timedelta

import pytz

from odoo import api, fields, models
from odoo.osv import expression
from odoo.tools.misc import format_date

from odoo.addons.sms_notify.tools.tokens import Token

from ..tools import expiry


class LoyaltyCard(models.Model):
    _name = "loyalty.card"
    _inherit = ["loyalty.card", "sms.notify.mixin"]

    sms_notify_points_accrued = fields.Char(
        string="Points Last Accrued",
        compute="_compute_sms_notify_points_accrued",
        help="The points the card received last, as messages show them (150 Points).",
    )
    sms_notify_points_issued = fields.Float(
        string="Points Issued in All",
        compute="_compute_sms_notify_points_issued",
        store=True,
        help="Every point the card ever received: when it grows, points were just accrued "
        "(the Bonus points accrued rule watches it).",
    )
    sms_notify_expiry_text = fields.Char(
        string="Expiry for Messages",
        compute="_compute_sms_notify_expiry_text",
        help="The card's expiration date as the customer reads dates, in their language.",
    )
    sms_notify_expiring_points = fields.Float(
        string="Points Expiring Next",
        compute="_compute_sms_notify_expiring",
        store=True,
        help="The points that expire next: with a validity of points on the program, what is "
        "left of the oldest accrual still on the card (and of the accruals of the same day); "
        "without one, the card's points when the card has an expiration date. 0: nothing "
        "expires.",
    )
    sms_notify_expiring_date = fields.Date(
        string="Points Expire On",
        compute="_compute_sms_notify_expiring",
        store=True,
        help="The day the points expiring next are removed from the card (without a validity "
        "of points on the program: the card's expiration date). Recomputed every night.",
    )
    sms_notify_expiring_points_text = fields.Char(
        string="Points Expiring Next for Messages",
        compute="_compute_sms_notify_expiring_texts",
        help="The points that expire next, as messages show them (70 Points).",
    )
    sms_notify_expiring_date_text = fields.Char(
        string="Points Expiry Date for Messages",
        compute="_compute_sms_notify_expiring_texts",
        help="The day the points expiring next are removed, as the customer reads dates, in "
        "their language.",
    )

    @api.depends(
        "history_ids.issued", "history_ids.create_date", "point_name", "program_id.currency_id"
    )
    def _compute_sms_notify_points_accrued(self):
        for card in self:
            accruals = card.history_ids.filtered(lambda line: line.issued > 0)
            # a line not saved yet is the newest one
            latest = max(
                accruals,
                key=lambda line: (line.create_date or datetime.max, line._origin.id or 0),
                default=None,
            )
            card.sms_notify_points_accrued = card._format_points(latest.issued) if latest else False

    @api.depends("history_ids.issued")
    def _compute_sms_notify_points_issued(self):
        for card in self:
            card.sms_notify_points_issued = sum(card.history_ids.mapped("issued"))

    @api.depends("expiration_date", "partner_id.lang")
    def _compute_sms_notify_expiry_text(self):
        for card in self:
            card.sms_notify_expiry_text = card._sms_notify_customer_date(card.expiration_date)

    def _sms_notify_customer_date(self, day):
        self.ensure_one()
        if not day:
            return False
        return format_date(self.env, day, lang_code=self.partner_id.lang or self.env.lang)

    # ------------------------------------------------------------------
    # Points that expire
    # ------------------------------------------------------------------

    def _sms_notify_tz(self):
        """The shop's clock: the day points were issued and the day they expire are its days."""
        self.ensure_one()
        return pytz.timezone((self.company_id or self.env.company).partner_id.tz or "UTC")

    def _sms_notify_today(self):
        return datetime.now(pytz.utc).astimezone(self._sms_notify_tz()).date()

    def _sms_notify_lots(self):
        """What is left of each accrual still on the card, oldest first (the program has a
        validity of points)."""
        self.ensure_one()
        tz, now = self._sms_notify_tz(), fields.Datetime.now()
        accruals = [
            # a line not saved yet was issued now
            (pytz.utc.localize(line.create_date or now).astimezone(tz).date(), line.issued)
            for line in self.history_ids
            if line.issued > 0
        ]
        return expiry.remaining_lots(
            accruals, self.points, self.program_id.sms_notify_points_validity_days
        )

    @api.depends(
        "points",
        "expiration_date",
        "history_ids.issued",
        "history_ids.create_date",
        "program_id.sms_notify_points_validity_days",
    )
    def _compute_sms_notify_expiring(self):
        for card in self:
            if card.program_id.sms_notify_points_validity_days:
                upcoming = expiry.next_expiry(card._sms_notify_lots(), card._sms_notify_today())
            elif card.expiration_date and card.points > 0:
                upcoming = expiry.Expiry(card.expiration_date, card.points)
            else:
                upcoming = expiry.Expiry()
            card.sms_notify_expiring_date = upcoming.day
            card.sms_notify_expiring_points = upcoming.points

    @api.depends(
        "sms_notify_expiring_points",
        "sms_notify_expiring_date",
        "point_name",
        "program_id.currency_id",
        "partner_id.lang",
    )
    def _compute_sms_notify_expiring_texts(self):
        for card in self:
            points = card.sms_notify_expiring_points
            card.sms_notify_expiring_points_text = card._format_points(points) if points else False
            card.sms_notify_expiring_date_text = card._sms_notify_customer_date(
                card.sms_notify_expiring_date if points else False
            )

    def _sms_notify_recompute_expiring(self):
        for name in ("sms_notify_expiring_points", "sms_notify_expiring_date"):
            self.env.add_to_compute(self._fields[name], self)
        # recomputed through the ORM, so rules timed from the date follow it
        self.flush_recordset(["sms_notify_expiring_points", "sms_notify_expiring_date"])

    @api.model
    def _cron_sms_notify_recompute_expiring(self):
        """Time passes: the cards whose points expiring next are due by now get their next
        expiry (a day ahead, so that no shop's clock is missed)."""
        tomorrow = fields.Date.today() + timedelta(days=1)
        cards = self.search(
            [
                ("program_id.sms_notify_points_validity_days", ">", 0),
                ("sms_notify_expiring_date", "<=", tomorrow),
            ]
        )
        cards._sms_notify_recompute_expiring()
        self._sms_notify_schedule_reminders()

    @api.model
    def _sms_notify_schedule_reminders(self):
        """Rules timed before a date of the card schedule a card when that date is computed;
        a card whose date was computed before its rule was switched on is scheduled here, the
        night after. Cards with a message of the rule still to come, even one cancelled by
        hand, are left as they are."""
        Scheduled = self.env["sms.notify.scheduled"].sudo()
        now = fields.Datetime.now()
        rules = (
            self.env["sms.notify.rule"]
            .sudo()
            .search([("model_id.model", "=", self._name), ("notify_trigger", "=", "before_date")])
        )
        for rule in rules:
            planned = Scheduled.search(
                [("rule_id", "=", rule.id), ("due_datetime", ">=", now)]
            ).mapped("res_id")
            domain = expression.AND(
                [
                    rule._condition(),
                    [
                        (rule.date_field_id.name, ">=", fields.Date.today()),
                        ("id", "not in", planned),
                    ],
                ]
            )
            rule._schedule(self.search(domain))

    @api.model
    def _cron_sms_notify_remove_expired_points(self):
        """Take the expired points off the cards, so that the balance the customer is told is
        what they may spend; each removal is a history line. Removed points are the oldest,
        so a second run finds none left to remove."""
        programs = self.env["loyalty.program"].search([("sms_notify_points_validity_days", ">", 0)])
        now = fields.Datetime.now()
        for program in programs:
            # only cards with an accrual old enough to have expired on some shop's clock
            oldest = now - timedelta(days=program.sms_notify_points_validity_days - 1)
            cards = self.search(
                [
                    ("program_id", "=", program.id),
                    ("points", ">", 0),
                    ("history_ids", "any", [("issued", ">", 0), ("create_date", "<", oldest)]),
                ]
            )
            cards._sms_notify_remove_expired_points()

    def _sms_notify_remove_expired_points(self):
        removed = {}
        for card in self.filtered("program_id.sms_notify_points_validity_days"):
            points = expiry.expired_points(card._sms_notify_lots(), card._sms_notify_today())
            if points:
                removed[card] = min(points, card.points)
        by_lang = defaultdict(list)
        for card in removed:
            by_lang[card.partner_id.lang or self.env.lang].append(card)
        lines = []
        for lang, cards in by_lang.items():
            # the customer reads the card's history in their portal
            description = self.with_context(lang=lang).env._("Points expired")
            lines += [
                {"card_id": card.id, "description": description, "used": removed[card]}
                for card in cards
            ]
        self.env["loyalty.history"].create(lines)
        for card, points in removed.items():
            card.points -= points
        return removed

    def _sms_notify_tokens(self):
        _ = self.env._
        return [
            *super()._sms_notify_tokens(),
            Token(
                "PointsAccrued",
                "object.sms_notify_points_accrued",
                _("Points just added to the card"),
                ("Баллы", "Punkty", "НачисленоБонусов"),
            ),
            Token(
                "PointsBalance",
                "object.points_display",
                _("Points balance of the card"),
                ("БалансБаллов", "SaldoPunktów", "БалансБонусов"),
            ),
            Token(
                "PointsExpiry",
                "object.sms_notify_expiry_text",
                _("Expiration date of the card"),
                ("СрокБаллов", "WażnośćPunktów"),
            ),
            Token(
                "PointsExpiring",
                "object.sms_notify_expiring_points_text",
                _("Points that expire next"),
                ("СгораетБонусов", "PunktyWygasające"),
            ),
            Token(
                "PointsExpiringDate",
                "object.sms_notify_expiring_date_text",
                _("Date the points expiring next are removed"),
                ("ДатаСгорания", "DataWygaśnięciaPunktów"),
            ),
            Token(
                "PromoCode",
                "object.code",
                _("Card code"),
                ("Промокод", "KodRabatowy"),
            ),
        ]
