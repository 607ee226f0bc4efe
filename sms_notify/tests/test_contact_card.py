from lxml import etree

from odoo.tests import TransactionCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestContactCardButton(TransactionCase):
    """The contact card's button that opens Notify reads "Notify", as on orders: not "Send
    message", the chatter's button, nor "SMS", the phone field's link to Odoo's SMS dialog."""

    def test_card_button_is_named_notify(self):
        user = new_test_user(
            self.env,
            login="card_sender",
            groups="base.group_user,base.group_partner_manager,"
            "sms_notify.group_sms_notify_send_card",
        )
        arch = self.env["res.partner"].with_user(user).get_view(view_type="form")["arch"]
        [button] = etree.fromstring(arch).xpath("//header/button[@name='action_sms_notify']")
        self.assertEqual(button.get("string"), "Notify")
