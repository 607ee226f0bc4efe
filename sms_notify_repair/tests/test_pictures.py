from odoo.tests import tagged

from odoo.addons.sms_notify.tests.tours import RussianTourCase


@tagged("post_install", "-at_install", "sms_notify_tour_ru")
class TestRepairPictures(RussianTourCase):
    """The readme's picture of a repaired order with its Notify button, in Russian."""

    def test_repaired_order_picture(self):
        repair = self.env.ref("sms_notify_repair.repair_order_dmitry_ivanov_glasses")
        self.env.ref("base.user_admin").lang = self.LANG
        self.take_picture(
            f"/odoo/repair.order/{repair.id}",
            "sms_notify_repair/repair_order",
            ".o_form_view .o_statusbar_buttons",
        )
        self.assertEqual(self.screens, ["sms_notify_repair/repair_order"])
