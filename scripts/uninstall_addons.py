# Fed on stdin to `python -m odoo shell -d DB`, which provides `env`.
# Uninstalls the suite's addons and fails when one of them is left behind: an uninstall that
# breaks (a missing ondelete, a view still referencing a removed field) only shows up this way.
import os

names = os.environ["SMS_NOTIFY_ADDONS"].split(",")
Module = env["ir.module.module"]  # noqa: F821 (provided by odoo shell)
installed = Module.search([("name", "in", names), ("state", "=", "installed")])
if set(installed.mapped("name")) != set(names):
    raise SystemExit(f"not all addons are installed to uninstall: {installed.mapped('name')}")
installed.button_immediate_uninstall()
left = env["ir.module.module"].search(  # noqa: F821
    [("name", "in", names), ("state", "!=", "uninstalled")]
)
if left:
    raise SystemExit(f"still installed after uninstall: {left.mapped('name')}")
print("uninstalled:", ", ".join(sorted(names)))
