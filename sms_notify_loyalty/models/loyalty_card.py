from datetime import datetime

from odoo import api, fields, models
from odoo.tools.misc import format_date

from odoo.addons.sms_notify.tools.tokens import Token


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
            card.sms_notify_expiry_text = (
                format_date(
                    self.env, card.expiration_date, lang_code=card.partner_id.lang or self.env.lang
                )
                if card.expiration_date
                else False
            )

    def _sms_notify_tokens(self):
        _ = self.env._
        return [
            *super()._sms_notify_tokens(),
            Token(
                "PointsAccrued",
                "object.sms_notify_points_accrued",
                _("Points just added to the card"),
                ("Баллы", "Punkty"),
            ),
            Token(
                "PointsBalance",
                "object.points_display",
                _("Points balance of the card"),
                ("БалансБаллов", "SaldoPunktów"),
            ),
            Token(
                "PointsExpiry",
                "object.sms_notify_expiry_text",
                _("Expiration date of the card"),
                ("СрокБаллов", "WażnośćPunktów"),
            ),
            Token(
                "PromoCode",
                "object.code",
                _("Card code"),
                ("Промокод", "KodRabatowy"),
            ),
        ]
