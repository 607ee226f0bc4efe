"""Who may see and do what with customer notifications: the role matrix of the readme.

Plain data, importable without Odoo: ``test_role_matrix`` walks every cell over XML-RPC as
the user concerned, and the repository tests check that the readme's table says the same.
"""

#: (key, what the readme calls the role)
ROLES = [
    ("sales_own", "Salesperson, own documents"),
    ("sales_all", "Salesperson, all documents"),
    ("card_sender", "Card sender"),
    ("ready_sender", "Ready sender, every department"),
    ("notification_manager", "Notification Manager"),
    ("sms_admin", "SMS administrator"),
    ("settings_admin", "Settings administrator"),
    ("portal", "Portal user"),
    ("other_company", "Notification Manager of a second company"),
]

#: (key, what the readme calls the action)
ACTIONS = [
    ("history_own_team", "sees the history of their department's orders"),
    ("history_other_team", "sees the history of another department's orders"),
    ("history_other_company", "sees the history of the second company"),
    ("history_internal_email", "sees internal e-mails in the history"),
    ("send_from_card", "sends an SMS from a customer's card"),
    ("notify_own_team_order", "notifies a ready order of their department"),
    ("notify_other_team_order", "notifies a ready order of another department"),
    ("send_to_number", "sends an SMS to a typed number"),
    ("send_mass", "sends one SMS to many customers"),
    ("send_queued_sms", "sends a queued SMS by hand"),
    ("edit_template", "creates an SMS template"),
    ("edit_rule", "creates an automatic notification rule"),
    ("rule_to_webhook", "turns a rule's automation into a webhook"),
    ("edit_gateway", "edits a gateway"),
    ("read_gateway_password", "reads a gateway's password"),
    ("read_ledger", "reads the balance movements"),
    ("adjust_balance", "adjusts the balance"),
    ("credit_without_topup", "credits the balance without a top-up request"),
    ("force_topup_paid", "marks a top-up paid by writing its state"),
    ("change_settings", "changes the suite's settings"),
]

#: the actions on the SMS balance, which only exists with ``sms_notify_billing``: their cells are
#: checked when it is installed
BILLING_ACTIONS = frozenset(
    {"read_ledger", "adjust_balance", "credit_without_topup", "force_topup_paid"}
)

#: what each role may do, one row per action and one column per role (in the order of ROLES):
#: ``Y`` may, ``-`` may not
GRID = """
                            own  all  card ready mgr  sms  set  port co2
history_own_team             Y    Y    -    Y    Y    Y    Y    -    -
history_other_team           -    -    -    Y    Y    Y    Y    -    -
history_other_company        -    -    -    -    -    -    -    -    Y
history_internal_email       -    -    -    -    -    -    -    -    -
send_from_card               -    -    Y    -    Y    Y    Y    -    -
notify_own_team_order        Y    Y    -    Y    Y    Y    Y    -    -
notify_other_team_order      -    -    -    Y    Y    Y    Y    -    -
send_to_number               -    -    -    -    Y    Y    Y    -    Y
send_mass                    -    -    -    -    Y    Y    Y    -    -
send_queued_sms              -    -    -    -    -    Y    Y    -    -
edit_template                -    -    -    -    Y    Y    Y    -    Y
edit_rule                    -    -    -    -    Y    Y    Y    -    Y
rule_to_webhook              -    -    -    -    -    -    -    -    -
edit_gateway                 -    -    -    -    -    Y    Y    -    -
read_gateway_password        -    -    -    -    -    -    Y    -    -
read_ledger                  -    -    -    -    -    Y    Y    -    -
adjust_balance               -    -    -    -    -    Y    Y    -    -
credit_without_topup         -    -    -    -    -    -    -    -    -
force_topup_paid             -    -    -    -    -    -    -    -    -
change_settings              -    -    -    -    -    -    Y    -    -
"""

#: MATRIX[action][role]: whether the role may do it
MATRIX = {
    action: dict(
        zip([role for role, _label in ROLES], [flag == "Y" for flag in flags], strict=True)
    )
    for action, *flags in (line.split() for line in GRID.strip().splitlines()[1:])
}


def cells():
    """Every ``(action, role, allowed)`` of the matrix, in the readme's order."""
    return [(action, role, MATRIX[action][role]) for action, _label in ACTIONS for role, _ in ROLES]
