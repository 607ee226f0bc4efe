from odoo.tests import tagged

from .common import SmsNotifyCommon, iap_accept_all, iap_endpoint
from .fakes.smsc import FakeSmsc


class TwoCompaniesCommon(SmsNotifyCommon):
    """Two companies, each with its own SMSC account behind its own gateway, its own tariff
    and its own SMS balance, and a customer of each."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_a = cls.env.company
        cls.company_b = cls.env["res.company"].create(
            {"name": "Optyk Kraków", "country_id": cls.env.ref("base.pl").id}
        )
        cls.gateway_a = cls._create_gateway(
            "smsc", login="shop-a", password="secret-a", sender="OPTIKA", timeout=2
        )
        cls.gateway_b = cls._create_gateway(
            "smsc",
            login="shop-b",
            password="secret-b",
            sender="OPTYK",
            timeout=2,
            company_id=cls.company_b.id,
        )
        shared = cls.env.ref("sms_notify.sms_notify_tariff_shared")
        cls._bill(shared, topup=100)
        cls.tariff_b = shared.copy(
            {"company_id": cls.company_b.id, "price_per_message": 0.25, "shared_sender": False}
        )
        cls.account_b = cls.env["sms.notify.account"]._get_for_company(cls.company_b)
        cls.account_b.tariff_id = cls.tariff_b
        cls.env["sms.notify.ledger"].sudo().create(
            {"account_id": cls.account_b.id, "kind": "topup", "amount": 10, "name": "Top-up B"}
        )
        cls.movements_before = cls.account.ledger_ids
        cls.customer_b = cls.env["res.partner"].create(
            {
                "name": "Jan Kowalski",
                # a number without its country code: read in the company's country
                "phone": "512 345 678",
                "company_id": cls.company_b.id,
            }
        )

    def setUp(self):
        super().setUp()
        self.fake_a = self.enterContext(FakeSmsc(login="shop-a", password="secret-a"))
        self.fake_b = self.enterContext(FakeSmsc(login="shop-b", password="secret-b"))
        self.gateway_a.base_url = self.fake_a.url
        self.gateway_b.base_url = self.fake_b.url

    @staticmethod
    def _received(fake):
        """``[(phone, sender)]`` of every message the fake SMSC was asked to send."""
        return [
            (phone, request.params.get("sender"))
            for request in fake.requests_to("/sys/send.php")
            for phone, _text in fake._items(request.params)
        ]


@tagged("post_install", "-at_install")
class TestCompaniesQueue(TwoCompaniesCommon):
    def test_one_queue_run_sends_and_charges_each_message_for_its_own_company(self):
        """The cron's worker (the superuser, whose current company is the first one) sends
        both companies' messages in one run: each through its company's gateway, under its
        sender name, charged to its balance at its tariff, nothing to the other company."""
        self.assertEqual(self.env.company, self.company_a)
        message_a = self.customer._message_sms(
            "Your glasses are ready.", partner_ids=self.customer.ids
        )
        message_b = self.customer_b._message_sms("Okulary gotowe.", partner_ids=self.customer_b.ids)
        sms_a, sms_b = self._sms_of(message_a), self._sms_of(message_b)
        self.assertEqual((sms_a.company_id, sms_b.company_id), (self.company_a, self.company_b))

        self.env["sms.sms"]._process_queue()

        self.assertRecordValues(
            sms_a + sms_b,
            [
                {"state": "pending", "gateway_id": self.gateway_a.id, "price": 9.8},
                {"state": "pending", "gateway_id": self.gateway_b.id, "price": 0.25},
            ],
        )
        self.assertEqual(self._received(self.fake_a), [("+79123456789", "OPTIKA")])
        self.assertEqual(self._received(self.fake_b), [("+48512345678", "OPTYK")])
        self.assertAlmostEqual(self.account.balance, 100 - 9.8, places=2)
        self.assertAlmostEqual(self.account_b.balance, 10 - 0.25, places=2)

    def test_refund_goes_back_to_the_balance_of_the_messages_company(self):
        self.fake_b.number_errors["+48512345678"] = "bad_number"
        message_b = self.customer_b._message_sms("Okulary gotowe.", partner_ids=self.customer_b.ids)
        self.env["sms.sms"]._process_queue()
        self.assertRecordValues(self._sms_of(message_b), [{"state": "error", "price": 0}])
        self.assertAlmostEqual(self.account_b.balance, 10, places=2)
        self.assertEqual(
            sorted(self.account_b.ledger_ids.mapped("kind")), ["debit", "refund", "topup"]
        )
        self.assertFalse(self._new_movements(), "nothing charged or refunded to the first company")

    def test_mass_composer_gives_each_message_its_documents_company(self):
        composer = self.env["sms.composer"].create(
            {
                "composition_mode": "mass",
                "res_model": "res.partner",
                "res_ids": repr((self.customer + self.customer_b).ids),
                "body": "Hello",
                "mass_keep_log": False,
            }
        )
        sms = composer._action_send_sms().sorted("id")
        self.assertEqual(sms.mapped("company_id"), self.company_a + self.company_b)

    def test_company_without_gateway_sends_through_odoo_iap_in_the_same_run(self):
        """A company without gateway keeps Odoo's own sending (IAP), while the other company's
        messages of the same queue run go through its gateway."""
        self.gateway_b.action_archive()
        message_a = self.customer._message_sms("Glasses", partner_ids=self.customer.ids)
        # queued, as Odoo queues the SMS of a mailing
        sms_b = self.env["sms.sms"].create(
            {"number": "+48512345678", "body": "Okulary", "company_id": self.company_b.id}
        )
        with iap_endpoint(self.env, iap_accept_all) as calls:
            self.env["sms.sms"]._process_queue()
        sms_a = self._sms_of(message_a)
        self.assertEqual(
            [
                number["uuid"]
                for _path, params in calls
                for message in params["messages"]
                for number in message["numbers"]
            ],
            [sms_b.uuid],
        )
        self.assertEqual(self._received(self.fake_a), [("+79123456789", "OPTIKA")])
        self.assertEqual(self.fake_b.requests_to("/sys/send.php"), [])
        self.assertRecordValues(
            sms_a + sms_b,
            [
                {"state": "pending", "gateway_id": self.gateway_a.id, "price": 9.8},
                {"state": "pending", "gateway_id": False, "price": 0},
            ],
        )
        self.assertAlmostEqual(self.account_b.balance, 10, places=2)
