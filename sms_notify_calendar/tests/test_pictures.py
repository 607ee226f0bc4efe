from odoo.tests import tagged

from odoo.addons.sms_notify.tests.tours import RussianTourCase


@tagged("post_install", "-at_install", "sms_notify_tour_ru")
class TestCalendarPictures(RussianTourCase):
    """The readme's picture of an appointment with its Notify button, in Russian."""

    def test_appointment_picture(self):
        event = self.env.ref("sms_notify_calendar.calendar_event_emily_clarke_eye_test")
        self.env.ref("base.user_admin").lang = self.LANG
        self.take_picture(
            f"/odoo/calendar.event/{event.id}",
            "sms_notify_calendar/appointment",
            ".o_form_view button[name=action_sms_notify]",
        )
        self.assertEqual(self.screens, ["sms_notify_calendar/appointment"])
