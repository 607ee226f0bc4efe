from odoo.exceptions import AccessError
from odoo.tests import TransactionCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestBulkRows(TransactionCase):
    """The mass paths write many rows per statement; the rows must be what create() and
    write() would have stored."""

    def test_insert_applies_defaults_log_columns_and_computed_fields(self):
        sms = (
            self.env["sms.sms"]
            .sudo()
            ._sms_notify_insert(
                [
                    {"uuid": "bulk-a", "number": "+48600000001", "body": "Hi €"},
                    {"uuid": "bulk-b", "number": "+48600000002", "body": "Привет"},
                ]
            )
        )
        self.assertEqual(sms.mapped("uuid"), ["bulk-a", "bulk-b"])
        self.assertEqual(sms.mapped("state"), ["outgoing", "outgoing"])  # the field's default
        self.assertEqual(sms.mapped("to_delete"), [False, False])
        self.assertEqual(sms.mapped("create_uid"), self.env.user | self.env.user)
        self.assertTrue(all(sms.mapped("create_date")))
        # computed from the body by the ORM, since the values left them out
        self.assertEqual(sms.mapped("encoding"), ["gsm7", "ucs2"])
        self.assertEqual(sms.mapped("segments"), [1, 1])

    def test_insert_keeps_computed_values_it_is_given(self):
        sms = (
            self.env["sms.sms"]
            .sudo()
            ._sms_notify_insert([{"uuid": "bulk-c", "body": "Hi", "segments": 3}])
        )
        self.assertEqual(sms.segments, 3)

    def test_insert_refuses_unknown_columns_and_partly_given_computed_fields(self):
        with self.assertRaises(ValueError):
            self.env["sms.sms"].sudo()._sms_notify_insert([{"uuid": "x", "no_such": 1}])
        with self.assertRaises(ValueError):
            self.env["sms.sms"].sudo()._sms_notify_insert(
                [{"uuid": "y", "segments": 1}, {"uuid": "z"}]
            )

    def test_insert_and_update_check_access_rights(self):
        user = new_test_user(self.env, login="bulk-rows-user", groups="base.group_user")
        with self.assertRaises(AccessError):
            self.env["sms.sms"].with_user(user)._sms_notify_insert([{"uuid": "denied"}])
        sms = self.env["sms.sms"].create({"number": "+48600000003", "body": "x"})
        with self.assertRaises(AccessError):
            sms.with_user(user)._sms_notify_update([{"external_id": "denied"}])

    def test_update_writes_a_value_per_record_and_the_cache_follows(self):
        sms = self.env["sms.sms"].create(
            [{"number": "+48600000004", "body": "a"}, {"number": "+48600000005", "body": "b"}]
        )
        sms.mapped("external_id")  # in the cache before the update
        sms._sms_notify_update([{"external_id": "one", "cost": 1.5}, {"external_id": "two"}])
        self.assertEqual(sms.mapped("external_id"), ["one", "two"])
        self.assertEqual(sms.mapped("cost"), [1.5, 0.0])
        self.env.invalidate_all()
        self.assertEqual(sms.mapped("external_id"), ["one", "two"])

    def test_update_does_not_lose_values_still_waiting_in_the_cache(self):
        sms = self.env["sms.sms"].create({"number": "+48600000006", "body": "a"})
        sms.gateway_error = "pending write"
        sms._sms_notify_update([{"gateway_error": "bulk"}])
        self.env.flush_all()
        self.env.invalidate_all()
        self.assertEqual(sms.gateway_error, "bulk")

    def test_update_refuses_relational_lists_and_mismatched_values(self):
        sms = self.env["sms.sms"].create({"number": "+48600000007", "body": "a"})
        with self.assertRaises(ValueError):
            sms._sms_notify_update([{"uuid": "a"}, {"uuid": "b"}])
        with self.assertRaises(ValueError):
            sms._sms_notify_update([{"sms_tracker_id": False}])

    def test_update_of_many_records_sharing_values_mixed_with_others(self):
        """A queue batch is mostly one outcome: those records are written together, the
        others row by row, and each still gets exactly its own values."""
        user = new_test_user(self.env, login="bulk-rows-writer", groups="base.group_system")
        sms = self.env["sms.sms"].create(
            [
                {"number": f"+4860000{index:04d}", "body": "a", "external_id": "old"}
                for index in range(20)
            ]
        )
        self.env.flush_all()  # the parts count is computed and stored as the superuser
        sms.mapped("external_id")  # in the cache before the update
        shared = {"state": "pending", "cost": 0.5, "external_id": False}
        vals_list = [dict(shared) for _index in range(20)]
        vals_list[3] = {"state": "error", "failure_type": "sms_number_format"}
        vals_list[11] = dict(shared, cost=1.0)

        sms.with_user(user).sudo()._sms_notify_update(vals_list)

        for record, vals in zip(sms, vals_list, strict=True):
            self.assertEqual({fname: record[fname] for fname in vals}, vals)
        self.assertEqual(sms[3].external_id, "old")
        self.env.invalidate_all()
        self.assertEqual(sms.mapped("external_id").count(False), 19)
        self.assertEqual(set(sms.mapped("write_uid")), {user})
