import unittest

from odoo.tests import TransactionCase, tagged

DEMO_LANGUAGES = {
    "sms_notify.res_partner_anna_petrova": "ru_RU",
    "sms_notify.res_partner_dmitry_ivanov": "ru_RU",
    "sms_notify.res_partner_katarzyna_nowak": "pl_PL",
    "sms_notify.res_partner_piotr_wisniewski": "pl_PL",
    "sms_notify.res_partner_oliver_smith": "en_US",
}


@tagged("post_install", "-at_install")
class TestDemoCustomersLanguages(TransactionCase):
    """The demo customers living in Russia and Poland read their messages in Russian and
    Polish: their language is set, active, and the suite's templates are translated into it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        if not cls.env.ref("sms_notify.res_partner_anna_petrova", raise_if_not_found=False):
            raise unittest.SkipTest("installed without demo data")

    def test_demo_customers_have_their_countrys_language(self):
        installed = dict(self.env["res.lang"].get_installed())
        for xmlid, lang in DEMO_LANGUAGES.items():
            with self.subTest(customer=xmlid):
                self.assertEqual(self.env.ref(xmlid).lang, lang)
                self.assertIn(lang, installed)

    def test_birthday_greeting_goes_in_the_customers_language(self):
        template = self.env.ref("sms_notify.sms_template_birthday")
        for xmlid, greeting in (
            ("sms_notify.res_partner_anna_petrova", "с днём рождения"),
            ("sms_notify.res_partner_katarzyna_nowak", "wszystkiego najlepszego"),
        ):
            customer = self.env.ref(xmlid)
            with self.subTest(customer=xmlid):
                body = template._render_field("body", customer.ids, compute_lang=True)
                self.assertIn(greeting, body[customer.id])
