import xmlrpc.client

from odoo import Command
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

from .common import SmsNotifyCommon

PASSWORD = "Sending-rights-1"


class SendingRightsCommon(HttpCase, SmsNotifyCommon):
    """Users of each role, who send over XML-RPC as the web client does; messages only queue
    (a sandbox gateway, the queue cron not run)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._create_gateway("sandbox")
        cls.plain = cls._user("snd_plain", "base.group_user")
        cls.card_sender = cls._user(
            "snd_card", "base.group_user,sms_notify.group_sms_notify_send_card"
        )
        cls.notification_manager = cls._user(
            "snd_manager", "base.group_user,sms_notify.group_sms_notify_notification_manager"
        )
        cls.other_customer = cls.env["res.partner"].create(
            {"name": "Boris Orlov", "mobile": "+7 912 000-00-01"}
        )

    @classmethod
    def _user(cls, login, groups):
        return new_test_user(cls.env, login=login, password=PASSWORD, groups=groups)

    def _rpc(self, user, model, method, *args, **kwargs):
        return self.xmlrpc_object.execute_kw(
            self.env.cr.dbname, user.id, PASSWORD, model, method, list(args), kwargs
        )

    def _compose(self, user, values, context=None):
        """Create Odoo's SMS composer as ``user`` and press Send."""
        composer_id = self._rpc(user, "sms.composer", "create", values, context=context or {})
        return self._rpc(user, "sms.composer", "action_send_sms", [composer_id])

    def _assert_refused(self, message, user, values, context=None):
        with mute_logger("odoo.http"), self.assertRaises(xmlrpc.client.Fault) as caught:
            self._compose(user, values, context)
        self.assertIn(message, caught.exception.faultString)

    def _messages(self):
        self.env.invalidate_all()
        return self.env["sms.sms"].search([("id", ">", self.last_sms_id)])

    def setUp(self):
        super().setUp()
        self.last_sms_id = self.env["sms.sms"].search([], order="id desc", limit=1).id or 0

    def _on_card(self, partner):
        return {"active_model": "res.partner", "active_id": partner.id}


