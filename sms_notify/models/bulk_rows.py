from collections import defaultdict

from odoo import api, models
from odoo.models import LOG_ACCESS_COLUMNS
from odoo.tools import SQL, OrderedSet, split_every

#: rows per INSERT statement
INSERT_CHUNK = 1000
#: fewer new rows than this never make the planner's statistics misleading
ANALYZE_MIN_ROWS = 1000
#: rows per UPDATE statement of the column-wise flush
UPDATE_CHUNK = 1000
#: column types the column-wise flush writes; others are left to Odoo's flush
COLUMNAR_TYPES = frozenset(
    {"varchar", "text", "int4", "float8", "numeric", "bool", "timestamp", "date"}
)


class Base(models.AbstractModel):
    _inherit = "base"

    #: flush this model's pending writes a column at a time (see ``_flush``)
    _sms_notify_columnar_flush = False

    def _flush(self, fnames=None):
        """Odoo's flush, a column at a time, for models that set
        ``_sms_notify_columnar_flush``.

        Odoo converts every pending value of every row, then quotes each row's values one by
        one in Python: a third of the work of the SMS queue, whose batches write the same
        dozen columns to 500 rows, most of them with values the whole batch shares. Here a
        value is converted once per column and distinct value, each column is sent as one
        array, and the rows are written by one ``UPDATE`` per thousand; the table ends up as
        Odoo's flush leaves it (a test holds it to it). Translated, company-dependent and
        other column types are left to Odoo's flush."""
        if not self._sms_notify_columnar_flush:
            return super()._flush(fnames)
        cache = self.env.cache
        dirty_fields = cache.get_dirty_fields()
        wanted = self._fields.values() if fnames is None else [self._fields[f] for f in fnames]
        if not any(field in dirty_fields for field in wanted):
            return None
        mine = [field for field in self._fields.values() if field in dirty_fields]
        if self._parent_store or any(
            field.translate or field.company_dependent or field.column_type[0] not in COLUMNAR_TYPES
            for field in mine
        ):
            return super()._flush(fnames)
        # the values to write are cached for records without context, as Odoo's flush reads
        # them: a context-dependent field keeps one cache per context
        model = self.with_context({})  # pylint: disable=context-overridden
        dirty_ids = {field: cache.clear_dirty_field(field) for field in mine}
        # rows written together are those with the same pending fields
        groups = defaultdict(list)
        for record_id in OrderedSet(rid for ids in dirty_ids.values() for rid in ids):
            groups[tuple(field for field in mine if record_id in dirty_ids[field])].append(
                record_id
            )
        for fields, ids in groups.items():
            for some_ids in split_every(UPDATE_CHUNK, ids):
                model._sms_notify_update_columns(fields, some_ids)
        return None

    def _sms_notify_update_columns(self, fields, ids):
        """Write the cached values of ``fields`` of the records ``ids`` in one ``UPDATE``."""
        cache = self.env.cache
        names = {field.name for field in fields}
        arrays = []
        for field in fields:
            field_cache = cache._get_field_cache(self, field)
            converted = {}
            column = []
            for record_id in ids:
                value = field_cache[record_id]
                if field.type == "monetary":
                    # rounded with each row's currency
                    column.append(field.convert_to_column_update(value, self.browse(record_id)))
                    continue
                try:
                    column.append(converted[value])
                except KeyError:
                    column.append(
                        converted.setdefault(
                            value, field.convert_to_column_update(value, self.browse(record_id))
                        )
                    )
            arrays.append(column)
        assignments = [
            SQL("%s = v.%s", SQL.identifier(field.name), SQL.identifier(field.name))
            for field in fields
        ]
        if self._log_access:
            # what Odoo's _write_multi adds to every row it writes
            if "write_uid" not in names:
                assignments.append(SQL("write_uid = %s", self.env.uid))
            if "write_date" not in names:
                assignments.append(SQL("write_date = %s", self.env.cr.now()))
        self.env.execute_query(
            SQL(
                "UPDATE %s SET %s FROM unnest(%s::int4[], %s) AS v(id, %s) WHERE %s.id = v.id",
                SQL.identifier(self._table),
                SQL(", ").join(assignments),
                list(ids),
                SQL(", ").join(
                    SQL("%s::%s[]", column, SQL(field.column_type[1]))
                    for field, column in zip(fields, arrays, strict=True)
                ),
                SQL(", ").join(SQL.identifier(field.name) for field in fields),
                SQL.identifier(self._table),
            )
        )

    @api.model
    def _sms_notify_insert(self, vals_list):
        """Create records from plain column values, a thousand rows per ``INSERT``.

        For the mass paths only (a mailing to 100,000 contacts), where ``create()`` spends a
        fraction of a millisecond per record on defaults and cache bookkeeping. What ``create()``
        does is still done, once per batch: access rights, defaults (computed once, so a default
        that differs per record, like a UUID, must be given), log-access columns, the computation
        of stored computed fields left out of the values, ``modified()`` for the fields that
        depend on the new rows, and Python constraints. What is not done: the model's own
        ``create()`` overrides and one2many/many2many values, so callers give every value those
        would have set; an ``id`` may be given (reserved from the table's sequence).
        """
        if not vals_list:
            return self.browse()
        self.check_access("create")
        columns = {
            name: field
            for name, field in self._fields.items()
            if field.store and field.column_type and name != "id"
        }
        given = set().union(*vals_list)
        given_everywhere = set(vals_list[0]).intersection(*vals_list[1:])
        unknown = given - set(columns) - {"id"}
        if unknown:
            raise ValueError(f"{self._name} has no column for {sorted(unknown)}")
        partly_computed = [
            name for name in given - given_everywhere if name in columns and columns[name].compute
        ]
        if partly_computed:
            raise ValueError(f"give {sorted(partly_computed)} in every row or in none")
        missing = [
            name
            for name, field in columns.items()
            if name not in given_everywhere and not field.compute and name not in LOG_ACCESS_COLUMNS
        ]
        common = self.default_get(missing)
        if self._log_access:
            now = self.env.cr.now()
            common.update(create_uid=self.env.uid, create_date=now, write_uid=self.env.uid)
            common["write_date"] = now
        names = sorted(given | set(common))
        # values shared by every row are converted once (a monetary value's rounding depends
        # on each row's currency, so those stay per row)
        shared = {
            name: columns[name].convert_to_column_insert(value, self, common)
            for name, value in common.items()
            if columns[name].type != "monetary"
        }
        # one array per column that varies: psycopg2 quotes lists in C, a tuple per row in Python
        varying = [name for name in names if name in given or name not in shared]
        selected = SQL(", ").join(
            SQL("%s::%s", shared[name], SQL(columns[name].column_type[1]))
            if name not in varying
            else SQL("v.%s", SQL.identifier(name))
            for name in names
        )
        ids = []
        for chunk in split_every(INSERT_CHUNK, vals_list):
            arrays = {name: [] for name in varying}
            for vals in chunk:
                stored = common | vals
                for name in varying:
                    value = stored.get(name)
                    arrays[name].append(
                        value
                        if name == "id"
                        else columns[name].convert_to_column_insert(value, self, stored)
                    )
            self.env.cr.execute(
                SQL(
                    "INSERT INTO %s (%s) SELECT %s FROM unnest(%s) AS v(%s) RETURNING id",
                    SQL.identifier(self._table),
                    SQL(", ").join(map(SQL.identifier, names)),
                    selected,
                    SQL(", ").join(
                        SQL(
                            "%s::%s[]",
                            arrays[name],
                            SQL("int4" if name == "id" else columns[name].column_type[1]),
                        )
                        for name in varying
                    ),
                    SQL(", ").join(map(SQL.identifier, varying)),
                )
            )
            ids.extend(row[0] for row in self.env.cr.fetchall())
        self._sms_notify_analyze_if_grown(len(ids))
        records = self.browse(ids)
        # computed fields given a value keep it; the others are computed by the ORM
        given_computed = [columns[name] for name in given - {"id"} if columns[name].compute]
        with self.env.protecting(given_computed, records):
            records.modified(self._fields, create=True)
        records._validate_fields(given)
        return records

    def _sms_notify_write_later(self, vals_list):
        """Give ``vals_list[i]`` to the i-th record of ``self`` in the cache: the values reach
        the table with the next flush, in the same ``UPDATE`` as whatever else is written to
        these records before it (a queue batch's claim, then its answers).

        ``write()`` needs a call per distinct value, here each record gets its own. Access
        rights, ``modified()`` and Python constraints are checked as ``write()`` does. Every
        dict gives the same plain stored fields (no one2many/many2many, no inverse)."""
        if not self:
            return
        if len(self) != len(vals_list):
            raise ValueError("one dict of values per record")
        fnames = set(vals_list[0])
        if any(set(vals) != fnames for vals in vals_list):
            raise ValueError("every record must be given the same fields")
        self.check_access("write")
        for fname in fnames:
            field = self._fields[fname]
            if not (field.store and field.column_type) or field.inverse:
                raise ValueError(f"{self._name}.{fname} cannot be written row by row")
        self.modified(fnames, before=True)
        for fname in fnames:
            field = self._fields[fname]
            self.env.cache.update(
                self,
                field,
                [
                    field.convert_to_cache(vals[fname], record)
                    for record, vals in zip(self, vals_list, strict=True)
                ],
                dirty=True,
            )
        self.modified(fnames)
        self._validate_fields(fnames)

    @api.model
    def _sms_notify_analyze_if_grown(self, inserted):
        """Refresh the table's planner statistics when ``inserted`` rows grew it by a fifth.

        Until autovacuum's next pass the query planner believes the table as small as it was,
        and the queue's batched updates that follow a mass insert then read the whole table
        for every batch: a mailing of 100,000 would slow down with its own square."""
        self.env.cr.execute(
            "SELECT reltuples FROM pg_class WHERE oid = %s::regclass", [self._table]
        )
        known_rows = self.env.cr.fetchone()[0]
        if inserted >= ANALYZE_MIN_ROWS and inserted > 0.2 * max(known_rows, 0):
            self.env.cr.execute(SQL("ANALYZE %s", SQL.identifier(self._table)))
