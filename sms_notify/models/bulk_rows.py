from odoo import api, models
from odoo.models import LOG_ACCESS_COLUMNS
from odoo.tools import SQL, split_every

#: rows per INSERT statement
INSERT_CHUNK = 1000
#: fewer new rows than this never make the planner's statistics misleading
ANALYZE_MIN_ROWS = 1000


class Base(models.AbstractModel):
    _inherit = "base"

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
