from odoo import api, fields, models

from ..tools.names import parts_fit_name, split_full_name


class ResPartner(models.Model):
    _inherit = "res.partner"

    sms_notify_gender = fields.Selection(
        [("male", "Male"), ("female", "Female")],
        string="Gender",
        help="For the form of address in messages, e.g. Dear Sir or Dear Madam.",
    )
    sms_notify_first_name = fields.Char(
        string="First Name",
        compute="_compute_sms_notify_name_parts",
        store=True,
        readonly=False,
        help="How messages greet the customer. Read from the name; correct it if the name is "
        "written in another order.",
    )
    sms_notify_patronymic = fields.Char(
        string="Patronymic",
        compute="_compute_sms_notify_name_parts",
        store=True,
        readonly=False,
        help="Russian customers are addressed by first name and patronymic (Анна Сергеевна). "
        "Read from the name when it ends in -вич, -вна or -ична.",
    )
    sms_notify_last_name = fields.Char(
        string="Last Name",
        compute="_compute_sms_notify_name_parts",
        store=True,
        readonly=False,
        help="Read from the name; correct it if the name is written in another order.",
    )
    sms_notify_birthday = fields.Date(
        string="Birthday",
        help="For birthday greetings and offers.",
    )

    @api.depends("name", "is_company")
    def _compute_sms_notify_name_parts(self):
        for partner in self:
            current = (
                partner.sms_notify_first_name or "",
                partner.sms_notify_patronymic or "",
                partner.sms_notify_last_name or "",
            )
            if partner.is_company:
                parts = ("", "", "")
            elif parts_fit_name(current, partner.name):
                # read from these words already, or corrected by a user: keep
                parts = current
            else:
                parts = split_full_name(partner.name)
            first, patronymic, last = parts
            partner.sms_notify_first_name = first or False
            partner.sms_notify_patronymic = patronymic or False
            partner.sms_notify_last_name = last or False
