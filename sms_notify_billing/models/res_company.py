from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import email_normalize


class ResCompany(models.Model):
    _inherit = "res.company"

    sms_notify_provider_email = fields.Char(
        string="SMS Provider's E-mail",
        help="Where sender-name registrations (with their documents) and top-up requests are "
        "sent. The provider's answer to that e-mail is filed on the request it answers.",
    )

    @api.constrains("sms_notify_provider_email")
    def _check_sms_notify_provider_email(self):
        for company in self:
            address = company.sms_notify_provider_email
            if address and not email_normalize(address):
                raise ValidationError(
                    self.env._(
                        "%(address)s is not an e-mail address: enter the SMS provider's address, "
                        "e.g. support@provider.example.",
                        address=address,
                    )
                )

    def _sms_notify_provider_email(self):
        """The provider's address, or a ``UserError`` telling the administrator where to set it:
        a request nobody receives must not pass for sent."""
        self.ensure_one()
        if not self.sms_notify_provider_email:
            raise UserError(
                self.env._(
                    "%(company)s has no SMS provider's e-mail address, so the request cannot "
                    "be sent. An administrator sets it in Settings › SMS Notify › SMS "
                    "Provider's E-mail; then try again.",
                    company=self.name,
                )
            )
        return self.sms_notify_provider_email
