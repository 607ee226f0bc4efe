from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..tools import cascade, kinds
from ..tools.tokens import LiteralBracesError, UnknownTokenError, compile_tokens, decompile
from .sms_sms_cascade import DEFAULT_WAIT_MINUTES, DELIVERY_MODES


class SmsTemplate(models.Model):
    _inherit = "sms.template"

    message_kind = fields.Selection(
        kinds.MESSAGE_KIND_SELECTION,
        string="Kind",
        required=True,
        default=kinds.SERVICE,
        help="Service: a notification the customer expects (order ready, reminder). "
        "Advertising: a promotion. Messages from this template are priced and checked for "
        "consent by their kind.",
    )
    sms_notify_team_ids = fields.Many2many(
        "crm.team",
        string="Departments",
        help="The departments (sales teams) whose documents may use this template. Empty: "
        "every department.",
    )
    sms_notify_max_segments = fields.Integer(
        string="Longest SMS (parts)",
        help="A text of this template needing more SMS than this is refused when composed. "
        "0: the limit of the settings.",
    )
    sms_notify_text = fields.Text(
        string="Text with Tokens",
        compute="_compute_sms_notify_text",
        inverse="_inverse_sms_notify_text",
        help="The message as you write it, with tokens between colons (:FirstName:, "
        ":ShopPhone:) from the palette beside it; each one is replaced by the customer's or the "
        "document's value when the message is sent.",
    )
    delivery_mode = fields.Selection(
        DELIVERY_MODES,
        string="Send By",
        required=True,
        default=cascade.SMS_ONLY,
        help="SMS only; Viber only; or Viber first and the SMS when the customer has no Viber "
        "or Viber does not report delivery within the wait. Viber needs a gateway that sends "
        "it (SMSC, Vonage).",
    )
    viber_body = fields.Text(
        translate=True,
        help="The Viber text, compiled from the text with tokens. Empty: the SMS text.",
    )
    sms_notify_viber_text = fields.Text(
        string="Viber Text",
        compute="_compute_sms_notify_viber_text",
        inverse="_inverse_sms_notify_viber_text",
        help="Up to 1,000 characters, with the same tokens as the SMS text. Empty: the SMS "
        "text goes by Viber too.",
    )
    viber_wait_minutes = fields.Integer(
        string="Wait for Viber (minutes)",
        default=DEFAULT_WAIT_MINUTES,
        help="Viber then SMS: how long Viber may take to report delivery before the SMS "
        "goes (1 minute to 24 hours).",
    )
    sms_notify_token_palette = fields.Json(
        string="Token Palette",
        compute="_compute_sms_notify_token_palette",
        help="The tokens texts of this template's model may use, offered beside the text.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        # the body is required: compiled from the text before the row exists
        for vals in vals_list:
            if "sms_notify_text" in vals and not vals.get("body"):
                model = self.env["ir.model"].sudo().browse(vals.get("model_id")).model
                vals["body"] = self._sms_notify_compile(
                    vals.pop("sms_notify_text"), self._sms_notify_tokens_of(model)
                )
        return super().create(vals_list)

    @api.model
    def _sms_notify_tokens_of(self, model):
        if not model or model not in self.env:
            return []
        return self.env[model]._sms_notify_tokens()

    def _sms_notify_model_tokens(self):
        self.ensure_one()
        return self._sms_notify_tokens_of(self.model)

    @api.model
    def _sms_notify_compile(self, text, tokens, keep=()):
        try:
            return compile_tokens(text or "", tokens, translate=self.env._, keep=keep)
        except (UnknownTokenError, LiteralBracesError) as error:
            raise ValidationError(str(error)) from error

    @api.model
    def _sms_notify_upgrade_shop_placeholders(self):
        """Move templates compiled when the shop tokens read the company directly to the
        department-aware ``sms_notify_shop_*`` fields of their model, in every language."""
        old_paths = ("object.company_id", "object.user_id.company_id")
        models = [
            name
            for name in self.with_context(active_test=False).search([]).mapped("model")
            if name in self.env and "sms_notify_shop_name" in self.env[name]._fields
        ]
        if not models:
            return
        for old in old_paths:
            for part in ("name", "phone"):
                # jsonb of every translation: the placeholder is the same in each language
                self.env.cr.execute(
                    """UPDATE sms_template
                          SET body = replace(body::text, %(old)s, %(new)s)::jsonb,
                              viber_body = replace(viber_body::text, %(old)s, %(new)s)::jsonb
                        WHERE model IN %(models)s""",
                    {
                        "old": f"{{{{ {old}.{part} }}}}",
                        "new": f"{{{{ object.sms_notify_shop_{part} }}}}",
                        "models": tuple(models),
                    },
                )
        self.invalidate_model(["body", "viber_body"])

    @api.depends("body", "model")
    def _compute_sms_notify_text(self):
        for template in self:
            template.sms_notify_text = decompile(
                template.body or "", template._sms_notify_model_tokens()
            )

    def _inverse_sms_notify_text(self):
        for template in self:
            tokens = template._sms_notify_model_tokens()
            if template.sms_notify_text == decompile(template.body or "", tokens):
                # shown back unchanged (the form sends it with the rest): placeholders written
                # by hand in the body stay as they are
                continue
            template.body = self._sms_notify_compile(template.sms_notify_text, tokens)

    @api.depends("viber_body", "model")
    def _compute_sms_notify_viber_text(self):
        for template in self:
            template.sms_notify_viber_text = template.viber_body and decompile(
                template.viber_body, template._sms_notify_model_tokens()
            )

    def _inverse_sms_notify_viber_text(self):
        for template in self:
            tokens = template._sms_notify_model_tokens()
            text = template.sms_notify_viber_text
            if (text or False) == (template.viber_body and decompile(template.viber_body, tokens)):
                continue
            template.viber_body = text and self._sms_notify_compile(text, tokens)

    @api.constrains("viber_wait_minutes", "delivery_mode")
    def _check_viber_wait(self):
        for template in self:
            self.env["sms.sms"]._sms_notify_check_viber_wait(
                template.delivery_mode, template.viber_wait_minutes, template.name
            )

    @api.depends("model")
    @api.depends_context("lang")
    def _compute_sms_notify_token_palette(self):
        # the labels are translated into the language of whoever opens the form
        for template in self:
            template.sms_notify_token_palette = [
                {"code": token.code, "label": token.label, "aliases": list(token.aliases)}
                for token in template._sms_notify_model_tokens()
            ]
