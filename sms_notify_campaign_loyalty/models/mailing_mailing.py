from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..tools import promo

#: programs whose cards a customer uses by typing the card's code, at the shop or in Sales
PROMO_PROGRAM_TYPES = ("coupons", "promotion")


class MailingMailing(models.Model):
    _inherit = "mailing.mailing"

    loyalty_program_id = fields.Many2one(
        "loyalty.program",
        string="Promotion",
        domain="[('trigger', '=', 'with_code'), ('program_type', 'in', ('coupons', 'promotion')),"
        " '|', ('company_id', '=', False), ('company_id', 'in', allowed_company_ids)]",
        help="Each recipient the SMS is sent to gets a coupon of this program with a code of "
        "its own, usable at the shop and in Sales: write :PromoCode: in the text where the "
        "code goes, and :PromotionName: for the program's name. Recipients who are skipped "
        "(no number, duplicate, blacklisted, opted out) get no coupon.",
    )

    @api.constrains("loyalty_program_id")
    def _check_loyalty_program_gives_codes(self):
        for mailing in self:
            if mailing.loyalty_program_id:
                mailing._sms_notify_check_program_gives_codes(ValidationError)

    def action_put_in_queue(self):
        """Refuse what sending would refuse while the user is still there: SMS Marketing's
        scheduler sends queued mailings later, where a refusal only reaches the log."""
        for mailing in self.filtered(lambda mailing: mailing.mailing_type == "sms"):
            # the company the mailing is sent by, as SMS Notify - Campaigns decides it
            sender = mailing.user_id or mailing.write_uid or self.env.user
            mailing._sms_notify_check_promo(mailing.body_plaintext, sender.company_id)
        return super().action_put_in_queue()

    def _sms_notify_check_program_gives_codes(self, error=UserError):
        # read as superuser, as in _sms_notify_check_promo
        program = self.loyalty_program_id.sudo()
        if program.program_type not in PROMO_PROGRAM_TYPES or program.trigger != "with_code":
            raise error(
                self.env._(
                    "The promotion %(program)s does not use codes: pick a Coupons program, or "
                    "a Promotions program whose rules need a code.",
                    program=program.display_name,
                )
            )

    def _sms_notify_check_promo(self, text, company):
        """Refuse, before any coupon or SMS is made, a mailing whose promotion codes could not
        reach its recipients or be used: a text with :PromoCode: and no promotion, a promotion
        and no :PromoCode: in the text, a promotion archived, without a reward, of another
        company, or that stopped using codes."""
        self.ensure_one()
        # read as superuser to say what is wrong with it, even to a user of another company
        # who cannot read it: only its name, company, kind, state and whether it has rewards
        program = self.loyalty_program_id.sudo()
        used = promo.find(text)
        if not program:
            if used:
                raise UserError(
                    self.env._(
                        "The text of %(mailing)s has a promotion token (:PromoCode: or "
                        ":PromotionName:) but the mailing has no promotion: pick one in the "
                        "Promotion field, or remove the token.",
                        mailing=self.display_name,
                    )
                )
            return
        if promo.PROMO_CODE not in used:
            raise UserError(
                self.env._(
                    "%(mailing)s gives each recipient a coupon of %(program)s, but its text "
                    "does not tell the code: add :PromoCode: to the text, or clear the "
                    "Promotion field.",
                    mailing=self.display_name,
                    program=program.display_name,
                )
            )
        self._sms_notify_check_program_gives_codes()
        if not program.active or not program.reward_ids:
            raise UserError(
                self.env._(
                    "The promotion %(program)s is archived or has no reward: its codes could "
                    "not be used. Pick another promotion.",
                    program=program.display_name,
                )
            )
        if program.company_id and program.company_id != company:
            raise UserError(
                self.env._(
                    "The promotion %(program)s belongs to %(program_company)s, and the mailing "
                    "is sent by %(company)s: pick a promotion of %(company)s.",
                    program=program.display_name,
                    program_company=program.company_id.name,
                    company=company.name,
                )
            )

    @api.depends("loyalty_program_id.name")
    def _compute_sms_notify_rendered_texts(self):
        return super()._compute_sms_notify_rendered_texts()

    def _sms_notify_texts(self, body, res_ids):
        """The texts the preview shows and the counter counts, with the promotion's tokens as
        recipients will read them: a code of the coupons' own form and length (each recipient
        gets their own when the mailing is sent) and the promotion's name. Counted as typed,
        ``:PromoCode:`` is three characters shorter than a code, which can hide a second SMS."""
        if not promo.find(body):
            return super()._sms_notify_texts(body, res_ids)
        # the marks go through rendering and transliteration as they are
        texts = super()._sms_notify_texts(promo.mark(body), res_ids)
        code = self.env["loyalty.card"]._generate_code()
        name = self.loyalty_program_id.name or ""
        return {res_id: promo.fill(text, code, name) for res_id, text in texts.items()}

    def _sms_notify_kept_codes(self):
        return {**super()._sms_notify_kept_codes(), **promo.shown_codes()}

    @api.depends("mailing_model_real")
    @api.depends_context("lang")
    def _compute_sms_notify_token_palette(self):
        result = super()._compute_sms_notify_token_palette()
        labels = {
            promo.PROMO_CODE: self.env._("Promotion code of the recipient's coupon"),
            promo.PROMOTION_NAME: self.env._("Name of the promotion"),
        }
        for mailing in self:
            mailing.sms_notify_token_palette = [
                *mailing.sms_notify_token_palette,
                *(
                    {"code": codes[0], "label": labels[token], "aliases": list(codes[1:])}
                    for token, codes in promo.CODES.items()
                ),
            ]
        return result
