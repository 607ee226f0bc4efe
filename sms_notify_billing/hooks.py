from odoo.tools import sql

#: xml ids of the records that were the core's before billing had an addon of its own
MOVED_XMLIDS = (
    "field_sms_composer__sms_notify_balance_after",
    "field_sms_composer__sms_notify_billed",
    "field_sms_composer__sms_notify_cost",
    "field_sms_composer__sms_notify_cost_enough",
    "field_sms_composer__sms_notify_currency_id",
    "field_sms_notify_wizard__sms_notify_billed",
    "field_sms_notify_wizard__sms_notify_cost_enough",
    "field_sms_resend__sms_notify_billed",
    "field_sms_sms__price",
    "field_sms_sms__operator_registered",
    "field_sms_template__operator_registered",
    "mail_resend_message_view_form",
    "sms_notify_menu_balance",
)
#: and the names of the others: every record of the models that moved
MOVED_PATTERN = (
    r"(tariff|sms_notify_balance|ledger|topup|sender_name|sender_registration"
    r"|sms_notify_operator|operator_registered|monthly_fee)"
)


def pre_init_hook(env):
    """A database where tariffs, the balance, its ledger, top-ups and sender names were still
    the core's (before ``sms_notify_billing`` existed): the balance's model, table and fields
    take their new names (``sms.notify.account`` became ``sms.notify.balance``, ``account_id``
    ``balance_id``) and the moved records their new addon, so that installing this addon
    keeps them instead of creating them a second time."""
    cr = env.cr
    if not sql.table_exists(cr, "sms_notify_account") or sql.table_exists(cr, "sms_notify_balance"):
        return
    cr.execute("ALTER TABLE sms_notify_account RENAME TO sms_notify_balance")
    for table in ("sms_notify_ledger", "sms_notify_topup"):
        if sql.column_exists(cr, table, "account_id"):
            sql.rename_column(cr, table, "account_id", "balance_id")
    cr.execute(
        "UPDATE ir_model_fields SET name = 'balance_id' WHERE name = 'account_id' "
        "AND model IN ('sms.notify.ledger', 'sms.notify.topup')"
    )
    for table, column in (
        ("ir_model", "model"),
        ("ir_model_fields", "model"),
        ("ir_model_fields", "relation"),
        ("ir_model_data", "model"),
        ("mail_message", "model"),
        ("mail_followers", "res_model"),
        ("mail_activity", "res_model"),
        ("ir_attachment", "res_model"),
    ):
        cr.execute(
            sql.SQL(
                "UPDATE %s SET %s = 'sms.notify.balance' WHERE %s = 'sms.notify.account'",
                sql.SQL.identifier(table),
                sql.SQL.identifier(column),
                sql.SQL.identifier(column),
            )
        )
    cr.execute(
        r"""UPDATE ir_model_data
               SET name = replace(replace(name, 'sms_notify_account', 'sms_notify_balance'),
                                  '__account_id', '__balance_id')
             WHERE module = 'sms_notify'
               AND (name LIKE '%%sms\_notify\_account%%' OR name LIKE '%%\_\_account\_id')"""
    )
    cr.execute(
        """UPDATE ir_model_data SET module = 'sms_notify_billing'
            WHERE module = 'sms_notify' AND (name ~ %s OR name = ANY(%s))""",
        [MOVED_PATTERN, list(MOVED_XMLIDS)],
    )


def uninstall_hook(env):
    """The history view reads the price of each SMS: rebuild it without the price before the
    column goes, which would otherwise take the view with it."""
    env["sms.notify.message"].with_context(sms_notify_billing_uninstall=True).init()
