import xmlrpc.client

from odoo.tests import tagged
from odoo.tools import mute_logger

from odoo.addons.sms_notify.tests.test_sending_rights import SendingRightsCommon

from .common import PromoMixin

TEXT = "Your code :PromoCode: for :PromotionName:"


@tagged("post_install", "-at_install")
class TestPromoRights(PromoMixin, SendingRightsCommon):
    """An SMS Marketing user hands out coupons with their mailing without any right on
    coupons: they pick promotions of their company, see the code each recipient got, and
    nothing more of the coupons."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        (cls.customer | cls.other_customer).sms_notify_ad_consent = True
        cls.marketer = cls._user("promo_marketer", "mass_mailing.group_mass_mailing_user")

    def _mailing_values(self):
        return {
            "subject": "Spring sale",
            "mailing_type": "sms",
            "body_plaintext": TEXT,
            "mailing_model_id": self.env["ir.model"]._get_id("res.partner"),
            "mailing_domain": repr([("id", "in", (self.customer | self.other_customer).ids)]),
            "sms_allow_unsubscribe": False,
        }

    def test_marketing_user_sends_codes_without_rights_on_coupons(self):
        self.assertFalse(self.env["loyalty.card"].with_user(self.marketer).has_access("read"))
        mailing_id = self._rpc(self.marketer, "mailing.mailing", "create", self._mailing_values())
        offered = self._rpc(self.marketer, "loyalty.program", "name_search", "Spring")
        self.assertIn(self.program.id, [program_id for program_id, _name in offered])
        self._rpc(
            self.marketer,
            "mailing.mailing",
            "write",
            [mailing_id],
            {"loyalty_program_id": self.program.id},
        )

        self._rpc(self.marketer, "mailing.mailing", "action_send_sms", [mailing_id])

        traces = self._rpc(
            self.marketer,
            "mailing.trace",
            "search_read",
            [("mass_mailing_id", "=", mailing_id)],
            ["loyalty_card_code", "sms_id_int"],
        )
        codes = {trace["loyalty_card_code"] for trace in traces}
        self.assertEqual(codes, set(self._cards().mapped("code")))
        self.assertEqual(len(codes), 2)
        for trace in traces:
            self.assertIn(
                trace["loyalty_card_code"],
                self.env["sms.sms"].browse(trace["sms_id_int"]).body,
            )
        with mute_logger("odoo.http"), self.assertRaises(xmlrpc.client.Fault) as caught:
            self._rpc(self.marketer, "loyalty.card", "search_read", [], ["code"])
        self.assertIn("not allowed to access 'Loyalty Coupon'", caught.exception.faultString)

    def test_marketing_user_of_another_company_cannot_hand_out_its_coupons(self):
        other_company = self.env["res.company"].create({"name": "Other shop"})
        outsider = self._user("promo_outsider", "mass_mailing.group_mass_mailing_user")
        outsider.write({"company_ids": [(6, 0, other_company.ids)], "company_id": other_company.id})
        offered = self._rpc(outsider, "loyalty.program", "name_search", "Spring")
        self.assertNotIn(self.program.id, [program_id for program_id, _name in offered])
        mailing_id = self._rpc(
            outsider,
            "mailing.mailing",
            "create",
            dict(self._mailing_values(), loyalty_program_id=self.program.id),
        )

        with mute_logger("odoo.http"), self.assertRaises(xmlrpc.client.Fault) as caught:
            self._rpc(outsider, "mailing.mailing", "action_send_sms", [mailing_id])

        self.assertIn("belongs to", caught.exception.faultString)
        self.assertFalse(self._cards())
        self.assertFalse(self._messages())
