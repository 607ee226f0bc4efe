from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged

from odoo.addons.sms_notify.tests.common import RulesCommon, SmscGatewayCommon


@tagged("post_install", "-at_install")
class TestNotifyRepair(SmscGatewayCommon):
    """Notify on a repair: once it is done, for its department, with the shipped template in
    the customer's language."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("ru_RU")
        cls.env["ir.module.module"]._load_module_terms(
            ["sms_notify_repair"], ["ru_RU"], overwrite=True
        )
        cls.customer.write({"sms_notify_gender": "female", "lang": "ru_RU"})
        product = cls.env["product.product"].create({"name": "Frame", "type": "consu"})
        cls.workshop = cls.env["crm.team"].create({"name": "Workshop"})
        cls.repair = cls.env["repair.order"].create(
            {
                "partner_id": cls.customer.id,
                "product_id": product.id,
                "sms_notify_team_id": cls.workshop.id,
            }
        )
        cls.template = cls.env.ref("sms_notify_repair.sms_template_repair_done")

    def test_done_repair_is_notified_in_the_customers_language(self):
        with self.assertRaisesRegex(UserError, "not repaired yet"):
            self.repair.action_sms_notify()
        self.repair.state = "done"
        action = self.repair.action_sms_notify()
        wizard = (
            self.env["sms.notify.wizard"]
            .with_context(**action["context"])
            .create({"sms_template_id": self.template.id})
        )
        self.assertTrue(wizard.sms_body.startswith("Уважаемая Anna, ремонт"))
        self.assertIn(self.repair.name, wizard.sms_body)
        wizard.action_send()
        self.env["sms.sms"]._process_queue()
        self.assertIn("ремонт", self.fake.requests_to("/sys/send.php")[0].params["mes"])

    def _open_notify(self):
        action = self.repair.action_sms_notify()
        return Form(self.env["sms.notify.wizard"].with_context(**action["context"]))

    def test_notify_opens_with_the_repairs_customer_selected(self):
        """As the browser opens it for a workshop technician of the repair's department."""
        technician = self.env["res.users"].create(
            {
                "name": "Pavel Technician",
                "login": "pavel_repair",
                "groups_id": [
                    (4, self.env.ref("stock.group_stock_user").id),
                    (4, self.env.ref("sms_notify.group_sms_notify_send_ready").id),
                ],
            }
        )
        self.workshop.member_ids = [(4, technician.id)]
        self.repair.state = "done"
        action = self.repair.with_user(technician).action_sms_notify()
        notify = Form(
            self.env["sms.notify.wizard"].with_user(technician).with_context(**action["context"])
        )
        self.assertEqual(notify.partner_id, self.customer)

    def test_done_repair_opens_notify_on_repair_done(self):
        self.customer.email = "anna@example.com"
        self.repair.state = "done"
        notify = self._open_notify()
        self.assertEqual(notify.sms_template_id, self.template)
        self.assertEqual(
            notify.mail_template_id, self.env.ref("sms_notify_repair.mail_template_repair_done")
        )
        self.assertTrue(notify.sms_body.startswith("Уважаемая Anna, ремонт"))
        self.assertEqual(notify.email_subject, f"Ремонт {self.repair.name} выполнен")
        self.assertIn("Уважаемая Anna", notify.email_body)

    def test_repair_done_of_another_department_is_not_preselected(self):
        self.repair.state = "done"
        mail_template = self.env.ref("sms_notify_repair.mail_template_repair_done")
        shop = self.env["crm.team"].create({"name": "Shop"})
        self.template.sms_notify_team_ids = shop
        mail_template.sms_notify_team_ids = shop
        notify = self._open_notify()
        self.assertFalse(notify.sms_template_id)
        self.assertFalse(notify.mail_template_id)

    def test_repair_done_email_in_russian_and_polish(self):
        self.env["res.lang"]._activate_lang("pl_PL")
        self.env["ir.module.module"]._load_module_terms(
            ["sms_notify_repair"], ["pl_PL"], overwrite=True
        )
        self.customer.name = "Петрова Анна Сергеевна"
        template = self.env.ref("sms_notify_repair.mail_template_repair_done")
        for lang, subject, phrase in (
            ("ru_RU", f"Ремонт {self.repair.name} выполнен", "Уважаемая Анна,"),
            ("pl_PL", f"Naprawa {self.repair.name} została wykonana", "Szanowna Pani Анна,"),
        ):
            with self.subTest(lang=lang):
                self.customer.lang = lang
                rendered = template._generate_template(self.repair.ids, ["subject", "body_html"])
                self.assertEqual(rendered[self.repair.id]["subject"], subject)
                self.assertIn(phrase, str(rendered[self.repair.id]["body_html"]))

    def test_other_department_is_refused(self):
        self.repair.state = "done"
        user = self.env["res.users"].create(
            {
                "name": "Shop seller",
                "login": "shop_seller_repair",
                "groups_id": [
                    (4, self.env.ref("stock.group_stock_user").id),
                    (4, self.env.ref("sms_notify.group_sms_notify_send_ready").id),
                ],
            }
        )
        repair = self.repair.with_user(user)
        self.assertFalse(repair.sms_notify_allowed)
        with self.assertRaisesRegex(AccessError, "Workshop"):
            repair.action_sms_notify()
        self.workshop.member_ids = [(4, user.id)]
        repair.invalidate_recordset(["sms_notify_allowed"])
        self.assertTrue(repair.sms_notify_allowed)

    def test_ready_date_token_shows_the_scheduled_day(self):
        self.repair.schedule_date = "2026-03-04 10:00:00"
        self.customer.tz = "Europe/Warsaw"
        template = self.env["sms.template"].create(
            {
                "name": "Repair on",
                "model_id": self.env.ref("repair.model_repair_order").id,
                "sms_notify_text": ":RepairNumber: :ReadyDate:",
            }
        )
        rendered = template._render_field("body", self.repair.ids, compute_lang=True)
        self.assertEqual(rendered[self.repair.id], f"{self.repair.name} 04.03.2026")


@tagged("post_install", "-at_install")
class TestRepairRule(RulesCommon):
    def test_done_repair_is_notified_and_a_cancelled_one_is_not(self):
        rule = self.env.ref("sms_notify_repair.sms_notify_rule_repair_done")
        rule.write({"active": True, "delay_minutes": 15})
        product = self.env["product.product"].create({"name": "Frame", "type": "consu"})
        done, cancelled = self.env["repair.order"].create(
            [{"partner_id": self.customer.id, "product_id": product.id} for _ in range(2)]
        )
        rule.enabled_since = done.create_date - timedelta(seconds=1)
        (done | cancelled).write({"state": "done"})
        self._commit_point()
        self.assertEqual(sorted(self._scheduled(rule).mapped("res_id")), (done | cancelled).ids)
        cancelled.state = "confirmed"
        cancelled.action_repair_cancel()
        waiting = self._scheduled(rule).filtered(lambda message: message.res_id == cancelled.id)
        self.assertEqual(waiting.state, "cancelled")
        with freeze_time(datetime.now() + timedelta(minutes=16)):
            self._send_due()
        [text] = self._sent_texts()
        self.assertIn(done.name, text)
