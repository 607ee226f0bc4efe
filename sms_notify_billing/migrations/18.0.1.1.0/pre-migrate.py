"""Tariffs and balances get a currency column of their own: filled here with their company's
currency, the one they were priced and kept in so far, before the ORM would compute it record
by record against the constraint that ties the two (see post-migrate)."""

from odoo.tools import SQL, sql


def migrate(cr, version):
    for table in ("sms_notify_tariff", "sms_notify_balance"):
        if not sql.table_exists(cr, table) or sql.column_exists(cr, table, "currency_id"):
            continue
        sql.create_column(cr, table, "currency_id", "int4")
        cr.execute(
            SQL(
                "UPDATE %(table)s SET currency_id = company.currency_id FROM res_company company "
                "WHERE company.id = %(table)s.company_id",
                table=SQL.identifier(table),
            )
        )
