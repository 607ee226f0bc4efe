from urllib.parse import parse_qs, urlsplit

from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from odoo.addons.sms_notify.tests.common import SmsNotifyCommon


@tagged("post_install", "-at_install")
class TestAndroidSetup(SmsNotifyCommon):
    """What the Android phone's form tells the user to set the phone up."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.admin_env = cls.env(user=cls.env.ref("base.user_admin"))
        cls.env["ir.config_parameter"].sudo().set_param("web.base.url", "https://erp.example.com")
        cls.gateway = cls.admin_env["sms.notify.gateway"].create(
            {
                "name": "Shop phone",
                "gateway_type": "android",
                "base_url": "http://192.168.1.20:8080",
            }
        )

    def _set_base_url(self, url):
        self.env["ir.config_parameter"].sudo().set_param("web.base.url", url)
        self.gateway.invalidate_recordset()

    def test_setup_steps_and_code_show_for_the_phone_only(self):
        form = Form(self.gateway)
        for name in ("android_setup_qr_url", "android_odoo_address"):
            self.assertFalse(form._get_modifier(name, "invisible"), name)
        smsc = self.admin_env["sms.notify.gateway"].create({"name": "SMSC", "gateway_type": "smsc"})
        form = Form(smsc)
        for name in ("android_setup_qr_url", "android_odoo_address", "android_signing_key"):
            self.assertTrue(form._get_modifier(name, "invisible"), name)
        self.assertFalse(smsc.android_setup_qr_url)

    def test_setup_steps_name_the_app_and_its_local_server(self):
        arch = self.admin_env["sms.notify.gateway"].get_views([(False, "form")])["views"]["form"][
            "arch"
        ]
        for words in ("SMS Gateway for Android", "capcom6", "Local Server", "Register Webhooks"):
            self.assertIn(words, arch)

    def test_code_opens_odoos_address_without_the_secret(self):
        url = urlsplit(self.gateway.android_setup_qr_url)
        self.assertEqual(url.path, "/report/barcode/")
        query = {key: values[0] for key, values in parse_qs(url.query).items()}
        self.assertEqual(query["barcode_type"], "QR")
        self.assertEqual(query["value"], "https://erp.example.com/web/login")
        self.assertNotIn(self.gateway.sudo().webhook_secret, self.gateway.android_setup_qr_url)
        self.assertEqual(self.gateway.android_odoo_address, "https://erp.example.com")

    def test_odoo_draws_the_code(self):
        query = {
            key: values[0]
            for key, values in parse_qs(urlsplit(self.gateway.android_setup_qr_url).query).items()
        }
        # what Odoo's /report/barcode route answers for it: a PNG image, drawn by reportlab's
        # bitmap renderer (a separate package with reportlab 4: rl_renderPM or rlPyCairo)
        try:
            from reportlab.graphics.renderPM import _getPMBackend

            _getPMBackend()
        except Exception:  # noqa: BLE001  (reportlab raises its own error class or ImportError)
            self.skipTest("reportlab has no bitmap renderer here: Odoo draws no barcode")
        image = self.env["ir.actions.report"].barcode(
            query["barcode_type"],
            query["value"],
            width=int(query["width"]),
            height=int(query["height"]),
        )
        self.assertTrue(image.startswith(b"\x89PNG"))

    def test_address_placeholder_is_the_phones(self):
        self.assertIn("192.168.1.20:8080", self.gateway.base_url_placeholder)

    def test_report_address_warning_for_the_phone(self):
        # the phone is on the shop's network: a private https address is fine
        self._set_base_url("https://192.168.1.5")
        self.assertFalse(self.gateway.webhook_warning)
        # the app calls https:// addresses only
        self._set_base_url("http://erp.example.com")
        self.assertIn("https://", self.gateway.webhook_warning)
        # localhost on the phone is the phone itself
        self._set_base_url("https://localhost:8069")
        self.assertIn("localhost", self.gateway.webhook_warning)

    def test_unreachable_phone_is_explained_in_plain_words(self):
        self.gateway.write({"base_url": "http://127.0.0.1:9", "timeout": 2})
        with self.assertRaises(UserError) as caught:
            self.gateway.action_register_webhooks()
        message = str(caught.exception)
        self.assertIn("registering the webhooks failed", message)
        self.assertIn("The gateway refused the connection.", message)
        self.assertNotIn("The The", message)
        self.assertNotIn("HTTPConnectionPool", message.split("Details:")[0])
