from odoo import api, fields, models
from odoo.exceptions import ValidationError


class LoyaltyProgram(models.Model):
    _inherit = "loyalty.program"

    sms_notify_points_validity_days = fields.Integer(
        string="Points Expire After",
        help="Days each accrual of points stays on the card: the oldest points are spent "
        "first, and what is left of an accrual is removed from the card on the day its "
        "validity ends (every night, with a history line Points expired). This counts for "
        "points already on the cards too. 0: points live as long as the card.",
    )

    @api.constrains("sms_notify_points_validity_days")
    def _check_sms_notify_points_validity_days(self):
        for program in self:
            if program.sms_notify_points_validity_days < 0:
                raise ValidationError(
                    self.env._(
                        "%(program)s: points cannot expire after a negative number of days. "
                        "Enter the days each accrual stays on the card, or 0 for points that "
                        "live as long as the card.",
                        program=program.name,
                    )
                )
