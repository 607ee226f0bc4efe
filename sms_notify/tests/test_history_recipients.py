from odoo.tests import tagged

from .common import SmscGatewayCommon

SMSC_UNDELIVERABLE = 20


@tagged("post_install", "-at_install")
class TestHistoryRecipients(SmscGatewayCommon):
    """The history holds every SMS, not only those to contacts: mailing-list contacts and
    numbers typed by hand have no partner behind them, and their messages count too."""

    def test_sms_to_a_number_without_partner_is_in_the_history(self):
        message = self._post_sms(self.customer, "Your glasses are ready", numbers=["+48600700001"])
        sms = self._sms_of(message)
        self.assertFalse(sms.partner_id)
        sms_id, phone = sms.gateway_reference.split(":")
        self.fake.set_status(sms_id, phone, SMSC_UNDELIVERABLE)
        self.env["sms.sms"]._cron_poll_delivery_status()
        self.env.flush_all()

        history = self.env["sms.notify.message"].search([("sms_id", "=", sms.id)])
        self.assertRecordValues(
            history,
            [
                {
                    "channel": "sms",
                    "partner_id": False,
                    "address": "+48600700001",
                    "status": "not_delivered",
                    "failure_type": "sms_not_delivered",
                    "gateway_id": self.gateway.id,
                    "segments": 1,
                }
            ],
        )
        self.assertIn("cannot be delivered", history.failure_reason)
        self.assertAlmostEqual(history.vendor_cost, 1.4)
