from datetime import datetime, timedelta

from odoo.tests import tagged

from .tours import RussianTourCase


@tagged("post_install", "-at_install", "sms_notify_tour_ru")
class TestCorePictures(RussianTourCase):
    """The readme's pictures of the core, in Russian: the delivery chart, the customer
    messages, a gateway and the notification rules."""

    def test_statistics_history_gateway_and_rules_pictures(self):
        self.env.ref("base.user_admin").lang = self.LANG
        gateway = self.env["sms.notify.gateway"].create(
            {"name": "SMSC.ru", "gateway_type": "smsc", "login": "optika", "password": "secret"}
        )
        customers = self.env["res.partner"].create(
            [
                {"name": name, "mobile": f"+7 912 300-00-{index:02d}", "lang": self.LANG}
                for index, name in enumerate(
                    ("Анна Кузнецова", "Борис Орлов", "Вера Соколова", "Глеб Морозов"), 1
                )
            ]
        )
        now = datetime.now().replace(microsecond=0)
        sms = self.env["sms.sms"]
        for day in range(10):
            for index, customer in enumerate(customers):
                state = "error" if (day + index) % 7 == 0 else "sent"
                sms |= sms.create(
                    {
                        "number": customer.mobile,
                        "partner_id": customer.id,
                        "body": f"{customer.name.split()[0]}, ваш заказ готов. Оптика Нова",
                        "gateway_id": gateway.id,
                        "state": state,
                        "failure_type": "sms_number_format" if state == "error" else False,
                        "sent_datetime": now - timedelta(days=day),
                    }
                )
        # spread over the last ten days, as a real history is
        for day in range(10):
            self.env.cr.execute(
                "UPDATE sms_sms SET create_date = %s WHERE id = ANY(%s)",
                [now - timedelta(days=day), sms[day * 4 : day * 4 + 4].ids],
            )
        self.env.flush_all()
        self.take_picture(
            "/odoo/action-sms_notify.sms_notify_message_action_statistics",
            "sms_notify/statistics",
            ".o_graph_view canvas",
        )
        self.take_picture(
            "/odoo/action-sms_notify.sms_notify_message_action",
            "sms_notify/customer_messages",
            ".o_list_view .o_data_row",
        )
        self.take_picture(
            f"/odoo/action-sms_notify.sms_notify_gateway_action/{gateway.id}",
            "sms_notify/gateway",
            ".o_form_view .o_field_widget[name=gateway_type]",
        )
        rule = self.env.ref("sms_notify.sms_notify_rule_birthday")
        self.take_picture(
            f"/odoo/action-sms_notify.sms_notify_rule_action/{rule.id}",
            "sms_notify/rule",
            ".o_form_view div[name=description]",
        )
        self.assertEqual(
            self.screens,
            [
                "sms_notify/statistics",
                "sms_notify/customer_messages",
                "sms_notify/gateway",
                "sms_notify/rule",
            ],
        )
