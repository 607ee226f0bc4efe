import json

from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

from .common import RpcRefusals, RulesCommon

#: the fields a notification rule shares with its automation rule
SHARED = {"name", "model_id", "active"}


@tagged("post_install", "-at_install")
class TestRuleAccess(RpcRefusals, RulesCommon, HttpCase):
    """A Notification Manager edits notification rules, not the automation rules behind them:
    those are evaluated as superuser (webhooks without login, server actions, domains)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager = new_test_user(
            cls.env,
            login="rules_manager",
            password="rules_manager_pw",
            groups="sms_notify.group_sms_notify_notification_manager",
        )
        cls.rule = cls._rule_of(cls.env)
        cls.own_fields = {
            name
            for name, field in cls.env["sms.notify.rule"]._fields.items()
            if not field.inherited
        }

    @classmethod
    def _rule_of(cls, env):
        return env["sms.notify.rule"].create(
            {
                "name": "Card ready",
                "model_id": cls.env.ref("base.model_res_partner").id,
                "sms_template_id": cls.template.id,
                "condition_domain": "[('function', '=', 'Card ready')]",
            }
        )

    def _call(self, method, args, kwargs=None):
        return self._rpc(self.manager, "rules_manager_pw", "sms.notify.rule", method, args, kwargs)

    def _automation_only_fields(self):
        """Every field of the automation rule the rule form does not show."""
        automation_fields = self.env["base.automation"]._fields
        return {
            name: field
            for name, field in automation_fields.items()
            if name not in self.own_fields and name not in SHARED
        } | {"automation_id": self.env["sms.notify.rule"]._fields["automation_id"]}

    def _value_for(self, name, field):
        dangerous = {
            "trigger": "on_webhook",
            "record_getter": "model.env['res.users'].browse(2)",
            "filter_domain": "[]",
            "webhook_uuid": "00000000-0000-0000-0000-000000000000",
        }
        if name in dangerous:
            return dangerous[name]
        match field.type:
            case "boolean":
                return True
            case "integer" | "float" | "monetary" | "many2one_reference":
                return 1
            case "selection":
                return field.get_values(self.env)[-1]
            case "date":
                return "2027-01-01"
            case "datetime":
                return "2027-01-01 00:00:00"
            case "many2one":
                other = (
                    self.env[field.comodel_name]
                    .sudo()
                    .search([("id", "!=", self.rule.automation_id.id)], limit=1)
                )
                return other.id
            case "one2many" | "many2many":
                other = self.env[field.comodel_name].sudo().search([], limit=1)
                return [(4, other.id)]
            case _:
                return "x"

    def _automation_snapshot(self):
        automation = self.rule.automation_id
        stored = [
            name
            for name, field in automation._fields.items()
            if field.store and name not in ("write_date", "write_uid")
        ]
        self.env.invalidate_all()
        return automation.read(stored)[0]

    @mute_logger("odoo.http")
    def test_automation_fields_are_refused_through_the_rule(self):
        fields = self._automation_only_fields()
        self.assertIn("trigger", fields)
        self.assertIn("action_server_ids", fields)
        before = self._automation_snapshot()
        rules_before = self.env["sms.notify.rule"].with_context(active_test=False).search_count([])
        automations_before = (
            self.env["base.automation"].with_context(active_test=False).search_count([])
        )
        for name, field in fields.items():
            value = self._value_for(name, field)
            with self.subTest(field=name, method="write"):
                with self.assertRpcRefused("AccessError", name, "Automation Rules"):
                    self._call("write", [[self.rule.id], {name: value}])
            with self.subTest(field=name, method="create"):
                values = {
                    "name": "Sneaky",
                    "model_id": self.partner_model.id,
                    "sms_template_id": self.template.id,
                    name: value,
                }
                with self.assertRpcRefused("AccessError", name):
                    self._call("create", [values])
        self.assertEqual(self._automation_snapshot(), before)
        self.assertEqual(
            self.env["sms.notify.rule"].with_context(active_test=False).search_count([]),
            rules_before,
        )
        self.assertEqual(
            self.env["base.automation"].with_context(active_test=False).search_count([]),
            automations_before,
        )

    @mute_logger("odoo.http")
    def test_rule_relations_are_created_with_the_managers_rights(self):
        field_count = self.env["ir.model.fields"].search_count([])
        for name, command in {
            "change_field_ids": (
                0,
                0,
                {"name": "x_sneaky", "model_id": self.partner_model.id, "ttype": "char"},
            ),
            "scheduled_ids": (
                0,
                0,
                {
                    "res_model": "res.partner",
                    "res_id": self.customer.id,
                    "due_datetime": "2027-01-01 10:00:00",
                },
            ),
        }.items():
            with self.subTest(field=name), self.assertRpcRefused("AccessError"):
                self._call(
                    "create",
                    [
                        {
                            "name": "Sneaky",
                            "model_id": self.partner_model.id,
                            "sms_template_id": self.template.id,
                            name: [command],
                        }
                    ],
                )
        self.assertEqual(self.env["ir.model.fields"].search_count([]), field_count)
        self.assertFalse(self.env["sms.notify.rule"].search([("name", "=", "Sneaky")]))

    @mute_logger("odoo.http")
    def test_copy_cannot_carry_automation_fields(self):
        with self.assertRpcRefused("AccessError", "trigger"):
            self._call("copy", [[self.rule.id]], {"default": {"trigger": "on_webhook"}})
        # a plain copy is a rule of its own with an automation of its own
        [copy_id] = self._call("copy", [[self.rule.id]])
        copy = self.env["sms.notify.rule"].browse(copy_id)
        self.assertNotEqual(copy.automation_id, self.rule.automation_id)
        self.assertEqual(copy.automation_id.trigger, "on_create_or_write")
        self.assertEqual(copy.automation_id.action_server_ids.sms_notify_rule_id, copy)

    def test_notification_manager_creates_edits_and_switches_rules(self):
        rule_id = self._call(
            "create",
            [
                {
                    "name": "Glasses ready",
                    "model_id": self.partner_model.id,
                    "sms_template_id": self.template.id,
                    "notify_trigger": "state",
                    "condition_domain": "[('function', '=', 'Ready')]",
                    "delay_minutes": 15,
                    "validity_minutes": 120,
                    "quiet_hours": "off",
                }
            ],
        )
        rule = self.env["sms.notify.rule"].browse(rule_id)
        automation = rule.automation_id
        self.assertEqual(automation.trigger, "on_create_or_write")
        self.assertEqual(automation.filter_domain, "[('function', '=', 'Ready')]")
        self._call(
            "write",
            [
                [rule_id],
                {"name": "Glasses ready today", "condition_domain": "[('function', '=', 'Done')]"},
            ],
        )
        self.env.invalidate_all()
        self.assertEqual(automation.name, "Glasses ready today")
        self.assertEqual(automation.filter_domain, "[('function', '=', 'Done')]")
        self._call("write", [[rule_id], {"active": False}])
        self.env.invalidate_all()
        self.assertFalse(automation.active)
        self._call("write", [[rule_id], {"active": True}])
        self.env.invalidate_all()
        self.assertTrue(automation.active)
        self.assertTrue(rule.enabled_since)
        [read] = self._call("read", [[rule_id], ["name", "active", "delay_minutes"]])
        self.assertEqual(
            (read["name"], read["active"], read["delay_minutes"]),
            ("Glasses ready today", True, 15),
        )

    @mute_logger("odoo.http")
    def test_no_webhook_answers_for_a_rule(self):
        with self.assertRpcRefused("AccessError", "trigger"):
            self._call("write", [[self.rule.id], {"trigger": "on_webhook"}])
        automation = self.rule.automation_id
        self.assertEqual(automation.trigger, "on_create_or_write")
        # a rule's automation has no webhook address at all
        self.assertFalse(automation.webhook_uuid)
        self.assertFalse(automation.record_getter)
        # nor answers at an address it had before
        automation.sudo().webhook_uuid = "11111111-2222-3333-4444-555555555555"
        response = self.url_open(
            "/web/hook/11111111-2222-3333-4444-555555555555",
            data=json.dumps({"_model": "res.partner", "_id": self.customer.id}),
            headers={"Content-Type": "application/json"},
        )
        self.assertNotEqual(response.status_code, 200)
