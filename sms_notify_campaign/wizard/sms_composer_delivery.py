from odoo import models


# when a mailing's SMS may go, apart from how they are stored: one class per file on purpose
class SmsComposerDelivery(models.TransientModel):
    _inherit = "sms.composer"  # pylint: disable=consider-merging-classes-inherited

    def _prepare_mass_sms_values(self, records):
        """A mailing's SMS carry its validity and wait out the quiet hours (see
        ``mailing.mailing._sms_notify_timing``), whichever way they are then stored."""
        values = super()._prepare_mass_sms_values(records)
        if self.mailing_id:
            self.mailing_id._sms_notify_timing(values)
        return values
