import threading

from odoo import SUPERUSER_ID, api
from odoo.tests import TransactionCase

from odoo.addons.sms_notify.tests.common import SmscGatewayCommon, SmsNotifyCommon


def reply_from_provider(record, email, sender, message_id, text):
    """File the provider's answer to ``email`` (sent from ``record``'s chatter) through
    Odoo's mail gateway, as a raw e-mail from ``sender``; return the message it made on
    ``record``."""
    reply = "\r\n".join(
        [
            f"Return-Path: <{sender}>",
            f"From: SMS Provider <{sender}>",
            "To: marina@optika.example",
            f"Subject: Re: {email['subject']}",
            "Date: Thu, 03 Dec 2026 15:00:00 +0000",
            f"Message-ID: {message_id}",
            f"In-Reply-To: {email['message_id']}",
            f"References: {email['message_id']}",
            "MIME-Version: 1.0",
            "Content-Type: text/plain; charset=utf-8",
            "",
            text,
            "",
        ]
    )
    record.env["mail.thread"].sudo().message_process(False, reply)
    return record.message_ids.filtered(lambda message: message.message_id == message_id)


class BillingMixin:
    """The company's SMS balance, with nothing charged unless a test chooses a tariff, and
    starting at zero (demo databases come with a tariff and a top-up)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # requests are e-mailed to the provider: without its address they are refused
        cls.env.company.sms_notify_provider_email = "orders@sms-provider.example"
        cls.sms_balance = cls.env["sms.notify.balance"]._get_for_company(cls.env.company)
        cls.sms_balance.write({"tariff_id": False, "low_balance_threshold": 0})
        if cls.sms_balance.balance:
            cls._credit(-cls.sms_balance.balance, kind="adjustment")
        cls.movements_before = cls.sms_balance.ledger_ids

    @classmethod
    def _bill(cls, tariff, topup=0):
        """Charge messages to the company's balance under ``tariff``, topped up by ``topup``."""
        cls.sms_balance.tariff_id = tariff
        if topup:
            cls._credit(topup)

    def _new_movements(self):
        """The balance movements of the test (not the demo data's)."""
        return self.sms_balance.ledger_ids - self.movements_before

    @classmethod
    def _credit(cls, amount, kind="topup"):
        return (
            cls.env["sms.notify.ledger"]
            .sudo()
            .create(
                {
                    "balance_id": cls.sms_balance.id,
                    "kind": kind,
                    "amount": amount,
                    "name": "Test top-up",
                }
            )
        )


class BillingCommon(BillingMixin, SmsNotifyCommon):
    pass


class SmscBillingCommon(BillingMixin, SmscGatewayCommon):
    pass


class WorkersRaceCase(TransactionCase):
    """Two queue workers charge their batches at the same moment, each on its own database
    connection, as the queue's claim does: the tests work on committed data through their own
    cursors and remove it at the end."""

    def _committed(self):
        return self.registry.cursor()

    def _charge_side_by_side(self, batches, balance_id):
        """Charge ``batches`` (two lists of ``sms.sms`` ids) to the balance ``balance_id``, the
        first worker holding its lock while the second asks for it; return ``{"first": ids
        charged, "second": ids charged}``."""
        first_charged = threading.Event()
        outcomes = {}

        def worker(name, sms_ids, hold):
            try:
                charge(name, sms_ids, hold)
            except Exception as error:  # noqa: BLE001 - reported by the test's own thread
                outcomes[name] = error
                first_charged.set()

        def charge(name, sms_ids, hold):
            with self._committed() as cr, self._committed() as side_cr:
                # the registry is given: looking it up by name waits for the loading of the
                # modules, which runs these tests
                cr.transaction = side_cr.transaction = api.Transaction(self.registry)
                # as the queue's claim opens its side transaction (see _sms_notify_claim)
                side_cr.execute("SET TRANSACTION ISOLATION LEVEL READ COMMITTED")
                env = api.Environment(cr, SUPERUSER_ID, {})
                messages = env["sms.sms"].browse(sms_ids)
                sms_balance = env["sms.notify.balance"].browse(balance_id)
                routes = messages._sms_notify_reserve(
                    sms_balance.company_id, {"gateway": messages}, side_cr
                )
                outcomes[name] = routes.get("gateway", messages.browse()).ids
                if hold:
                    first_charged.set()
                    # the other worker asks for the lock meanwhile
                    threading.Event().wait(0.5)
                side_cr.commit()

        first = threading.Thread(target=worker, args=("first", batches[0], True))
        first.start()
        self.assertTrue(first_charged.wait(30))
        second = threading.Thread(target=worker, args=("second", batches[1], False))
        second.start()
        first.join(30)
        second.join(30)
        for outcome in outcomes.values():
            if isinstance(outcome, Exception):
                raise outcome
        return outcomes
