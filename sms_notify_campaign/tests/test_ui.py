from odoo.tests import new_test_user, tagged

from odoo.addons.sms_notify.tests.tours import RussianTourCase


@tagged("post_install", "-at_install", "sms_notify_tour_ru")
class TestRussianMarketerTour(RussianTourCase):
    """A marketer in Russia, in Chromium with the interface in Russian."""

    def test_marketer_sends_a_promotion_to_the_customers_who_agreed(self):
        """A marketing user (not an administrator) writes an SMS mailing with the first-name
        token, reads its summary and puts it in the queue; the screens read Russian."""
        self.env["sms.notify.gateway"].search([]).action_archive()
        self.env["sms.notify.gateway"].create({"name": "Tour sandbox", "gateway_type": "sandbox"})
        customers = self.env["res.partner"].create(
            [
                {"name": "Анна Кузнецова", "mobile": "+7 912 300-00-01", "lang": "ru_RU"},
                {"name": "Борис Орлов", "mobile": "+7 912 300-00-02", "lang": "ru_RU"},
                {"name": "Вера Соколова", "mobile": "+7 912 300-00-03", "lang": "ru_RU"},
            ]
        )
        customers.write({"country_id": self.env.ref("base.ru").id})
        customers.sms_notify_ad_consent = True
        self.env["mailing.filter"].create(
            {
                "name": "Весенние клиенты",
                "mailing_model_id": self.env["ir.model"]._get_id("res.partner"),
                "mailing_domain": repr([("id", "in", customers.ids)]),
            }
        )
        marketer = new_test_user(
            self.env,
            login="tour_marketer_ru",
            groups="base.group_user,mass_mailing.group_mass_mailing_user",
            lang="ru_RU",
            notification_type="email",
        )

        self.start_tour("/odoo", "sms_notify_campaign_ru_tour", login="tour_marketer_ru")

        mailing = self.env["mailing.mailing"].search([("sms_subject", "=", "Весенняя акция")])
        self.assertEqual(mailing.state, "in_queue")
        self.assertEqual(mailing.create_uid, marketer)
        self.assertEqual(
            mailing.sms_notify_text, ":FirstName:, скидка 10% на все оправы до конца марта"
        )
        self.assertEqual(
            self.screens, ["sms_notify_campaign/summary", "sms_notify_campaign/send_confirmation"]
        )
