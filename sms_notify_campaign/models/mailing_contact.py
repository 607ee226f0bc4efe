from odoo import api, fields, models

from odoo.addons.sms_notify.tools.names import split_full_name
from odoo.addons.sms_notify.tools.tokens import Token


class MailingContact(models.Model):
    _inherit = "mailing.contact"

    # stored: the mailing counter finds the longest texts by their length in SQL
    sms_notify_first_name = fields.Char(
        string="First Name in Messages",
        compute="_compute_sms_notify_name_parts",
        store=True,
        help="How SMS greet the contact (:FirstName:): the first name field if set, else read "
        "from the name.",
    )
    sms_notify_patronymic = fields.Char(
        string="Patronymic in Messages",
        compute="_compute_sms_notify_name_parts",
        store=True,
    )
    sms_notify_last_name = fields.Char(
        string="Last Name in Messages",
        compute="_compute_sms_notify_name_parts",
        store=True,
    )
    sms_notify_shop_name = fields.Char(string="Shop Name", compute="_compute_sms_notify_shop")
    sms_notify_shop_phone = fields.Char(string="Shop Phone", compute="_compute_sms_notify_shop")

    @api.depends("name", "first_name", "last_name")
    def _compute_sms_notify_name_parts(self):
        for contact in self:
            if contact.first_name or contact.last_name:
                parts = (contact.first_name, "", contact.last_name)
            else:
                parts = split_full_name(contact.name)
            first, patronymic, last = parts
            contact.sms_notify_first_name = first or False
            contact.sms_notify_patronymic = patronymic or False
            contact.sms_notify_last_name = last or False

    @api.depends_context("company")
    def _compute_sms_notify_shop(self):
        # a mailing contact belongs to no company: the shop is the one sending the mailing
        self.sms_notify_shop_name = self.env.company.name
        self.sms_notify_shop_phone = self.env.company.phone

    def _sms_notify_tokens(self):
        """A mailing list's contact has no customer card: its tokens are read from its own name,
        with the same codes and aliases as a contact's (see ``mail.thread``)."""
        _ = self.env._
        return [
            *super()._sms_notify_tokens(),
            Token("FirstName", "object.sms_notify_first_name", _("First name"), ("Имя", "Imię")),
            Token("Patronymic", "object.sms_notify_patronymic", _("Patronymic"), ("Отчество",)),
            Token(
                "LastName",
                "object.sms_notify_last_name",
                _("Last name"),
                ("Фамилия", "Nazwisko"),
            ),
            Token("CustomerName", "object.name", _("Full name"), ("Клиент", "Klient")),
            Token(
                "ShopName",
                "object.sms_notify_shop_name",
                _("Shop name"),
                ("Магазин", "Салон", "Sklep"),
            ),
            Token(
                "ShopPhone",
                "object.sms_notify_shop_phone",
                _("Shop phone"),
                ("Tel", "Телефон", "Telefon"),
            ),
        ]
