from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo.tests import tagged

from odoo.addons.sms_notify.tests.common import RulesCommon


@tagged("post_install", "-at_install")
class TestAppointmentRules(RulesCommon):
    """Booking confirmation, change notice and the reminder the day before: a moved
    appointment moves its reminder, a cancelled one cancels it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer.tz = "Europe/Moscow"
        cls.optician = cls.env["res.users"].create(
            {"name": "Irina Optician", "login": "irina_rules", "tz": "Europe/Moscow"}
        )
        for xmlid in ("confirmed", "changed", "reminder"):
            rule = cls.env.ref(f"sms_notify_calendar.sms_notify_rule_appointment_{xmlid}")
            rule.active = True
            rule.enabled_since = datetime.now() - timedelta(hours=1)
        cls.reminder = cls.env.ref("sms_notify_calendar.sms_notify_rule_appointment_reminder")
        cls.changed = cls.env.ref("sms_notify_calendar.sms_notify_rule_appointment_changed")
        cls.confirmed = cls.env.ref("sms_notify_calendar.sms_notify_rule_appointment_confirmed")

    def _book(self, start):
        return self.env["calendar.event"].create(
            {
                "name": "Eye test",
                "start": start,
                "stop": start + timedelta(minutes=30),
                "user_id": self.optician.id,
                "partner_ids": [(6, 0, [self.customer.id, self.optician.partner_id.id])],
            }
        )

    def test_booking_confirms_and_reminds_the_day_before(self):
        with freeze_time("2027-03-01 09:00:00"):
            event = self._book(datetime(2027, 3, 5, 12, 0))
            self._commit_point()
            self.assertEqual(len(self._scheduled(self.confirmed)), 1)
            self.assertFalse(self._scheduled(self.changed), "a booking is not a change")
            [reminder] = self._scheduled(self.reminder)
            self.assertEqual(reminder.due_datetime, datetime(2027, 3, 4, 12, 0))
            self._send_due()
            self.assertIn("is confirmed", self._sent_texts()[0])
        with freeze_time("2027-03-04 12:00:00"):
            self._send_due()
        self.assertEqual(reminder.state, "sent")
        self.assertIn("a reminder of your appointment", self._sent_texts()[1])
        # 12:00 UTC is 15:00 in Moscow: the customer reads their own clock
        self.assertIn("at 3:00 PM", self._sent_texts()[1])
        self.assertTrue(event)

    def test_moving_the_appointment_moves_its_reminder_and_sends_a_change_notice(self):
        with freeze_time("2027-03-01 09:00:00"):
            event = self._book(datetime(2027, 3, 5, 12, 0))
            self._commit_point()
            [reminder] = self._scheduled(self.reminder)
            event.write({"start": datetime(2027, 3, 8, 7, 0), "stop": datetime(2027, 3, 8, 7, 30)})
            self._commit_point()
            self.assertEqual(self._scheduled(self.reminder), reminder, "moved, not doubled")
            self.assertEqual(reminder.due_datetime, datetime(2027, 3, 7, 7, 0))
            self.assertEqual(len(self._scheduled(self.changed)), 1)
            self._send_due()
        # 7:00 UTC is 10:00 in Moscow; the employee did not change
        self.assertIn("your appointment has changed: new date and time: ", self._sent_texts()[-1])
        self.assertIn("at 10:00 AM", self._sent_texts()[-1])
        self.assertNotIn("specialist", self._sent_texts()[-1])
        self.assertNotIn("service", self._sent_texts()[-1])
        # moved to tomorrow morning: too close for a reminder the day before
        with freeze_time("2027-03-06 09:00:00"):
            event.write({"start": datetime(2027, 3, 7, 6, 0), "stop": datetime(2027, 3, 7, 6, 30)})
            self._commit_point()
        self.assertEqual(reminder.state, "cancelled")
        self.assertIn("too close", reminder.cancel_reason)

    def test_booking_closer_than_a_day_gets_no_reminder(self):
        with freeze_time("2027-03-01 09:00:00"):
            self._book(datetime(2027, 3, 1, 15, 0))
            self._commit_point()
        self.assertFalse(self._scheduled(self.reminder))
        self.assertEqual(len(self._scheduled(self.confirmed)), 1)

    def test_cancelled_appointment_cancels_its_reminder(self):
        with freeze_time("2027-03-01 09:00:00"):
            archived, deleted = (
                self._book(datetime(2027, 3, 5, 12, 0)),
                self._book(datetime(2027, 3, 6, 12, 0)),
            )
            self._commit_point()
            reminders = self._scheduled(self.reminder)
            self.assertEqual(len(reminders), 2)
            archived.action_archive()
            deleted.unlink()
        self.assertEqual(reminders.mapped("state"), ["cancelled", "cancelled"])
        self.assertEqual(
            sorted(reminders.mapped("cancel_reason")),
            ["The appointment was cancelled.", "The appointment was deleted."],
        )
        with freeze_time("2027-03-06 12:00:00"):
            self._send_due()
        self.assertFalse([text for text in self._sent_texts() if "reminder" in text])

    def _change(self, event, values):
        """Save ``values`` on ``event`` as a request of its own, and send what is due."""
        event.write(values)
        self._commit_point()
        self._send_due()
        return self._scheduled(self.changed)

    def test_changing_the_employee_names_the_new_employee(self):
        with freeze_time("2027-03-01 09:00:00"):
            event = self._book(datetime(2027, 3, 5, 12, 0))
            self._commit_point()
            oleg = self.env["res.users"].create({"name": "Oleg Optometrist", "login": "oleg_rules"})
            [notice] = self._change(event, {"user_id": oleg.id})
        self.assertEqual(notice.state, "sent")
        text = self._sent_texts()[-1]
        self.assertIn("your appointment has changed: new specialist: Oleg Optometrist.", text)
        self.assertNotIn("new date", text)

    def test_changing_the_service_names_it(self):
        with freeze_time("2027-03-01 09:00:00"):
            event = self._book(datetime(2027, 3, 5, 12, 0))
            self._commit_point()
            self._change(event, {"name": "Contact lens fitting"})
        text = self._sent_texts()[-1]
        self.assertIn("your appointment has changed: new service: Contact lens fitting.", text)
        self.assertNotIn("new date", text)
        self.assertNotIn("specialist", text)

    def test_several_changes_are_all_named(self):
        oleg = self.env["res.users"].create({"name": "Oleg Optometrist", "login": "oleg_rules"})
        with freeze_time("2027-03-01 09:00:00"):
            event = self._book(datetime(2027, 3, 5, 12, 0))
            self._commit_point()
            self._change(
                event,
                {
                    "start": datetime(2027, 3, 6, 12, 0),
                    "stop": datetime(2027, 3, 6, 12, 30),
                    "user_id": oleg.id,
                    "name": "Contact lens fitting",
                },
            )
        self.assertIn(
            "new date and time: 03/06/2027 at 3:00 PM; new specialist: Oleg Optometrist; "
            "new service: Contact lens fitting.",
            self._sent_texts()[-1],
        )

    def test_changing_the_description_sends_no_change_notice(self):
        with freeze_time("2027-03-01 09:00:00"):
            event = self._book(datetime(2027, 3, 5, 12, 0))
            self._commit_point()
            self._change(event, {"description": "Bring your old glasses"})
        self.assertFalse(self._scheduled(self.changed))
        self.assertFalse(event.sms_notify_changes)
        self.assertFalse([text for text in self._sent_texts() if "changed" in text])

    def test_changes_add_up_while_the_notice_waits(self):
        self.changed.delay_minutes = 30
        oleg = self.env["res.users"].create({"name": "Oleg Optometrist", "login": "oleg_rules"})
        with freeze_time("2027-03-01 09:00:00"):
            event = self._book(datetime(2027, 3, 5, 12, 0))
            self._commit_point()
            self._change(event, {"name": "Contact lens fitting"})
        with freeze_time("2027-03-01 09:10:00"):
            [notice] = self._change(event, {"user_id": oleg.id})
            self.assertEqual(notice.state, "scheduled", "one notice, moved")
        with freeze_time("2027-03-01 09:45:00"):
            self._send_due()
        self.assertEqual(notice.state, "sent")
        self.assertIn(
            "new specialist: Oleg Optometrist; new service: Contact lens fitting.",
            self._sent_texts()[-1],
        )
        # once told, the next change is news on its own
        with freeze_time("2027-03-02 09:00:00"):
            event.write(
                {"start": datetime(2027, 3, 5, 13, 0), "stop": datetime(2027, 3, 5, 13, 30)}
            )
            self._commit_point()
        self.assertEqual(event.sms_notify_changes, "when")

    def test_change_notice_by_sms_and_email_in_the_customers_language(self):
        for lang in ("ru_RU", "pl_PL"):
            self.env["res.lang"]._activate_lang(lang)
        self.env["ir.module.module"]._load_module_terms(
            ["sms_notify_calendar"], ["ru_RU", "pl_PL"], overwrite=True
        )
        self.changed.mail_template_id = self.env.ref(
            "sms_notify_calendar.mail_template_appointment_changed"
        )
        self.customer.write(
            {
                "name": "Петрова Анна Сергеевна",
                "email": "anna@example.com",
                "sms_notify_gender": "female",
            }
        )
        oleg = self.env["res.users"].create({"name": "Олег Оптометрист", "login": "oleg_rules"})
        expected = {
            "ru_RU": (
                "Уважаемая Анна, ваша запись изменена: новый специалист: Олег Оптометрист.",
                "Ваша запись изменена",
            ),
            "pl_PL": (
                "Szanowna Pani Анна, Twoja wizyta została zmieniona: nowy specjalista: "
                "Олег Оптометрист.",
                "Twoja wizyta została zmieniona",
            ),
        }
        for lang, (sms_start, subject) in expected.items():
            with self.subTest(lang=lang), freeze_time("2027-03-01 09:00:00"):
                self.customer.lang = lang
                event = self._book(datetime(2027, 3, 5, 12, 0))
                self._commit_point()
                self._change(event, {"user_id": oleg.id})
                self.assertTrue(
                    self._sent_texts()[-1].startswith(sms_start), self._sent_texts()[-1]
                )
                email = event.message_ids.filtered_domain([("subject", "=", subject)])
                self.assertEqual(len(email), 1)
                self.assertIn(sms_start.split(": ", 1)[1].rstrip("."), str(email.body))
                self.assertIn(self.customer, email.partner_ids)