@tagged("post_install", "-at_install")
class TestSendingRights(SendingRightsCommon):
    """Odoo's SMS composer and the public methods of sms.sms obey the suite's rights: customers
    of the records a user may notify, typed numbers and mass sending for Notification Managers
    (and SMS Marketing users' mailings), changing messages for administrators."""

    def test_user_without_sms_rights_sends_nothing(self):
        self._assert_refused(
            "may not send SMS to numbers",
            self.plain,
            {"composition_mode": "numbers", "numbers": "+79120000002", "body": "Hello"},
        )
        self._assert_refused(
            "may not send messages from the customer card",
            self.plain,
            {"body": "Hello"},
            self._on_card(self.customer),
        )
        self._assert_refused(
            "may not send messages from the customer card",
            self.plain,
            {"composition_mode": "comment", "body": "Hello"},
            {
                "active_model": "res.partner",
                "active_ids": (self.customer | self.other_customer).ids,
            },
        )
        self._assert_refused(
            "may not send SMS in mass",
            self.plain,
            {
                "composition_mode": "mass",
                "res_model": "res.partner",
                "res_ids": repr((self.customer | self.other_customer).ids),
                "body": "Promo",
            },
        )
        self.assertFalse(self._messages(), "no SMS was created")
        self.env["sms.sms"]._process_queue()

    def test_public_methods_of_sms_need_the_right_to_change_messages(self):
        sms = self.env["sms.sms"].create(
            {"number": "+79123456789", "body": "Hello", "partner_id": self.customer.id}
        )
        sms_user = self._user("snd_reader", "sms_notify.group_sms_notify_user")
        for user in (self.plain, sms_user, self.card_sender):
            for method, args in (
                ("send", []),
                ("resend_failed", []),
                ("action_set_outgoing", []),
                ("action_set_canceled", []),
                ("action_set_error", ["sms_server"]),
            ):
                with self.subTest(user=user.login, method=method):
                    with (
                        mute_logger("odoo.http"),
                        self.assertRaises(xmlrpc.client.Fault) as caught,
                    ):
                        self._rpc(user, "sms.sms", method, sms.ids, *args)
                    self.assertIn("not allowed to modify", caught.exception.faultString)
        self.env.invalidate_all()
        self.assertEqual(sms.state, "outgoing")

    def test_card_sender_sends_from_a_contact_only(self):
        self._compose(
            self.card_sender, {"body": "Your glasses are ready."}, self._on_card(self.customer)
        )
        [sms] = self._messages()
        self.assertRecordValues(
            sms,
            [{"partner_id": self.customer.id, "state": "outgoing", "message_kind": "service"}],
        )
        message = self.customer.message_ids.filtered(lambda msg: msg.message_type == "sms")
        self.assertEqual(len(message), 1, "the SMS is in the contact's chatter")
        self.assertEqual(message.author_id, self.card_sender.partner_id)
        self.assertFalse(
            self.customer.with_user(self.card_sender).has_access("write"),
            "the right to send did not give the right to edit contacts",
        )
        # not to a number typed by hand, in either mode
        self._assert_refused(
            "may not send SMS to numbers",
            self.card_sender,
            {"composition_mode": "numbers", "numbers": "+79120000002", "body": "Hello"},
        )
        self._assert_refused(
            "may not send SMS to numbers",
            self.card_sender,
            {"numbers": "+79120000002", "body": "Hello"},
            self._on_card(self.customer),
        )
        self._assert_refused(
            "may not send SMS in mass",
            self.card_sender,
            {
                "composition_mode": "mass",
                "res_model": "res.partner",
                "res_ids": repr(self.customer.ids),
                "body": "Promo",
            },
        )
        self.assertEqual(self._messages(), sms)

    def test_card_sender_notifies_by_sms_and_e_mail_from_a_contact(self):
        self.customer.email = "anna@example.com"
        wizard_id = self._rpc(
            self.card_sender,
            "sms.notify.wizard",
            "create",
            {
                "res_model": "res.partner",
                "res_id": self.customer.id,
                "channel": "both",
                "sms_body": "Your glasses are ready.",
                "email_subject": "Your glasses are ready",
                "email_body": "<p>Come and collect them.</p>",
            },
        )
        self._rpc(self.card_sender, "sms.notify.wizard", "action_send", [wizard_id])
        self.assertEqual(self._messages().mapped("body"), ["Your glasses are ready."])
        email = self.customer.message_ids.filtered(lambda msg: msg.message_type == "comment")
        self.assertRecordValues(
            email,
            [{"subject": "Your glasses are ready", "author_id": self.card_sender.partner_id.id}],
        )

    def test_notification_manager_sends_to_numbers_and_in_mass(self):
        self._compose(
            self.notification_manager,
            {"composition_mode": "numbers", "numbers": "+79120000002", "body": "Hello"},
        )
        self._compose(
            self.notification_manager,
            {
                "composition_mode": "mass",
                "res_model": "res.partner",
                "res_ids": repr((self.customer | self.other_customer).ids),
                "body": "Hello {{ object.name }}",
                "message_kind": "service",
            },
        )
        self.assertEqual(
            sorted(self._messages().mapped("body")),
            ["Hello", "Hello Anna Petrova", "Hello Boris Orlov"],
        )

    def test_message_post_cannot_send_sms_past_the_dialogs(self):
        """message_post is public: an SMS asked for through it, with the SMS type or with
        numbers, would skip the dialogs' checks, so it is refused even to a user who may send
        them otherwise, and nothing is queued."""
        self.notification_manager.groups_id = [
            Command.link(self.env.ref("base.group_partner_manager").id)
        ]
        for kwargs in (
            {"message_type": "sms", "partner_ids": self.customer.ids},
            {"message_type": "comment", "sms_numbers": ["+79120000003"]},
        ):
            with mute_logger("odoo.http"), self.assertRaises(xmlrpc.client.Fault) as caught:
                self._rpc(
                    self.notification_manager,
                    "res.partner",
                    "message_post",
                    self.customer.ids,
                    body="Hello",
                    **kwargs,
                )
            self.assertIn("Send SMS dialog or Notify", caught.exception.faultString)
        self.assertFalse(self._messages())
        # a note through the same method still goes
        self._rpc(
            self.notification_manager,
            "res.partner",
            "message_post",
            self.customer.ids,
            body="Called back",
            message_type="comment",
        )

    def test_automation_action_sends_for_the_user_whose_save_triggers_it(self):
        """An administrator configured the action: running it needs no right to send, only
        the right to save the record (Odoo runs it as superuser)."""
        editor = self._user("snd_editor", "base.group_user,base.group_partner_manager")
        partner_model = self.env.ref("base.model_res_partner")
        template = self.env["sms.template"].create(
            {
                "name": "Card ready",
                "model_id": partner_model.id,
                "body": "{{ object.name }}, your card is ready.",
            }
        )
        self.env["base.automation"].create(
            {
                "name": "Card ready",
                "model_id": partner_model.id,
                "trigger": "on_create_or_write",
                "trigger_field_ids": [
                    Command.set(self.env.ref("base.field_res_partner__function").ids)
                ],
                "action_server_ids": [
                    Command.create(
                        {
                            "name": "Tell the customer",
                            "model_id": partner_model.id,
                            "state": "sms",
                            "sms_template_id": template.id,
                            "sms_method": "comment",
                        }
                    )
                ],
            }
        )
        self._rpc(editor, "res.partner", "write", self.customer.ids, {"function": "Card ready"})
        [sms] = self._messages()
        self.assertEqual(sms.body, "Anna Petrova, your card is ready.")


