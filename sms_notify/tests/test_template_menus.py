import xmlrpc.client
from ast import literal_eval

from lxml import etree

from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

PASSWORD = "Template-menus-1"


@tagged("post_install", "-at_install")
class TestTemplateMenus(HttpCase):
    """Notification Managers open and edit the SMS and e-mail templates from SMS Notify ›
    Configuration, without developer mode; salespeople do not edit them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Odoo's stricter setting: only template editors edit templates they did not create
        cls.env["ir.config_parameter"].set_param("mail.restrict.template.rendering", True)
        cls.notification_manager = new_test_user(
            cls.env,
            login="tpl_manager",
            password=PASSWORD,
            groups="base.group_user,sms_notify.group_sms_notify_notification_manager",
        )
        cls.salesperson = new_test_user(
            cls.env,
            login="tpl_seller",
            password=PASSWORD,
            groups="base.group_user,sms_notify.group_sms_notify_send_ready,"
            "sms_notify.group_sms_notify_send_card",
        )
        partner_model = cls.env.ref("base.model_res_partner")
        cls.sms_template = cls.env["sms.template"].create(
            {"name": "Welcome", "model_id": partner_model.id, "body": "Welcome!"}
        )
        cls.mail_template = cls.env["mail.template"].create(
            {"name": "Welcome", "model_id": partner_model.id, "subject": "Welcome"}
        )
        cls.internal_template = cls.env["sms.template"].create(
            {
                "name": "Internal",
                "model_id": cls.env.ref("base.model_res_users").id,
                "body": "Internal",
            }
        )

    def _rpc(self, user, model, method, *args, **kwargs):
        return self.xmlrpc_object.execute_kw(
            self.env.cr.dbname, user.id, PASSWORD, model, method, list(args), kwargs
        )

    def _menu_ids(self, user):
        """The menus the web client shows ``user`` outside developer mode."""
        return self.env["ir.ui.menu"].with_user(user)._visible_menu_ids(debug=False)

    def _open(self, user, action_xmlid):
        """The records the menu's action lists with its default filter, as the web client
        loads them for ``user``."""
        action = self.env.ref(action_xmlid)
        self.assertEqual(
            literal_eval(action.context), {"search_default_sms_notify_customer_messages": 1}
        )
        views = self._rpc(user, action.res_model, "get_views", [[False, "search"]])
        [default_filter] = etree.fromstring(views["views"]["search"]["arch"]).xpath(
            "//filter[@name='sms_notify_customer_messages']"
        )
        domain = literal_eval(default_filter.get("domain"))
        return {row["id"] for row in self._rpc(user, action.res_model, "search_read", domain)}

    def test_notification_manager_reaches_the_templates_from_the_menu(self):
        menus = self._menu_ids(self.notification_manager)
        for xmlid in ("sms_notify.sms_template_menu", "sms_notify.mail_template_menu"):
            self.assertIn(self.env.ref(xmlid).id, menus, xmlid)
        # the gateways stay the administrators'
        self.assertNotIn(self.env.ref("sms_notify.sms_notify_gateway_menu").id, menus)
        listed = self._open(self.notification_manager, "sms_notify.sms_template_action")
        self.assertIn(self.sms_template.id, listed)
        # templates of internal messages are left out of the customers' list
        self.assertNotIn(self.internal_template.id, listed)
        listed = self._open(self.notification_manager, "sms_notify.mail_template_action")
        self.assertIn(self.mail_template.id, listed)

    def test_notification_manager_edits_and_creates_templates(self):
        manager = self.notification_manager
        self._rpc(manager, "sms.template", "write", [self.sms_template.id], {"body": "Hello!"})
        self._rpc(manager, "mail.template", "write", [self.mail_template.id], {"subject": "Hello"})
        self.assertEqual(self.sms_template.body, "Hello!")
        self.assertEqual(self.mail_template.subject, "Hello")
        partner_model = self.env.ref("base.model_res_partner").id
        self._rpc(
            manager,
            "sms.template",
            "create",
            {"name": "New", "model_id": partner_model, "body": "Hello"},
        )
        self._rpc(
            manager,
            "mail.template",
            "create",
            {"name": "New", "model_id": partner_model, "subject": "{{ object.name }}"},
        )

    def test_notification_manager_does_not_edit_other_templates(self):
        """Only the customers' templates: not the password reset nor any other template of
        Odoo's, which would let a manager read mails meant for others."""
        reset = self.env["mail.template"].create(
            {
                "name": "Password reset",
                "model_id": self.env.ref("base.model_res_users").id,
                "subject": "Reset",
            }
        )
        with mute_logger("odoo.http"), self.assertRaises(xmlrpc.client.Fault) as caught:
            self._rpc(
                self.notification_manager,
                "mail.template",
                "write",
                [reset.id],
                {"email_to": "manager@example.com"},
            )
        self.assertEqual(caught.exception.faultCode, 4, caught.exception.faultString)
        self.assertFalse(reset.email_to)
        self.assertNotIn(
            self.env.ref("mail.group_mail_template_editor"), self.notification_manager.groups_id
        )

    def test_salesperson_neither_sees_the_menu_nor_edits_templates(self):
        menus = self._menu_ids(self.salesperson)
        self.assertNotIn(self.env.ref("sms_notify.sms_notify_menu_configuration").id, menus)
        for model, template, values in (
            ("sms.template", self.sms_template, {"body": "Hacked"}),
            ("mail.template", self.mail_template, {"subject": "Hacked"}),
        ):
            with (
                self.subTest(model=model),
                mute_logger("odoo.http"),
                self.assertRaises(xmlrpc.client.Fault) as caught,
            ):
                self._rpc(self.salesperson, model, "write", [template.id], values)
            # Odoo's XML-RPC fault code of an AccessError
            self.assertEqual(caught.exception.faultCode, 4, caught.exception.faultString)
