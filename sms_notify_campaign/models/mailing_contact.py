from odoo import api, fields, models

from odoo.addons.sms_notify.tools.names import split_full_name


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
    sms_notify_shop_address = fields.Char(string="Shop Address", compute="_compute_sms_notify_shop")

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
        self.update(self.env["crm.team"]._sms_notify_shop(self.env.company))

    def _sms_notify_tokens(self):
        """A mailing list's contact has no customer card: its tokens are read from its own name,
        with the same codes and aliases as a contact's (see ``mail.thread``)."""
        # read from its own name: a mailing contact has no gender to address it by
        return [
            *(
                token
                for token in self._sms_notify_customer_tokens("object")
                if token.code != "Salutation"
            ),
            *super()._sms_notify_tokens(),
        ]
