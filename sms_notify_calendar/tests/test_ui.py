from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo.tests import new_test_user, tagged

from odoo.addons.sms_notify.tests.tours import RussianTourCase


@tagged("post_install", "-at_install", "sms_notify_tour_ru")
class TestRussianSalonTour(RussianTourCase):
    """A salon in Russia, in Chromium with the interface in Russian."""

    def test_salon_switches_on_the_reminder_sent_from_its_phone(self):
        """A notification manager switches on the ready-made reminder the day before, sent
        through the salon's Android phone; the next appointment's reminder then leaves from
        the phone."""
        if "sms_notify_android" not in self.env.registry._init_modules:
            self.skipTest("the phone gateway comes with sms_notify_android")
        from odoo.addons.sms_notify_android.tests.fakes.android import FakeAndroid

        phone_app = self.enterContext(FakeAndroid(username="sms", password="phone-pass"))
        self.env["sms.notify.gateway"].search([]).action_archive()
        phone = self.env["sms.notify.gateway"].create(
            {
                "name": "Телефон салона",
                "gateway_type": "android",
                "base_url": phone_app.url,
                "login": "sms",
                "password": "phone-pass",
                "timeout": 2,
            }
        )
        self.env["sms.notify.gateway"].create({"name": "Песочница", "gateway_type": "sandbox"})
        new_test_user(
            self.env,
            login="tour_salon",
            groups="base.group_user,sms_notify.group_sms_notify_notification_manager",
            lang=self.LANG,
            notification_type="email",
        )
        reminder = self.env.ref("sms_notify_calendar.sms_notify_rule_appointment_reminder")
        reminder.quiet_hours = "off"
        self.assertFalse(reminder.active)

        self.start_tour(
            f"/odoo/action-sms_notify.sms_notify_rule_action/{reminder.id}",
            "sms_notify_calendar_salon_ru_tour",
            login="tour_salon",
        )

        self.assertTrue(reminder.active)
        self.assertEqual(reminder.gateway_id, phone)
        self.assertEqual(self.screens, ["sms_notify_calendar/reminder_rule"])

        # documents are dated by the test's transaction, which began before the switch
        reminder.enabled_since = datetime.now() - timedelta(hours=1)
        customer = self.env["res.partner"].create(
            {"name": "Ольга Васильева", "mobile": "+7 912 345-67-89", "lang": self.LANG}
        )
        stylist = self.env["res.users"].create({"name": "Мастер Елена", "login": "elena_salon"})
        start = datetime.now().replace(microsecond=0) + timedelta(days=1, hours=2)
        self.env["calendar.event"].create(
            {
                "name": "Стрижка",
                "start": start,
                "stop": start + timedelta(hours=1),
                "user_id": stylist.id,
                "partner_ids": [(6, 0, [customer.id, stylist.partner_id.id])],
            }
        )
        self.env.flush_all()
        self.env.cr.precommit.run()
        with freeze_time(start - timedelta(days=1) + timedelta(minutes=5)):
            self.env["sms.notify.scheduled"]._cron_send_due()
            self.env["sms.sms"]._process_queue()
        sms = self.env["sms.sms"].search([("partner_id", "=", customer.id)])
        self.assertEqual(len(sms), 1)
        self.assertEqual(sms.gateway_id, phone, "the reminder leaves from the salon's phone")
        [request] = phone_app.requests_to("/message")
        self.assertEqual(request.json["phoneNumbers"], ["+79123456789"])
