from odoo.tests import new_test_user, tagged

from odoo.addons.sms_notify.tests.common import ReadyFilterCase

SEARCH_VIEW = "repair.view_repair_order_form_filter"


@tagged("post_install", "-at_install")
class TestReadyToNotifyFilter(ReadyFilterCase):
    """ "Ready to Notify" on repairs lists exactly the repairs whose Notify button shows to the
    user: done, of a department they notify for."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.technician = new_test_user(
            cls.env,
            login="ready_technician",
            groups="stock.group_stock_user,sms_notify.group_sms_notify_send_ready",
        )
        cls.manager = new_test_user(
            cls.env,
            login="ready_repair_manager",
            groups="stock.group_stock_user,sms_notify.group_sms_notify_notification_manager",
        )
        workshop = cls.env["crm.team"].create(
            {"name": "Own Workshop", "member_ids": [cls.technician.id]}
        )
        other = cls.env["crm.team"].create({"name": "Other Workshop"})
        customer = cls.env["res.partner"].create({"name": "Anna", "phone": "+48 600 100 200"})
        product = cls.env["product.product"].create({"name": "Frame", "type": "consu"})

        def repair(team, state):
            record = cls.env["repair.order"].create(
                {"partner_id": customer.id, "product_id": product.id, "sms_notify_team_id": team.id}
            )
            record.state = state
            return record

        cls.own_done = repair(workshop, "done")
        cls.own_under_repair = repair(workshop, "under_repair")
        cls.other_done = repair(other, "done")
        cls.teamless_done = repair(cls.env["crm.team"], "done")
        cls.repairs = cls.own_done | cls.own_under_repair | cls.other_done | cls.teamless_done

    def _button_shown(self, user, records):
        return records.filtered(lambda repair: repair.state == "done" and repair.sms_notify_allowed)

    def test_technician_sees_done_repairs_of_their_workshop(self):
        self.assertFilterListsTheButtons(
            self.technician, SEARCH_VIEW, self.repairs, self.own_done | self.teamless_done
        )

    def test_manager_sees_done_repairs_of_every_workshop(self):
        self.assertFilterListsTheButtons(
            self.manager,
            SEARCH_VIEW,
            self.repairs,
            self.own_done | self.other_done | self.teamless_done,
        )
