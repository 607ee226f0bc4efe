from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, new_test_user, tagged
from odoo.tools.safe_eval import safe_eval

from ..tools.gateway import get_client_class
from .common import SmscGatewayCommon, SmsNotifyCommon
from .fakes.smsc import FakeSmsc

#: fields the form shows whatever the type (or once a type is chosen, for ``channels``)
EVERY_TYPE = {"name", "gateway_type", "sequence", "number_prefixes", "rate_limit"}


class GatewayFormCommon(SmsNotifyCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # as a Settings administrator: the credentials are on their form
        cls.admin_env = cls.env(user=cls.env.ref("base.user_admin"))
        cls.form_model = cls.admin_env["sms.notify.gateway"].with_context(**cls._action_context())

    @classmethod
    def _action_context(cls):
        """The context of Configuration › Gateways, where users create gateways."""
        action = cls.env.ref("sms_notify.sms_notify_gateway_action")
        return safe_eval(action.context or "{}")

    @classmethod
    def _type_governed_fields(cls, form):
        """Every field of the form some installed gateway type declares."""
        fields = set()
        for code in cls.env["sms.notify.gateway"]._fields["gateway_type"].get_values(cls.env):
            fields |= set(get_client_class(code).form_field_names())
        return {name for name in fields if name in form._view["modifiers"]}

    def _visible(self, form, name):
        return not form._get_modifier(name, "invisible")


@tagged("post_install", "-at_install")
class TestNewGatewayForm(GatewayFormCommon):
    """A new gateway: no type chosen for the user, nothing of any type shown until one is."""

    def test_a_new_gateway_has_no_type_and_shows_nothing_of_any_type(self):
        form = Form(self.form_model)
        self.assertFalse(form.gateway_type, "no type is chosen for the user")
        shown = {
            name
            for name in self._type_governed_fields(form) | {"channels", "daily_limit"}
            if self._visible(form, name)
        }
        self.assertFalse(shown, "nothing of a type shows before a type is chosen")
        self.assertFalse(form.type_help)
        self.assertFalse(form.can_test_connection)

    def test_the_type_is_required_to_save(self):
        form = Form(self.form_model)
        form.name = "Main SMS centre"
        self.assertTrue(form._get_modifier("gateway_type", "required"))
        with self.assertRaisesRegex(AssertionError, "gateway_type"):
            form.save()

    def test_a_new_gateway_starts_inactive(self):
        form = Form(self.form_model)
        form.name = "Try-out"
        form.gateway_type = "sandbox"
        gateway = form.save()
        self.assertFalse(gateway.active, "it sends nothing before a test or an activation")
        self.assertNotIn(
            gateway, self.env["sms.notify.gateway"]._get_candidates(gateway.company_id)
        )
        # the list shows it beside the active gateways
        listed = self.form_model.search(safe_eval("[('active', 'in', (True, False))]"), order="id")
        self.assertIn(gateway, listed)
        gateway.action_unarchive()
        self.assertTrue(gateway.active)

    def test_records_of_other_models_created_from_the_form_stay_active(self):
        """Only gateways start inactive, not a company created from the company field."""
        partner = (
            self.env["res.partner"]
            .with_context(**self._action_context())
            .create({"name": "Created from the gateway form"})
        )
        self.assertTrue(partner.active)

    def test_gateways_created_elsewhere_keep_starting_active(self):
        """Imports, data files and code keep the model's default."""
        gateway = self.env["sms.notify.gateway"].create(
            {"name": "Sandbox", "gateway_type": "sandbox"}
        )
        self.assertTrue(gateway.active)


@tagged("post_install", "-at_install")
class TestGatewayFormPerType(GatewayFormCommon):
    """Each type shows its own fields, required as it declares, and its own help only."""

    def test_each_type_shows_its_own_fields_and_help_only(self):
        codes = self.env["sms.notify.gateway"]._fields["gateway_type"].get_values(self.env)
        self.assertTrue(
            {"sandbox", "iap", "smsc", "smsapi", "serwersms", "twilio", "vonage"} <= set(codes)
        )
        helps = {}
        for code in codes:
            with self.subTest(type=code):
                client_class = get_client_class(code)
                gateway = self.admin_env["sms.notify.gateway"].create(
                    {"name": f"Gateway {code}", "gateway_type": code}
                )
                form = Form(gateway)
                declared = client_class.form_field_names()
                governed = self._type_governed_fields(form)
                for name in governed:
                    self.assertEqual(
                        self._visible(form, name),
                        name in declared,
                        f"{name} shows only for the types that declare it",
                    )
                    if name in declared and name != "webhook_url":
                        self.assertEqual(
                            bool(form._get_modifier(name, "required")),
                            declared[name],
                            f"{name} is required as the type declares",
                        )
                self.assertEqual(self._visible(form, "daily_limit"), client_class.is_device)
                self.assertTrue(self._visible(form, "channels"))
                for name in EVERY_TYPE:
                    self.assertTrue(self._visible(form, name), name)
                self.assertEqual(form.type_help or "", client_class.form_help or "")
                helps[code] = form.type_help
        # no two types say the same, so no help of one type shows on another's form
        self.assertEqual(len(set(helps.values())), len(helps))

    def test_address_placeholder_is_the_types_own(self):
        gateway = self.admin_env["sms.notify.gateway"].create(
            {"name": "SMSC", "gateway_type": "smsc"}
        )
        self.assertEqual(gateway.base_url_placeholder, "the vendor's main site")


@tagged("post_install", "-at_install")
class TestReportAddressWarning(SmscGatewayCommon):
    """The delivery-report address is built from web.base.url and says when the vendor cannot
    call it."""

    def _warning_with_base_url(self, url):
        self.env["ir.config_parameter"].sudo().set_param("web.base.url", url)
        self.gateway.invalidate_recordset(["webhook_url", "webhook_warning"])
        return self.gateway.webhook_warning

    def test_address_is_built_from_the_public_url(self):
        self.env["ir.config_parameter"].sudo().set_param("web.base.url", "https://erp.example.com")
        self.gateway.invalidate_recordset(["webhook_url"])
        self.assertTrue(
            self.gateway.webhook_url.startswith(
                f"https://erp.example.com/sms_notify/report/{self.gateway.id}/"
            )
        )

    def test_public_address_gives_no_warning(self):
        self.assertFalse(self._warning_with_base_url("https://erp.example.com"))
        # SMSC is not documented to refuse http
        self.assertFalse(self._warning_with_base_url("http://erp.example.com"))

    def test_localhost_and_private_networks_are_warned_about(self):
        self.assertIn("localhost", self._warning_with_base_url("http://localhost:8069"))
        self.assertIn("private network", self._warning_with_base_url("http://192.168.1.5:8069"))

    def test_types_without_report_address_have_no_warning(self):
        self.env["ir.config_parameter"].sudo().set_param("web.base.url", "http://localhost:8069")
        gateway = self._create_gateway("serwersms")
        self.assertFalse(gateway.webhook_warning)


@tagged("post_install", "-at_install")
class TestConnectionTestActivates(SmsNotifyCommon):
    """Test Connection: the form saves a gateway before the button runs, so a new gateway
    starts inactive and only a test that succeeds (or the user) activates it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        action = cls.env.ref("sms_notify.sms_notify_gateway_action")
        cls.form_model = cls.env["sms.notify.gateway"].with_context(
            **safe_eval(action.context or "{}")
        )

    def setUp(self):
        super().setUp()
        self.fake = self.enterContext(FakeSmsc(login="shop", password="secret"))

    def _new_gateway(self, password):
        """What the form stores when the user presses Test Connection on a new gateway."""
        form = Form(self.form_model)
        form.name = "Main SMS centre"
        form.gateway_type = "smsc"
        form.base_url = self.fake.url
        form.login = "shop"
        form.password = password
        return form.save()

    def test_only_who_may_change_a_gateway_may_test_it(self):
        """A test that succeeds switches a new gateway on: a salesperson, who may read the
        gateways, may not call it over RPC."""
        gateway = self._new_gateway("secret")
        salesperson = new_test_user(
            self.env,
            login="gateway-tester",
            groups="base.group_user,sms_notify.group_sms_notify_send_card",
        )
        with self.assertRaises(AccessError):
            gateway.with_user(salesperson).action_test_connection()
        self.assertFalse(gateway.active)
        self.assertFalse(self.fake.requests, "the gateway was not even asked")

    def test_failing_test_leaves_a_new_gateway_inactive(self):
        gateway = self._new_gateway("wrong")
        with self.assertRaises(UserError) as caught:
            gateway.action_test_connection()
        self.assertFalse(gateway.active, "a gateway that failed its test sends nothing")
        self.assertIn("the connection test failed", str(caught.exception))

    def test_succeeding_test_activates_a_new_gateway(self):
        gateway = self._new_gateway("secret")
        action = gateway.action_test_connection()
        self.assertEqual(action["params"]["type"], "success")
        self.assertTrue(gateway.active)
        self.assertIn("now active", action["params"]["message"])

    def test_failing_test_keeps_a_gateway_in_use_active(self):
        gateway = self._create_gateway(
            "smsc", base_url=self.fake.url, login="shop", password="wrong"
        )
        with self.assertRaises(UserError):
            gateway.action_test_connection()
        self.assertTrue(gateway.active)

    def test_succeeding_test_does_not_revive_an_archived_gateway_that_sent(self):
        gateway = self._create_gateway(
            "smsc", base_url=self.fake.url, login="shop", password="secret"
        )
        self._post_sms(self.customer, "Hello")
        self.assertTrue(gateway.sms_count)
        gateway.action_archive()
        gateway.action_test_connection()
        self.assertFalse(gateway.active, "archived on purpose: it stays archived")

    def test_unreachable_gateway_is_explained_in_plain_words(self):
        gateway = self._new_gateway("secret")
        gateway.base_url = "http://127.0.0.1:9"  # discard port: nothing listens
        gateway.timeout = 2
        with self.assertRaises(UserError) as caught:
            gateway.action_test_connection()
        message = str(caught.exception)
        self.assertIn("The gateway refused the connection.", message)
        self.assertIn("Check the address and the port", message)
        self.assertNotIn("HTTPConnectionPool", message.split("Details:")[0])
        self.assertNotIn("The The", message)
        self.assertFalse(gateway.active)
