from odoo import fields, models


class MailingTrace(models.Model):
    _inherit = "mailing.trace"

    loyalty_card_id = fields.Many2one(
        "loyalty.card",
        string="Coupon",
        readonly=True,
        index="btree_not_null",
        ondelete="set null",
        help="The coupon of the mailing's promotion this recipient was sent.",
    )
    # a marketing user may read the code of the SMS they sent without any right on coupons
    loyalty_card_code = fields.Char(
        related="loyalty_card_id.code", string="Promo Code", compute_sudo=True
    )
