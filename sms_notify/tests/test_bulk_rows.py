from unittest.mock import patch

from odoo import fields
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

    def test_insert_and_write_later_check_access_rights(self):
        user = new_test_user(self.env, login="bulk-rows-user", groups="base.group_user")
        with self.assertRaises(AccessError):
            self.env["sms.sms"].with_user(user)._sms_notify_insert([{"uuid": "denied"}])
        sms = self.env["sms.sms"].create({"number": "+48600000003", "body": "x"})
        with self.assertRaises(AccessError):
            sms.with_user(user)._sms_notify_write_later([{"gateway_reference": "denied"}])

    def _stored(self, sms, column):
        self.env.cr.execute(
            f"SELECT {column} FROM sms_sms WHERE id = ANY(%s) ORDER BY id", [sms.ids]
        )
        return [row[0] for row in self.env.cr.fetchall()]

    def test_write_later_gives_each_record_its_value_and_the_flush_stores_them(self):
        user = new_test_user(self.env, login="bulk-rows-writer", groups="base.group_system")
        sms = self.env["sms.sms"].create(
            [{"number": "+48600000004", "body": "a"}, {"number": "+48600000005", "body": "b"}]
        )
        self.env.flush_all()
        sms.mapped("gateway_reference")  # in the cache before

        sms.with_user(user).sudo()._sms_notify_write_later(
            [
                {"gateway_reference": "one", "vendor_cost": 1.5},
                {"gateway_reference": "two", "vendor_cost": 0.0},
            ]
        )

        self.assertEqual(sms.mapped("gateway_reference"), ["one", "two"])
        self.assertEqual(self._stored(sms, "gateway_reference"), [None, None], "not written yet")
        # a write that follows joins the same flush
        sms.with_user(user).sudo().write({"gateway_error": "later"})
        self.env.flush_all()
        self.assertEqual(self._stored(sms, "gateway_reference"), ["one", "two"])
        self.assertEqual(self._stored(sms, "vendor_cost"), [1.5, 0.0])
        self.assertEqual(self._stored(sms, "gateway_error"), ["later", "later"])
        self.assertEqual(self._stored(sms, "write_uid"), [user.id, user.id])

    def test_write_later_refuses_relational_and_uneven_values(self):
        sms = self.env["sms.sms"].create(
            [{"number": "+48600000006", "body": "a"}, {"number": "+48600000007", "body": "b"}]
        )
        with self.assertRaises(ValueError):
            sms[0]._sms_notify_write_later([{"uuid": "a"}, {"uuid": "b"}])
        with self.assertRaises(ValueError):
            sms._sms_notify_write_later([{"gateway_reference": "a"}, {"vendor_cost": 1.0}])
        with self.assertRaises(ValueError):
            sms[0]._sms_notify_write_later([{"sms_tracker_id": False}])

    def _write_like_the_queue(self, sms, gateway, now):
        """What a queue batch writes: the claim's values, per row and shared, then the
        answers grouped by outcome, one row with a field more than the others."""
        sms._sms_notify_write_later(
            [
                {
                    "state": "process",
                    "claimed_datetime": now,
                    "number": f"+4860000{index:04d}",
                    "gateway_id": gateway.id if index % 2 else False,
                    "gateway_reference": f"ref-{index}" if index % 3 else False,
                }
                for index in range(len(sms))
            ]
        )
        sms[:3].write({"state": "pending", "vendor_cost": 0.35, "sent_datetime": now})
        sms[3:].write({"state": "error", "failure_type": "sms_server", "gateway_error": "Ы"})
        sms[0].segments = 4

    def _rows(self, sms):
        columns = (
            "state, claimed_datetime, number, gateway_id, gateway_reference, vendor_cost, "
            "sent_datetime, failure_type, gateway_error, segments, write_uid"
        )
        self.env.cr.execute(
            f"SELECT {columns} FROM sms_sms WHERE id = ANY(%s) ORDER BY id", [sms.ids]
        )
        return self.env.cr.fetchall()

    def test_column_wise_flush_stores_what_odoos_flush_stores(self):
        gateway = self.env["sms.notify.gateway"].create(
            {"name": "Flush", "gateway_type": "sandbox"}
        )
        model = self.env["sms.sms"].sudo()
        columnar = model.create([{"number": "+48600000000", "body": "a"}] * 6)
        odoos = model.create([{"number": "+48600000000", "body": "a"}] * 6)
        self.env.flush_all()

        now = fields.Datetime.now()
        self._write_like_the_queue(columnar, gateway, now)
        update_columns = type(model)._sms_notify_update_columns
        with patch.object(
            type(model), "_sms_notify_update_columns", autospec=True, side_effect=update_columns
        ) as written:
            columnar.flush_recordset()
        # one statement per set of pending fields: the two outcomes, and the first row
        # with one field more
        self.assertEqual(written.call_count, 3)
        with patch.object(type(model), "_sms_notify_columnar_flush", False):
            self._write_like_the_queue(odoos, gateway, now)
            odoos.flush_recordset()

        self.assertEqual(self._rows(columnar), self._rows(odoos))
        self.env.invalidate_all()
        self.assertEqual(columnar.mapped("state"), ["pending"] * 3 + ["error"] * 3)
        self.assertEqual(columnar[1].gateway_id, gateway)
        self.assertEqual(columnar[3].gateway_error, "Ы")
