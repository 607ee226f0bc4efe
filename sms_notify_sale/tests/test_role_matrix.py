import json

from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

from odoo.addons.sms_notify.tests.common import SmsNotifyCommon

from . import role_matrix

#: groups of each role, besides being an employee (or a portal user)
ROLE_GROUPS = {
    "sales_own": "sales_team.group_sale_salesman,sms_notify.group_sms_notify_send_ready",
    "sales_all": "sales_team.group_sale_salesman_all_leads,sms_notify.group_sms_notify_send_ready",
    "card_sender": "base.group_user,sms_notify.group_sms_notify_send_card",
    "ready_sender": "sales_team.group_sale_salesman_all_leads,"
    "sms_notify.group_sms_notify_other_departments",
    "notification_manager": "sales_team.group_sale_salesman_all_leads,"
    "sms_notify.group_sms_notify_notification_manager",
    "sms_admin": "sales_team.group_sale_salesman_all_leads,sms_notify.group_sms_notify_manager",
    "settings_admin": "sales_team.group_sale_salesman_all_leads,base.group_system",
    "portal": "base.group_portal",
    "other_company": "sales_team.group_sale_salesman_all_leads,"
    "sms_notify.group_sms_notify_notification_manager",
}


@tagged("post_install", "-at_install")
class TestRoleMatrix(HttpCase, SmsNotifyCommon):
    """The readme's role matrix, cell by cell, over JSON-RPC as each user: what they see in the
    customer history and what they may send or configure, in their company and department.

    An allowed cell must succeed and have its effect; a refused one must fail and leave
    nothing behind."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.second_company = cls.env["res.company"].create({"name": "Second Shop"})
        cls.gateway = cls._create_gateway("sandbox", name="Shop gateway", company_id=cls.company.id)
        cls.gateway.sudo().password = "gateway-secret"
        cls._create_gateway("sandbox", name="Second gateway", company_id=cls.second_company.id)
        cls.customer.company_id = cls.company
        cls.billing = "sms.notify.balance" in cls.env
        if cls.billing:
            cls.sms_balance = cls.env["sms.notify.balance"]._get_for_company(cls.company)
            cls.env["sms.notify.ledger"].create(
                {"balance_id": cls.sms_balance.id, "kind": "topup", "amount": 100, "name": "Top-up"}
            )

        cls.users = {}
        for role, groups in ROLE_GROUPS.items():
            company = cls.second_company if role == "other_company" else cls.company
            cls.users[role] = new_test_user(
                cls.env,
                login=f"matrix_{role}",
                password=f"matrix_{role}_pw",
                groups=groups,
                company_id=company.id,
                company_ids=[(6, 0, company.ids)],
                notification_type="email",
            )
        cls.own_team = cls.env["crm.team"].create(
            {
                "name": "Optics shop",
                "member_ids": [(4, cls.users["sales_own"].id), (4, cls.users["sales_all"].id)],
            }
        )
        cls.other_team = cls.env["crm.team"].create({"name": "Hearing aids shop"})
        cls.company.sms_notify_sale_ready = "confirmed"
        product = cls.env["product.product"].create({"name": "Frame", "type": "consu"})
        cls.own_order, cls.other_order = cls.env["sale.order"].create(
            [
                {
                    "partner_id": cls.customer.id,
                    "user_id": cls.users["sales_own"].id,
                    "team_id": cls.own_team.id,
                    "order_line": [(0, 0, {"product_id": product.id, "product_uom_qty": 1})],
                },
                {
                    "partner_id": cls.customer.id,
                    "user_id": cls.env.user.id,
                    "team_id": cls.other_team.id,
                    "order_line": [(0, 0, {"product_id": product.id, "product_uom_qty": 1})],
                },
            ]
        )
        (cls.own_order | cls.other_order).action_confirm()

        # the history each role may or may not see
        cls.own_order._message_sms("History of the optics shop", partner_ids=cls.customer.ids)
        cls.other_order._message_sms("History of the hearing shop", partner_ids=cls.customer.ids)
        second_customer = cls.env["res.partner"].create(
            {
                "name": "Jan Kowalski",
                "mobile": "+48 601 234 567",
                "company_id": cls.second_company.id,
            }
        )
        second_customer.with_company(cls.second_company)._message_sms(
            "History of the second shop", partner_ids=second_customer.ids
        )
        cls.own_order.message_post(
            subject="Confidential salaries",
            body="Bonuses of the shop's staff.",
            partner_ids=cls.users["sales_all"].partner_id.ids,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )

        cls.sms_template = cls.env["sms.template"].create(
            {
                "name": "Card ready",
                "model_id": cls.env.ref("base.model_res_partner").id,
                "body": "Your card is ready.",
            }
        )
        cls.rule = cls.env["sms.notify.rule"].create(
            {
                "name": "Card ready",
                "model_id": cls.env.ref("base.model_res_partner").id,
                "sms_template_id": cls.sms_template.id,
                "condition_domain": "[('function', '=', 'Card ready')]",
                "active": False,
            }
        )
        cls.queued_sms = cls.env["sms.sms"].create(
            {"number": "+79123456780", "body": "Queued by hand", "state": "error"}
        )
        if cls.billing:
            cls.topup = cls.env["sms.notify.topup"].create(
                {"balance_id": cls.sms_balance.id, "amount": 10}
            )

    # ------------------------------------------------------------------
    # JSON-RPC as a user
    # ------------------------------------------------------------------

    def _call(self, role, model, method, *args, **kwargs):
        """Call ``model.method`` over JSON-RPC as the user of ``role``: ``(True, result)``, or
        ``(False, the error's name and message)``."""
        # a refusal is logged as a warning by the server: here it is what is expected
        with mute_logger("odoo.http"):
            response = self._post_json_rpc(role, model, method, args, kwargs)
        self.env.invalidate_all()
        if "error" in response:
            data = response["error"].get("data", {})
            self.last_error = f"{data.get('name')}: {data.get('message')}"
            return False, self.last_error
        return True, response.get("result")

    def _post_json_rpc(self, role, model, method, args, kwargs):
        return self.url_open(
            "/jsonrpc",
            data=json.dumps(
                {
                    "jsonrpc": "2.0",
                    "method": "call",
                    "params": {
                        "service": "object",
                        "method": "execute_kw",
                        "args": [
                            self.env.cr.dbname,
                            self.users[role].id,
                            f"matrix_{role}_pw",
                            model,
                            method,
                            list(args),
                            kwargs,
                        ],
                    },
                }
            ),
            headers={"Content-Type": "application/json"},
        ).json()

    def _sms_count(self, body):
        return self.env["sms.sms"].search_count([("body", "=", body)])

    def _sees_history(self, role, text):
        ok, count = self._call(role, "sms.notify.message", "search_count", [("text", "=", text)])
        return ok and count > 0

    def _notify(self, role, record, body):
        ok, action = self._call(role, record._name, "action_sms_notify", record.ids)
        if not ok:
            return False
        ok, wizard_id = self._call(
            role,
            "sms.notify.wizard",
            "create",
            {"sms_body": body},
            context=action["context"],
        )
        return (
            ok
            and self._call(role, "sms.notify.wizard", "action_send", [wizard_id])[0]
            and self._sms_count(body) == 1
        )

    def _compose(self, role, values):
        ok, composer_id = self._call(role, "sms.composer", "create", values)
        return (
            ok
            and self._call(role, "sms.composer", "action_send_sms", [composer_id])[0]
            and self._sms_count(values["body"]) > 0
        )

    # ------------------------------------------------------------------
    # The cells
    # ------------------------------------------------------------------

    def _history_own_team(self, role, marker):
        return self._sees_history(role, "History of the optics shop")

    def _history_other_team(self, role, marker):
        return self._sees_history(role, "History of the hearing shop")

    def _history_other_company(self, role, marker):
        return self._sees_history(role, "History of the second shop")

    def _history_internal_email(self, role, marker):
        return self._sees_history(role, "Confidential salaries")

    def _send_from_card(self, role, marker):
        return self._notify(role, self.customer, marker)

    def _notify_own_team_order(self, role, marker):
        return self._notify(role, self.own_order, marker)

    def _notify_other_team_order(self, role, marker):
        return self._notify(role, self.other_order, marker)

    def _send_to_number(self, role, marker):
        return self._compose(
            role, {"composition_mode": "numbers", "numbers": "+79123456781", "body": marker}
        )

    def _send_mass(self, role, marker):
        return self._compose(
            role,
            {
                "composition_mode": "mass",
                "res_model": "res.partner",
                "res_ids": repr(self.customer.ids),
                "body": marker,
                "mass_keep_log": False,
            },
        )

    def _send_queued_sms(self, role, marker):
        ok, _result = self._call(role, "sms.sms", "send", self.queued_sms.ids)
        return ok

    def _edit_template(self, role, marker):
        ok, _template_id = self._call(
            role,
            "sms.template",
            "create",
            {"name": marker, "model_id": self.env.ref("base.model_res_partner").id, "body": "Hi"},
        )
        return ok and bool(self.env["sms.template"].search([("name", "=", marker)]))

    def _edit_rule(self, role, marker):
        ok, _rule_id = self._call(
            role,
            "sms.notify.rule",
            "create",
            {
                "name": marker,
                "model_id": self.env.ref("base.model_res_partner").id,
                "sms_template_id": self.sms_template.id,
                "condition_domain": "[('function', '=', 'Card ready')]",
                "active": False,
            },
        )
        return ok and bool(
            self.env["sms.notify.rule"]
            .with_context(active_test=False)
            .search([("name", "=", marker)])
        )

    def _rule_to_webhook(self, role, marker):
        ok, _result = self._call(
            role, "sms.notify.rule", "write", self.rule.ids, {"trigger": "on_webhook"}
        )
        return ok and self.rule.automation_id.trigger == "on_webhook"

    def _edit_gateway(self, role, marker):
        ok, _result = self._call(
            role, "sms.notify.gateway", "write", self.gateway.ids, {"name": marker}
        )
        return ok and self.gateway.name == marker

    def _read_gateway_password(self, role, marker):
        ok, rows = self._call(role, "sms.notify.gateway", "read", self.gateway.ids, ["password"])
        return ok and rows[0]["password"] == "gateway-secret"

    def _read_ledger(self, role, marker):
        ok, rows = self._call(
            role, "sms.notify.ledger", "search_read", [("balance_id", "=", self.sms_balance.id)]
        )
        return ok and bool(rows)

    def _adjust_balance(self, role, marker):
        ok, _line_id = self._call(
            role,
            "sms.notify.ledger",
            "create",
            {"balance_id": self.sms_balance.id, "kind": "adjustment", "amount": 5, "name": marker},
        )
        return ok and bool(self.env["sms.notify.ledger"].search([("name", "=", marker)]))

    def _credit_without_topup(self, role, marker):
        ok, _line_id = self._call(
            role,
            "sms.notify.ledger",
            "create",
            {"balance_id": self.sms_balance.id, "kind": "topup", "amount": 1000, "name": marker},
        )
        return ok and bool(self.env["sms.notify.ledger"].search([("name", "=", marker)]))

    def _force_topup_paid(self, role, marker):
        ok, _result = self._call(
            role, "sms.notify.topup", "write", self.topup.ids, {"state": "paid"}
        )
        return ok and self.topup.state == "paid"

    def _change_settings(self, role, marker):
        ok, settings_id = self._call(
            role, "res.config.settings", "create", {"sms_notify_max_segments": 3}
        )
        ok = ok and self._call(role, "res.config.settings", "execute", [settings_id])[0]
        parameters = self.env["ir.config_parameter"].sudo()
        return ok and parameters.get_param("sms_notify.max_segments") == "3"

    def test_every_cell_of_the_role_matrix(self):
        wrong = []
        cells = [
            (action, role, allowed)
            for action, role, allowed in role_matrix.cells()
            # the balance's cells need sms_notify_billing, which Sales does not install
            if self.billing or action not in role_matrix.BILLING_ACTIONS
        ]
        for action, role, allowed in cells:
            # each cell starts from the same database
            self.last_error = None
            with self.env.cr.savepoint() as savepoint:
                done = getattr(self, f"_{action}")(role, f"{action} by {role}")
                if done != allowed:
                    wrong.append(
                        f"{action}, {role}: {'refused' if allowed else 'allowed'}, expected "
                        f"{'allowed' if allowed else 'refused'} ({self.last_error or 'no error'})"
                    )
                savepoint.rollback()
            self.env.invalidate_all()
        if wrong:
            self.fail(
                f"{len(wrong)} of {len(cells)} cells of the role matrix are wrong:\n"
                + "\n".join(wrong)
            )
