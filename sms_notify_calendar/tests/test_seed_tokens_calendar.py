from datetime import datetime

from odoo.tests import tagged

from odoo.addons.sms_notify.tests.common import SmsNotifyCommon


@tagged("post_install", "-at_install")
class TestSbisTokens(SmsNotifyCommon):
    """A booking text pasted from SBIS, ``[Дата]``, ``[Время]``, ``[Салон]``, renders on a
    real appointment, with the salon's commercial name, else the organisation's."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("ru_RU")
        cls.env.company.name = "ООО Стиль"
        cls.customer.write({"lang": "ru_RU", "tz": "Europe/Moscow"})
        master = cls.env["res.users"].create(
            {"name": "Ирина", "login": "irina_master", "tz": "Europe/Moscow"}
        )
        cls.salon = cls.env["crm.team"].create(
            {"name": "Salon 1", "sms_notify_commercial_name": 'Салон "Стиль де Виль"'}
        )
        cls.event = cls.env["calendar.event"].create(
            {
                "name": "Стрижка",
                "start": datetime(2019, 12, 25, 12, 0),  # 15:00 in Moscow
                "stop": datetime(2019, 12, 25, 13, 0),
                "user_id": master.id,
                "partner_ids": [(6, 0, [cls.customer.id, master.partner_id.id])],
                "sms_notify_team_id": cls.salon.id,
            }
        )
        cls.template = cls.env["sms.template"].create(
            {
                "name": "Запись",
                "model_id": cls.env.ref("calendar.model_calendar_event").id,
                "sms_notify_text": "Вы записаны [Дата] в [Время] в [Салон]",
            }
        )

    def _render(self):
        return self.template._render_field("body", self.event.ids, compute_lang=True)[self.event.id]

    def test_sbis_booking_text(self):
        self.assertEqual(self._render(), 'Вы записаны 25.12.2019 в 15:00 в Салон "Стиль де Виль"')
        self.assertEqual(
            self.template.sms_notify_text,
            "Вы записаны :AppointmentDate: в :AppointmentTime: в :ShopName:",
        )

    def test_salon_without_a_commercial_name_gives_the_organisations(self):
        self.salon.sms_notify_commercial_name = False
        self.event.invalidate_recordset(["sms_notify_shop_name"])
        self.assertEqual(self._render(), "Вы записаны 25.12.2019 в 15:00 в ООО Стиль")
