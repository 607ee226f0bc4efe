import xmlrpc.client

from odoo.exceptions import AccessError
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

from odoo.addons.sms_notify.tests.common import SmscGatewayCommon

SMSC_DELIVERED = 1
SMSC_EXPIRED = 3
SMSC_UNDELIVERABLE = 20
#: 161 GSM-7 characters: two SMS parts each
TWO_PARTS = "Spring sale: -20% on all frames until Sunday. " * 3 + "Come and see us!" + "!" * 7
PASSWORD = "results-Pass-123"


@tagged("post_install", "-at_install")
class TestCampaignResults(HttpCase, SmscGatewayCommon):
    """A mailing's results from the SMS history: every status with its reasons, the parts and
    the cost per gateway, for the marketing users of the mailing's company only."""

    gateway_values = {**SmscGatewayCommon.gateway_values, "number_prefixes": "+48"}

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # sent at whatever hour the tests run: quiet hours are test_mailing_delivery's
        cls.env.company.sms_notify_quiet_advertising = False
        cls.sandbox = cls._create_gateway(
            "sandbox", sequence=2, number_prefixes="+7", sandbox_delivery_delay=0
        )
        cls.env["phone.blacklist"].create({"number": "+48600500005"})
        numbers = {
            "delivered": "+48 600 500 001",
            "undeliverable": "+48 600 500 002",
            "expired": "+48 600 500 003",
            "waiting": "+48 600 500 004",
            "blacklisted": "+48 600 500 005",
            "duplicate": "0048 600 500 001",
            "no_number": False,
            "sandbox_delivered": "+7 912 500-00-01",
            "sandbox_undeliverable": "+7 912 500-00-00",
        }
        # mailing-list contacts: no partner behind any of them
        cls.contacts = {
            key: cls.env["mailing.contact"].create({"name": key, "mobile": number})
            for key, number in numbers.items()
        }
        contact_ids = [contact.id for contact in cls.contacts.values()]
        cls.mailing = cls.env["mailing.mailing"].create(
            {
                "subject": "Spring sale",
                "mailing_type": "sms",
                "body_plaintext": TWO_PARTS,
                "mailing_model_id": cls.env["ir.model"]._get_id("mailing.contact"),
                "mailing_domain": repr([("id", "in", contact_ids)]),
                "sms_allow_unsubscribe": False,
                "campaign_id": cls.env["utm.campaign"].create({"name": "Spring"}).id,
            }
        )
        cls.marketer = new_test_user(
            cls.env,
            login="res_marketer",
            password=PASSWORD,
            groups="base.group_user,mass_mailing.group_mass_mailing_user",
        )

    def _send_and_report(self):
        self.mailing.action_send_sms()
        self.env["sms.sms"]._process_queue()
        sms_all = self.env["sms.sms"].search([("mailing_id", "=", self.mailing.id)])
        by_number = {}
        for sms in sms_all.filtered("gateway_reference"):
            by_number[sms.number] = sms
        reports = {
            "+48600500001": SMSC_DELIVERED,
            "+48600500002": SMSC_UNDELIVERABLE,
            "+48600500003": SMSC_EXPIRED,
        }
        for number, status in reports.items():
            sms_id, phone = by_number[number].gateway_reference.split(":")
            self.fake.set_status(sms_id, phone, status)
        self.env["sms.sms"]._cron_poll_delivery_status()
        self.env["sms.sms"]._cron_sandbox_delivery_reports()
        self.env.invalidate_all()
        return sms_all

    def test_results_count_every_status_with_reasons_parts_and_cost_per_gateway(self):
        sms_all = self._send_and_report()
        self.assertEqual(len(sms_all), 9)
        self.assertRecordValues(
            self.mailing,
            [
                {
                    "sms_notify_delivered_count": 1,
                    "sms_notify_not_delivered_count": 2,
                    "sms_notify_pending_count": 1,
                    "sms_notify_processing_count": 0,
                    "sms_notify_cancelled_count": 3,
                    # the sandbox's two never left Odoo, whatever it played the operator saying
                    "sms_notify_sandbox_count": 2,
                    # four SMS handed over to an operator, two parts each; cancelled ones and
                    # the sandbox's cost nothing
                    "sms_notify_sent_segments": 8,
                }
            ],
        )
        # SMSC reports 1.4 a part for its four messages; the sandbox costs nothing
        self.assertAlmostEqual(self.mailing.sms_notify_vendor_cost, 4 * 2 * 1.4)

        history = self.env["sms.notify.message"]
        rows = history._read_group(
            [("mailing_id", "=", self.mailing.id)],
            ["gateway_id", "status", "failure_type"],
            ["__count", "segments:sum", "vendor_cost:sum"],
        )
        self.assertEqual(
            sorted(
                (gateway.gateway_type or "", status, failure or "", count, parts, round(cost, 2))
                for gateway, status, failure, count, parts, cost in rows
            ),
            [
                ("", "cancelled", "sms_blacklist", 1, 2, 0.0),
                ("", "cancelled", "sms_duplicate", 1, 2, 0.0),
                ("", "cancelled", "sms_number_missing", 1, 2, 0.0),
                ("sandbox", "sandbox", "", 1, 2, 0.0),
                ("sandbox", "sandbox", "sms_not_delivered", 1, 2, 0.0),
                ("smsc", "delivered", "", 1, 2, 2.8),
                ("smsc", "not_delivered", "sms_expired", 1, 2, 2.8),
                ("smsc", "not_delivered", "sms_not_delivered", 1, 2, 2.8),
                ("smsc", "pending", "", 1, 2, 2.8),
            ],
        )

        html = str(self.mailing.sms_notify_results)
        self.assertIn(self.gateway.name, html)
        self.assertIn(self.sandbox.name, html)
        # per gateway: processing, pending, delivered, not delivered, sandbox, cancelled, parts,
        # cost
        smsc_row = html.split(self.gateway.name, 1)[1].split("</tr>", 1)[0]
        self.assertIn("<td class='text-end'>8</td><td class='text-end'>11.2000</td>", smsc_row)
        for reason in ("Expired", "Not Delivered", "Blacklisted", "Duplicate"):
            self.assertIn(reason, html)
        if "price" in history._fields:
            # billing is installed: the price charged has its column too
            self.assertIn(history._fields["price"].string, html)
        # nothing is charged without a tariff: no balance to tell
        self.assertNotIn("SMS balance left", html)

    def test_results_show_the_price_charged_when_billing_is_installed(self):
        """The campaign addon does not depend on billing: billing's price reaches the results
        through the history's columns."""
        if "sms.notify.balance" not in self.env:
            self.skipTest("SMS Notify - Billing is not installed")
        balance = self.env["sms.notify.balance"]._get_for_company(self.env.company)
        balance.tariff_id = self.env.ref("sms_notify_billing.sms_notify_tariff_shared")
        self.env["sms.notify.ledger"].sudo().create(
            {"balance_id": balance.id, "kind": "topup", "amount": 1000, "name": "Top-up"}
        )
        before = balance.balance
        sms_all = self._send_and_report()
        charged = sum(sms_all.mapped("price"))
        self.assertGreater(charged, 0)

        [(price,)] = self.env["sms.notify.message"]._read_group(
            [("mailing_id", "=", self.mailing.id)], [], ["price:sum"]
        )
        self.assertAlmostEqual(price, charged)
        html = str(self.mailing.sms_notify_results)
        total_row = html.split("fw-bold", 1)[1].split("</tr>")[0]
        self.assertIn(f"<td class='text-end'>{charged:.2f}</td>", total_row)
        # and the balance the mailing left, the ledger's
        balance.invalidate_recordset(["balance"])
        self.assertAlmostEqual(balance.balance, before - charged, places=2)
        self.assertIn(f"SMS balance left: {balance.balance:,.2f} {balance.currency_id.name}", html)

    def test_each_result_opens_the_matching_messages(self):
        self._send_and_report()
        for status, count in [
            ("delivered", 1),
            ("not_delivered", 2),
            ("pending", 1),
            ("cancelled", 3),
            ("sandbox", 2),
        ]:
            action = self.mailing.with_context(
                sms_notify_status=status
            ).action_sms_notify_view_messages()
            self.assertEqual(action["res_model"], "sms.notify.message")
            self.assertEqual(action["context"][f"search_default_filter_{status}"], 1)
            found = self.env["sms.notify.message"].search(
                [*action["domain"], ("status", "=", status)]
            )
            self.assertEqual(len(found), count, status)
        action = self.mailing.with_context(
            sms_notify_status="not_delivered"
        ).action_sms_notify_view_messages()
        self.assertEqual(action["context"]["search_default_group_by_failure_type"], 1)
        action = self.mailing.action_sms_notify_view_messages()
        self.assertEqual(action["views"][0][1], "pivot")
        self.assertEqual(action["context"]["pivot_row_groupby"], ["gateway_id"])

    def test_mailing_and_campaign_are_dimensions_of_the_statistics(self):
        self._send_and_report()
        autumn = self.env["utm.campaign"].create({"name": "Autumn"})
        other = self.mailing.copy({"subject": "Autumn sale", "campaign_id": autumn.id})
        other.action_send_sms(res_ids=self.contacts["delivered"].ids)
        groups = self.env["sms.notify.message"].read_group(
            [("mailing_id", "in", (self.mailing | other).ids)],
            ["segments:sum"],
            ["mailing_id"],
        )
        self.assertEqual(
            {group["mailing_id"][0]: group["mailing_id_count"] for group in groups},
            {self.mailing.id: 9, other.id: 1},
        )
        by_campaign = self.env["sms.notify.message"].read_group(
            [("campaign_id", "=", self.mailing.campaign_id.id)], ["segments:sum"], ["status"]
        )
        self.assertEqual(sum(group["status_count"] for group in by_campaign), 9)

    def test_mailing_list_contacts_are_in_the_history(self):
        """They have no partner; the history used to keep only messages to partners."""
        self._send_and_report()
        history = self.env["sms.notify.message"].search([("mailing_id", "=", self.mailing.id)])
        self.assertEqual(len(history), 9)
        self.assertFalse(history.partner_id)
        delivered = history.filtered(lambda message: message.address == "+48600500001")
        self.assertEqual(
            sorted(delivered.mapped("status")), ["cancelled", "delivered"], "and its duplicate"
        )
        expired = history.filtered(lambda message: message.address == "+48600500003")
        self.assertRecordValues(
            expired, [{"status": "not_delivered", "failure_type": "sms_expired"}]
        )
        self.assertIn("expired", expired.failure_reason)

    def test_mailing_list_contacts_keep_their_name_and_record_in_the_history(self):
        """A contact of a mailing list is nobody's partner: the history names the recipient
        from the contact, and the message opens on it."""
        self._send_and_report()
        history = self.env["sms.notify.message"].search([("mailing_id", "=", self.mailing.id)])
        expired = history.filtered(lambda message: message.address == "+48600500003")
        self.assertRecordValues(
            expired,
            [
                {
                    "partner_id": False,
                    "recipient_name": "expired",
                    "document": self.contacts["expired"],
                }
            ],
        )
        # and the list finds them by name, as it finds customers
        found = self.env["sms.notify.message"].search(
            [("mailing_id", "=", self.mailing.id), ("recipient_name", "ilike", "sandbox_")]
        )
        self.assertEqual(sorted(found.mapped("address")), ["+79125000000", "+79125000001"])

    def test_marketing_user_of_the_company_sees_the_results(self):
        self._send_and_report()
        [values] = self.xmlrpc_object.execute_kw(
            self.env.cr.dbname,
            self.marketer.id,
            PASSWORD,
            "mailing.mailing",
            "read",
            [self.mailing.ids, ["sms_notify_delivered_count", "sms_notify_cancelled_count"]],
        )
        self.assertEqual(
            (values["sms_notify_delivered_count"], values["sms_notify_cancelled_count"]), (1, 3)
        )
        count = self.xmlrpc_object.execute_kw(
            self.env.cr.dbname,
            self.marketer.id,
            PASSWORD,
            "sms.notify.message",
            "search_count",
            [[("mailing_id", "=", self.mailing.id)]],
        )
        self.assertEqual(count, 9)
        # what the web client reads: the form with its results, then the list the buttons open
        # (gateway names shown without the right to configure gateways)
        self.xmlrpc_object.execute_kw(
            self.env.cr.dbname,
            self.marketer.id,
            PASSWORD,
            "mailing.mailing",
            "get_views",
            [[(self.env.ref("mass_mailing_sms.mailing_mailing_view_form_sms").id, "form")]],
        )
        [form] = self.xmlrpc_object.execute_kw(
            self.env.cr.dbname,
            self.marketer.id,
            PASSWORD,
            "mailing.mailing",
            "web_read",
            [self.mailing.ids],
            {"specification": {"sms_notify_results": {}, "sms_notify_sent_segments": {}}},
        )
        self.assertIn(self.gateway.name, form["sms_notify_results"])
        self.assertEqual(form["sms_notify_sent_segments"], 8)
        listed = self.xmlrpc_object.execute_kw(
            self.env.cr.dbname,
            self.marketer.id,
            PASSWORD,
            "sms.notify.message",
            "web_search_read",
            [[("mailing_id", "=", self.mailing.id), ("status", "in", ("delivered", "sandbox"))]],
            {"specification": {"gateway_id": {"fields": {"display_name": {}}}, "status": {}}},
        )
        self.assertEqual(
            sorted(record["gateway_id"]["display_name"] for record in listed["records"]),
            sorted([self.gateway.name, self.sandbox.name, self.sandbox.name]),
        )

    def test_marketing_user_sees_no_department_notifications(self):
        """Marketing sees mailings' messages, not what salespeople sent their customers."""
        self._post_sms(self.customer, "Your glasses are ready")
        history = self.env["sms.notify.message"].with_user(self.marketer)
        self.assertFalse(history.search([("partner_id", "=", self.customer.id)]))

    def test_marketing_user_of_another_company_sees_no_results(self):
        self._send_and_report()
        company_b = self.env["res.company"].create({"name": "Optyk Kraków"})
        outsider = new_test_user(
            self.env,
            login="res_marketer_b",
            password=PASSWORD,
            company_id=company_b.id,
            company_ids=[(6, 0, company_b.ids)],
            groups="base.group_user,mass_mailing.group_mass_mailing_user",
        )
        # the mailing itself is another company's: its figures, summary and balance with it
        with self.assertRaises(AccessError):
            self.mailing.with_user(outsider).read(["sms_notify_delivered_count"])
        with mute_logger("odoo.http"), self.assertRaises(xmlrpc.client.Fault):
            self.xmlrpc_object.execute_kw(
                self.env.cr.dbname,
                outsider.id,
                PASSWORD,
                "mailing.mailing",
                "read",
                [self.mailing.ids, ["sms_notify_delivered_count", "sms_notify_results"]],
            )
        self.assertFalse(
            self.xmlrpc_object.execute_kw(
                self.env.cr.dbname,
                outsider.id,
                PASSWORD,
                "mailing.mailing",
                "search",
                [[("id", "=", self.mailing.id)]],
            )
        )
        found = self.xmlrpc_object.execute_kw(
            self.env.cr.dbname,
            outsider.id,
            PASSWORD,
            "sms.notify.message",
            "read_group",
            [[("mailing_id", "=", self.mailing.id)], ["segments:sum"], ["status"]],
        )
        self.assertEqual(found, [])
