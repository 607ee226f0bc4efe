from odoo import models
from odoo.exceptions import AccessError

from ..tools import kinds
from ..tools.tokens import Token
from .mail_message import CUSTOMER_EMAIL

#: marks the SMS posted through ``_message_sms``, the way Odoo's SMS dialog, its reminders and
#: other apps post them once they decided who may: an object, which no RPC call can put in a
#: context as it can any JSON value
SMS_POSTED_BY_CODE = object()

#: the codes of the customer's first name and patronymic, ITigris's one-letter ones included
FIRST_NAME = ("Имя", "И", "Imię")
PATRONYMIC = ("Отчество", "О")


class MailThread(models.AbstractModel):
    _inherit = "mail.thread"

    def action_sms_notify(self):
        """Open *Notify* on this record; bridges call it from their own buttons."""
        self.ensure_one()
        self._sms_notify_check_ready()
        self._sms_notify_check_may_notify()
        return {
            "type": "ir.actions.act_window",
            "res_model": "sms.notify.wizard",
            "view_mode": "form",
            "target": "new",
            "name": self.env._("Notify %(name)s", name=self.display_name),
            "context": {"default_res_model": self._name, "default_res_id": self.id},
        }

    def _message_sms(self, body, **kwargs):
        return super(
            MailThread, self.with_context(sms_notify_sms_post=SMS_POSTED_BY_CODE)
        )._message_sms(body, **kwargs)

    def _notify_thread_by_sms(self, message, recipients_data, msg_vals=False, **kwargs):
        # message_post and message_notify are public: an SMS asked for through them directly,
        # rather than through the SMS dialog or Notify, which check who may send what, is
        # refused
        if (
            not self.env.su
            and self.env.context.get("sms_notify_sms_post") is not SMS_POSTED_BY_CODE
            and (
                kwargs.get("sms_numbers")
                or any(recipient["notif"] == "sms" for recipient in recipients_data)
            )
        ):
            raise AccessError(
                self.env._(
                    "SMS are sent with the Send SMS dialog or Notify, which check who may send "
                    "what: use one of them."
                )
            )
        # the SMS of a chatter message count for the document's department
        # (see sms.sms.sms_notify_team_id)
        if len(self) == 1 and "sms_notify_team_id" not in self.env.context:
            self = self.with_context(sms_notify_team_id=self._sms_notify_team().id)
        # a chatter message (Send SMS, a reminder, another app's notice) is a notification
        # unless the composer or a campaign said otherwise; an SMS of no kind is advertising
        if not self.env.context.get("sms_notify_message_kind"):
            self = self.with_context(sms_notify_message_kind=kinds.SERVICE)
        # and are sent for the document's company, which Odoo stored on the message
        if message.record_company_id:
            self = self.with_context(sms_notify_company_id=message.record_company_id.id)
        return super()._notify_thread_by_sms(message, recipients_data, msg_vals=msg_vals, **kwargs)

    def _sms_notify_cancel_scheduled(self, reason=None):
        """Cancel the automatic messages still waiting for these records (an order cancelled,
        an appointment called off)."""
        if not self.ids:
            return
        waiting = (
            self.env["sms.notify.scheduled"]
            .sudo()
            .search(
                [
                    ("res_model", "=", self._name),
                    ("res_id", "in", self.ids),
                    ("state", "=", "scheduled"),
                ]
            )
        )
        waiting._cancel(reason or self.env._("The document was cancelled."))

    def _sms_notify_default_templates(self):
        """The SMS template and the e-mail template *Notify* opens with for this record, those
        that fit its state ("Order ready" on a ready order), each empty when none fits: bridges
        override it, choosing among their templates with ``_sms_notify_fitting_templates``."""
        self.ensure_one()
        return self.env["sms.template"], self.env["mail.template"]

    def _sms_notify_fitting_templates(self, xmlids):
        """Of the templates ``xmlids`` name, best first, the first SMS template and the first
        e-mail template this record may use: templates of its model, for its department or for
        every one, that the user may read (record rules keep other companies' away). A
        template deleted or restricted to another department gives way to the next one."""
        self.ensure_one()
        team = self._sms_notify_team()
        fitting = []
        for model in ("sms.template", "mail.template"):
            ids = []
            for xmlid in xmlids:
                template = self.env.ref(xmlid, raise_if_not_found=False)
                if template and template._name == model:
                    ids.append(template.id)
            usable = self.env[model].search(
                [
                    ("id", "in", ids),
                    ("model", "=", self._name),
                    "|",
                    ("sms_notify_team_ids", "=", False),
                    ("sms_notify_team_ids", "in", team.ids),
                ]
            )
            first = next((id_ for id_ in ids if id_ in usable.ids), None)
            fitting.append(self.env[model].browse(first or []))
        return tuple(fitting)

    def _sms_notify_team(self):
        """The department (sales team) the record belongs to, if it has one."""
        field = self._sms_notify_team_field()
        return self[field] if field else self.env["crm.team"]

    def _sms_notify_team_field(self):
        """The name of the field holding the record's department (sales team), if any:
        Odoo's ``team_id`` where the model has one; bridges that add their own name it."""
        field = self._fields.get("team_id")
        if field is not None and field.comodel_name == "crm.team":
            return "team_id"
        return None

    def _sms_notify_may_notify(self):
        """Whether the current user may notify the customer of every record of ``self``:
        from the customer card with *send from the customer card*, from documents with *send
        order-ready notifications*, and for a department (sales team) they are not a member
        of only with *notify for other departments*."""
        return not self._sms_notify_refusal()

    def _sms_notify_check_may_notify(self):
        refusal = self._sms_notify_refusal()
        if refusal:
            raise AccessError(refusal)

    def _sms_notify_check_ready(self):
        """Refuse to notify about a document that is not ready yet (an order not ready, a
        repair not done): bridges whose documents have such a state override this. Checked by
        *Notify*, its button and Odoo's SMS composer alike, through RPC as well."""

    def _sms_notify_poster(self):
        """These records, to post on what the user sends their customers: a contact's chatter
        takes posts only from users who may edit the contact, which *send from the customer
        card* does not give. For such a user the right to send is checked and the post made
        as superuser, still authored by the user (``sudo`` keeps ``env.user``)."""
        if self.env.su or self._name != "res.partner" or self.has_access("write"):
            return self
        self._sms_notify_check_may_notify()
        return self.sudo()

    def _sms_notify_refusal(self):
        if self.env.su:
            return False
        user = self.env.user
        if self._name == "res.partner":
            if not user.has_group("sms_notify.group_sms_notify_send_card"):
                return self.env._(
                    "You may not send messages from the customer card: ask an administrator "
                    "for the right (Settings › SMS Notify › Salespeople)."
                )
            return False
        if not user.has_group("sms_notify.group_sms_notify_send_ready"):
            return self.env._(
                "You may not notify customers about their orders: ask an administrator for the "
                "right (Settings › SMS Notify › Salespeople)."
            )
        if user.has_group("sms_notify.group_sms_notify_other_departments"):
            return False
        for record in self:
            team = record._sms_notify_team()
            if team and user not in team.member_ids | team.user_id:
                return self.env._(
                    "%(record)s belongs to the %(team)s department, which you are not a member "
                    "of: only users who may notify for other departments can notify its customer.",
                    record=record.display_name,
                    team=team.name,
                )
        return False

    # ------------------------------------------------------------------
    # Tokens: what template texts may say about the record's customer and shop
    # ------------------------------------------------------------------

    def _sms_notify_tokens(self):
        """The tokens texts of this model may use, as ``Token`` objects; bridges add their
        documents' own (order number, appointment time...)."""
        customer = self._sms_notify_customer_path()
        return [
            *(self._sms_notify_customer_tokens(customer) if customer else ()),
            *self._sms_notify_shop_tokens(),
        ]

    def _sms_notify_customer_tokens(self, customer):
        """The tokens of the customer ``customer`` (a placeholder path) leads to, with the
        codes other services' texts use for them (ITigris: ``:Уваж: :И: :О:``)."""
        _ = self.env._
        return [
            Token(
                "Salutation",
                f"{customer}.sms_notify_salutation",
                _("Salutation by gender (Dear Ms / Уважаемая / Szanowna Pani)"),
                ("Уваж", "Обращение", "Zwrot"),
            ),
            Token("FirstName", f"{customer}.sms_notify_first_name", _("First name"), FIRST_NAME),
            Token("Patronymic", f"{customer}.sms_notify_patronymic", _("Patronymic"), PATRONYMIC),
            Token(
                "LastName",
                f"{customer}.sms_notify_last_name",
                _("Last name"),
                ("Фамилия", "Nazwisko"),
            ),
            Token("CustomerName", f"{customer}.name", _("Full name"), ("Клиент", "Klient")),
        ]

    def _sms_notify_shop_tokens(self):
        """The shop's name, phone and address: the record's department's where it has one
        (``sms_notify_shop_*`` fields), else its company's (SBIS: "the commercial name, else
        the organisation's")."""
        _ = self.env._
        if "sms_notify_shop_name" in self._fields:
            paths = {part: f"object.sms_notify_shop_{part}" for part in ("name", "phone")}
            if "sms_notify_shop_address" in self._fields:
                paths["address"] = "object.sms_notify_shop_address"
        elif "company_id" in self._fields:
            paths = {"name": "object.company_id.name", "phone": "object.company_id.phone"}
        else:
            return []
        labels = {
            "name": ("ShopName", _("Shop name"), ("Магазин", "Салон", "Sklep")),
            "phone": ("ShopPhone", _("Shop phone"), ("Tel", "Телефон", "Telefon")),
            "address": ("ShopAddress", _("Shop address"), ("Адрес", "Adres")),
        }
        return [
            Token(labels[part][0], path, labels[part][1], labels[part][2])
            for part, path in paths.items()
        ]

    def _sms_notify_post_email(
        self, customer, subject, body, template=None, team=None, company=None
    ):
        """Post the e-mail of Notify or of a rule in the record's chatter, sent to
        ``customer``; the customer history lists it, for its department, template and company
        (the record's own, else ``company``, else the current company)."""
        self.ensure_one()
        team = self._sms_notify_team() if team is None else team
        company = self._mail_get_companies(default=company or self.env.company)[self.id]
        return self.with_context(
            sms_notify_team_id=team.id,
            sms_notify_mail_template_id=template.id if template else False,
            sms_notify_customer_email=CUSTOMER_EMAIL,
        ).message_post(
            subject=subject,
            body=body,
            partner_ids=customer.ids,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
            email_layout_xmlid="mail.mail_notification_light",
            record_company_id=company.id,
        )

    def _sms_notify_customer(self):
        """The customer a message about this record goes to."""
        self.ensure_one()
        if self._name == "res.partner":
            return self
        return self._mail_get_partners().get(self.id, self.env["res.partner"])[:1]

    def _sms_notify_customer_path(self):
        """How a template reaches the record's customer, or ``None``."""
        if self._name == "res.partner":
            return "object"
        field = self._fields.get("partner_id")
        if field is not None and field.comodel_name == "res.partner":
            return "object.partner_id"
        return None

    def mail_allowed_qweb_expressions(self):
        # users who are not template editors may still use every token, and write templates
        # in the customer's language
        customer = self._sms_notify_customer_path()
        return (
            super().mail_allowed_qweb_expressions()
            + tuple(token.expression for token in self._sms_notify_tokens())
            + ((f"{customer}.lang",) if customer else ())
        )
