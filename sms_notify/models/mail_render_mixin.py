from functools import reduce

from odoo import api, models
from odoo.tools.rendering_tools import parse_inline_template


class MailRenderMixin(models.AbstractModel):
    _inherit = "mail.render.mixin"

    @api.model
    def _render_template_inline_template_regex(self, template_txt, model, res_ids):
        """Odoo's rendering of plain field paths (``{{ object.sms_notify_first_name }}``, what
        tokens compile to), giving the same texts (a test holds it to Odoo's) for a whole set
        of records at once.

        Odoo checks every placeholder against the model's allowed expressions once per
        record, and the suite's allowed expressions are its tokens, built anew at each check:
        for a mailing that was half of the rendering. Here each placeholder is checked once,
        and one of a single non-relational field is read for all the records in one go;
        longer paths are followed record by record, as Odoo does."""
        template = parse_inline_template(str(template_txt))
        records = self.env[model].browse(res_ids)
        if not records:
            return {}
        qweb = self.env["ir.qweb"]
        for _literal, expression, _default in template:
            if expression and not qweb._is_expression_allowed(expression, model):
                raise SyntaxError(f"Invalid expression for the regex mode {expression!r}")
        columns = [
            self._sms_notify_render_path(records, expression.split(".")[1:], default)
            if expression
            else None
            for _literal, expression, default in template
        ]
        return {
            record.id: "".join(
                literal if column is None else literal + column[index]
                for (literal, _expression, _default), column in zip(template, columns, strict=True)
            )
            for index, record in enumerate(records)
        }

    @api.model
    def _sms_notify_render_path(self, records, path, default):
        """What Odoo's regex rendering prints for the field path ``path`` (the fields after
        ``object``) on each of ``records``, in order: the value, else ``default``."""
        field = records._fields.get(path[0]) if len(path) == 1 else None
        if field is not None and not field.relational:
            return [str(value or default) for value in records.mapped(path[0])]

        def value(record):
            try:
                return reduce(lambda rec, fname: rec[fname], path, record) or default
            except KeyError:
                return default

        return [str(value(record)) for record in records]
