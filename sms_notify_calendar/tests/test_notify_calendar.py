from datetime import datetime

from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.tests import Form, tagged

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

    def _open_notify(self):
        action = self.event.action_sms_notify()
        return Form(self.env["sms.notify.wizard"].with_context(**action["context"]))

    def test_notify_opens_with_the_attending_customer_selected(self):
        """As the browser opens it for an administrator of the appointment's salon: the
        customer is the attendee who is not a user, not the optician."""
        administrator = self.env["res.users"].create(
            {
                "name": "Salon Administrator",
                "login": "salon_admin_calendar",
                "groups_id": [(4, self.env.ref("sms_notify.group_sms_notify_send_ready").id)],
            }
        )
        self.salon.member_ids = [(4, administrator.id)]
        action = self.event.with_user(administrator).action_sms_notify()
        notify = Form(
            self.env["sms.notify.wizard"].with_user(administrator).with_context(**action["context"])
        )
        self.assertEqual(notify.partner_id, self.customer)

    def _templates(self, kind):
        return (
            self.env.ref(f"sms_notify_calendar.sms_template_appointment_{kind}"),
            self.env.ref(f"sms_notify_calendar.mail_template_appointment_{kind}"),
        )

    def test_notify_opens_on_the_template_of_the_appointments_moment(self):
        with freeze_time("2026-11-28 09:00:00"):
            notify = self._open_notify()
            self.assertEqual(
                (notify.sms_template_id, notify.mail_template_id), self._templates("confirmed")
            )
            self.assertTrue(notify.sms_body.startswith("Уважаемая Anna, ваша запись на Eye test"))
            other = self.env["res.users"].create({"name": "Oleg", "login": "oleg_notify"})
            self.event.user_id = other
            notify = self._open_notify()
            self.assertEqual(
                (notify.sms_template_id, notify.mail_template_id), self._templates("changed")
            )
            self.assertIn("ваша запись изменена: новый специалист: Oleg.", notify.sms_body)
        with freeze_time("2026-12-02 15:00:00"):
            notify = self._open_notify()
            self.assertEqual(
                (notify.sms_template_id, notify.mail_template_id), self._templates("reminder")
            )
        with freeze_time("2026-12-03 13:00:00"):
            notify = self._open_notify()
            self.assertFalse(notify.sms_template_id, "the appointment is over")
            self.assertFalse(notify.mail_template_id)

    def test_template_of_another_department_is_not_preselected(self):
        sms_template, mail_template = self._templates("confirmed")
        workshop = self.env["crm.team"].create({"name": "Workshop"})
        sms_template.sms_notify_team_ids = workshop
        with freeze_time("2026-11-28 09:00:00"):
            notify = self._open_notify()
        self.assertFalse(notify.sms_template_id)
        self.assertEqual(notify.mail_template_id, mail_template)

    def test_emails_in_russian_and_polish(self):
        self.env["res.lang"]._activate_lang("pl_PL")
        self.env["ir.module.module"]._load_module_terms(
            ["sms_notify_calendar"], ["pl_PL"], overwrite=True
        )
        self.customer.name = "Петрова Анна Сергеевна"
        self.event.sms_notify_changes = "service"
        expected = {
            "ru_RU": {
                "confirmed": ("Ваша запись на 03.12.2026 подтверждена", "Уважаемая Анна,"),
                "changed": ("Ваша запись изменена", "новая услуга: Eye test"),
                "reminder": ("Напоминание: ваша запись на 03.12.2026", "Анна,"),
            },
            "pl_PL": {
                "confirmed": ("Twoja wizyta 03.12.2026 jest potwierdzona", "Szanowna Pani Анна,"),
                "changed": ("Twoja wizyta została zmieniona", "nowa usługa: Eye test"),
                "reminder": ("Przypomnienie: Twoja wizyta 03.12.2026", "godz. 15:30"),
            },
        }
        for lang, by_kind in expected.items():
            self.customer.lang = lang
            for kind, (subject, phrase) in by_kind.items():
                with self.subTest(lang=lang, kind=kind):
                    template = self._templates(kind)[1]
                    rendered = template._generate_template(
                        self.event.ids, ["subject", "body_html"]
                    )[self.event.id]
                    self.assertEqual(rendered["subject"], subject)
                    body = str(rendered["body_html"])
                    self.assertIn(phrase, body)
                    self.assertIn("Анна", body)
                    self.assertIn("Irina Optician", body)

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