@tagged("post_install", "-at_install")
class TestTextsThatMustNotGo(SendingRightsCommon):
    """An empty text, or one with a token or placeholder left in it, is refused in the composer
    with what to do, and cancelled uncharged when it reaches the queue another way."""

    def test_composer_refuses_empty_and_unrendered_texts_naming_the_recipient(self):
        for body, message in (
            ("   ", "the text is empty"),
            ("Hello :FirstName:", "the text still holds :FirstName:"),
            ("Hello {{ object.name", "the text holds a placeholder that was not filled in"),
        ):
            with self.subTest(body=body):
                self._assert_refused(
                    f"Anna Petrova: {message}",
                    self.notification_manager,
                    {"body": body},
                    self._on_card(self.customer),
                )
                self._assert_refused(
                    f"+79120000002: {message}",
                    self.notification_manager,
                    {"composition_mode": "numbers", "numbers": "+79120000002", "body": body},
                )
                self._assert_refused(
                    f"Boris Orlov: {message}",
                    self.notification_manager,
                    {
                        "composition_mode": "mass",
                        "res_model": "res.partner",
                        "res_ids": repr((self.customer | self.other_customer).ids),
                        "body": body,
                    },
                )
        self.assertFalse(self._messages())

    def test_queue_cancels_unrendered_messages_before_charging_them(self):
        messages = self.env["sms.sms"].create(
            [
                {"number": "+79123456789", "body": body, "message_kind": "service"}
                for body in ("", "Dear {{ object.name", "Your order :OrderNumber: is ready")
            ]
        )
        self.env["sms.sms"]._process_queue()
        self.assertEqual(set(messages.mapped("state")), {"canceled"})
        self.assertIn("the text is empty", messages[0].gateway_error)
        self.assertIn("placeholder", messages[1].gateway_error)
        self.assertIn(":OrderNumber:", messages[2].gateway_error)


@tagged("post_install", "-at_install")
class TestUnknownKind(SendingRightsCommon):
    """A message nobody said is a notification counts as advertising."""

    def test_message_of_no_kind_needs_consent_and_is_not_charged_without(self):
        sms = self.env["sms.sms"].create(
            {"number": "+79123456789", "body": "-20% today", "partner_id": self.customer.id}
        )
        self.assertFalse(sms.message_kind)
        self.env["sms.sms"]._process_queue()
        self.assertRecordValues(sms, [{"state": "canceled"}])
        self.assertIn("not agreed to SMS promotions", sms.gateway_error)

    def test_chatter_sms_is_a_service_message(self):
        self._post_sms(self.customer, "Your glasses are ready.", run_queue=False)
        [sms] = self._messages()
        self.assertEqual(sms.message_kind, "service")
