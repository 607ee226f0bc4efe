from datetime import datetime

from odoo.exceptions import AccessError
from odoo.tests import tagged

from odoo.addons.sms_notify.tests.common import SmscGatewayCommon


@tagged("post_install", "-at_install")
class TestNotifyAppointment(SmscGatewayCommon):
    """Notify on an appointment goes to the customer attending it, with its date and time on
    the customer's clock, in their language, for the appointment's department."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("ru_RU")
        cls.env["ir.module.module"]._load_module_terms(
            ["sms_notify_calendar"], ["ru_RU"], overwrite=True
        )
        cls.customer.write({"sms_notify_gender": "female", "lang": "ru_RU", "tz": "Europe/Moscow"})
        cls.optician = cls.env["res.users"].create(
            {"name": "Irina Optician", "login": "irina_optician", "tz": "Europe/Moscow"}
        )
        cls.salon = cls.env["crm.team"].create({"name": "Salon Nevsky"})
        cls.event = cls.env["calendar.event"].create(
            {
                "name": "Eye test",
                "start": datetime(2026, 12, 3, 12, 30),  # 15:30 in Moscow
                "stop": datetime(2026, 12, 3, 13, 0),
                "user_id": cls.optician.id,
                "partner_ids": [(6, 0, [cls.customer.id, cls.optician.partner_id.id])],
                "sms_notify_team_id": cls.salon.id,
            }
        )

    def test_customer_is_the_attendee_who_is_not_a_user(self):
        self.assertEqual(self.event.sms_notify_customer_id, self.customer)
        self.assertEqual(self.event.sms_notify_time_text, "15:30")

    def test_confirmation_in_the_customers_language_and_time(self):
        template = self.env.ref("sms_notify_calendar.sms_template_appointment_confirmed")
        action = self.event.action_sms_notify()
        wizard = (
            self.env["sms.notify.wizard"]
            .with_context(**action["context"])
            .create({"sms_template_id": template.id})
        )
        self.assertEqual(wizard.partner_id, self.customer)
        self.assertTrue(wizard.sms_body.startswith("Уважаемая Anna, ваша запись на Eye test"))
        self.assertIn("в 15:30, специалист Irina Optician", wizard.sms_body)
        wizard.action_send()
        self.env["sms.sms"]._process_queue()
        [request] = self.fake.requests_to("/sys/send.php")
        self.assertEqual(request.params["phones"], "+79123456789")

    def test_other_department_is_refused(self):
        seller = self.env["res.users"].create(
            {
                "name": "Seller",
                "login": "seller_calendar",
                "groups_id": [(4, self.env.ref("sms_notify.group_sms_notify_send_ready").id)],
            }
        )
        event = self.event.with_user(seller)
        self.assertFalse(event.sms_notify_allowed)
        with self.assertRaisesRegex(AccessError, "Salon Nevsky"):
            event.action_sms_notify()
