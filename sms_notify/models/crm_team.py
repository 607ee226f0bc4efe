from odoo import fields, models


class CrmTeam(models.Model):
    """A department speaks to its customers as the shop or salon they know: with its own name,
    phone and address, else the company's."""

    _inherit = "crm.team"

    sms_notify_commercial_name = fields.Char(
        string="Commercial Name",
        help="The shop or salon name this department's messages sign with (the :ShopName: "
        "token). Empty: the company's name.",
    )
    sms_notify_phone = fields.Char(
        string="Shop Phone",
        help="The phone customers call back (the :ShopPhone: token). Empty: the company's.",
    )
    sms_notify_address = fields.Char(
        string="Shop Address",
        help="Where customers come (the :ShopAddress: token), on one line. Empty: the "
        "company's address.",
    )

    def _sms_notify_shop(self, company):
        """The name, phone and address messages of this department (or of none: an empty
        recordset) give for the shop, each the department's own, else ``company``'s."""
        team = self[:1]
        partner = company.partner_id
        city = " ".join(filter(None, (partner.zip, partner.city)))
        company_address = ", ".join(filter(None, (partner.street, partner.street2, city)))
        return {
            "sms_notify_shop_name": team.sms_notify_commercial_name or company.name or False,
            "sms_notify_shop_phone": team.sms_notify_phone or company.phone or False,
            "sms_notify_shop_address": team.sms_notify_address or company_address or False,
        }
