from datetime import timedelta
from math import inf

from babel.dates import format_timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_amount, format_datetime
from odoo.tools.misc import babel_locale_parse

from odoo.addons.sms_notify.tools.tokens import Token


class SaleOrder(models.Model):
    _name = "sale.order"
    _inherit = ["sale.order", "sms.notify.mixin"]

    sms_notify_ready = fields.Boolean(
        string="Ready to Notify",
        compute="_compute_sms_notify_ready",
        store=True,
        help="The order is ready as the company defines it (Settings › SMS Notify): the "
        "customer can be notified.",
    )

    sms_notify_amount_text = fields.Char(
        string="Total for Messages",
        compute="_compute_sms_notify_amount_text",
        help="The order's total as messages show it, with its currency.",
    )

    sms_notify_ready_date_text = fields.Char(
        string="Ready Date for Messages",
        compute="_compute_sms_notify_ready_date_text",
        help="The day the customer may collect the order, as messages show it: the promised "
        "delivery date, else the expected one, in the customer's language and time zone.",
    )

    sms_notify_ready_time_text = fields.Char(
        string="Ready At for Messages",
        compute="_compute_sms_notify_ready_date_text",
        help="The day and time the order is expected (the promised delivery date, else the "
        "expected one), in the customer's language and time zone.",
    )
    sms_notify_lead_time_text = fields.Char(
        string="Lead Time for Messages",
        compute="_compute_sms_notify_ready_date_text",
        help="How long the order takes from being placed to being ready (45 minutes, 2 days), "
        "in the customer's language.",
    )
    sms_notify_payment_text = fields.Char(
        string="Payment Method for Messages",
        compute="_compute_sms_notify_payment_text",
        help="How the customer pays: the method of the online payment made for the order, "
        "else its payment terms.",
    )

    @api.depends(
        "date_order", "commitment_date", "expected_date", "partner_id.lang", "partner_id.tz"
    )
    def _compute_sms_notify_ready_date_text(self):
        for order in self:
            customer = order.partner_id
            ready = order.commitment_date or order.expected_date
            lang = customer.lang or self.env.lang
            order.sms_notify_ready_date_text = order._sms_notify_day_text(ready, customer)
            order.sms_notify_ready_time_text = ready and format_datetime(
                self.env,
                ready,
                tz=customer.tz or self.env.user.tz or "UTC",
                dt_format="short",
                lang_code=lang,
            )
            order.sms_notify_lead_time_text = (
                ready and order.date_order and _duration_text(ready - order.date_order, lang)
            )

    @api.depends("transaction_ids.state", "payment_term_id")
    def _compute_sms_notify_payment_text(self):
        for order in self:
            # only the name of the payment method is read from the transactions, which a
            # salesperson may not see
            paid = order.sudo().transaction_ids.filtered(
                lambda tx: tx.state in ("authorized", "done")
            )[-1:]
            order.sms_notify_payment_text = (
                paid.payment_method_id.name or paid.provider_id.name or order.payment_term_id.name
            ) or False

    @api.depends("amount_total", "currency_id")
    def _compute_sms_notify_amount_text(self):
        for order in self:
            order.sms_notify_amount_text = format_amount(
                self.env, order.amount_total, order.currency_id
            )

    def _sms_notify_tokens(self):
        _ = self.env._
        return [
            *super()._sms_notify_tokens(),
            # the aliases of JagatiqPOS are spelt as its texts write them: <<nrZamowienia>>
            Token(
                "OrderNumber",
                "object.name",
                _("Order number"),
                ("ID", "НомерЗаказа", "NumerZamowienia", "nrZamowienia"),
            ),
            Token(
                "OrderTotal",
                "object.sms_notify_amount_text",
                _("Order total"),
                ("СуммаЗаказа", "Kwota", "wartoscZamowienia"),
            ),
            Token(
                "ReadyTime",
                "object.sms_notify_ready_time_text",
                _("Ready date and time"),
                ("ВремяГотовности", "czasDostawy"),
            ),
            Token(
                "LeadTime",
                "object.sms_notify_lead_time_text",
                _("Time the order takes"),
                ("СрокИсполнения", "czasRealizacji"),
            ),
            Token(
                "PaymentMethod",
                "object.sms_notify_payment_text",
                _("Payment method"),
                ("СпособОплаты", "rodzPlatnosci"),
            ),
            Token(
                "ReadyDate",
                "object.sms_notify_ready_date_text",
                _("Ready date"),
                ("ДатаГотовности", "ДатаВыдачи", "DataOdbioru"),
            ),
        ]

    sms_notify_delivered = fields.Boolean(
        string="Delivered",
        compute="_compute_sms_notify_ready",
        store=True,
        help="Every line of the confirmed order is delivered: the order has left the shop.",
    )

    # stored, so that notification rules see an order become ready or delivered
    @api.depends(
        "state",
        "invoice_status",
        "order_line.qty_delivered",
        "order_line.product_uom_qty",
        "order_line.display_type",
        "company_id.sms_notify_sale_ready",
    )
    def _compute_sms_notify_ready(self):
        for order in self:
            lines = order.order_line.filtered(
                lambda line: not line.display_type and line.product_uom_qty
            )
            delivered = (
                order.state == "sale"
                and bool(lines)
                and all(line.qty_delivered >= line.product_uom_qty for line in lines)
            )
            ready_when = order.company_id.sms_notify_sale_ready
            order.sms_notify_delivered = delivered
            order.sms_notify_ready = order.state == "sale" and (
                ready_when == "confirmed"
                or (ready_when == "invoiced" and order.invoice_status == "invoiced")
                or (ready_when == "delivered" and delivered)
            )

    def _sms_notify_default_templates(self):
        """An order that left the shop opens Notify on "Order on its way", a ready one on
        "Order ready"; where the company calls an order ready once it is delivered, delivered
        means ready and waiting."""
        self.ensure_one()
        xmlids = []
        if self.sms_notify_delivered and self.company_id.sms_notify_sale_ready != "delivered":
            xmlids += [
                "sms_notify_sale.sms_template_order_left",
                "sms_notify_sale.mail_template_order_left",
            ]
        if self.sms_notify_ready:
            xmlids += [
                "sms_notify_sale.sms_template_order_ready",
                "sms_notify_sale.mail_template_order_ready",
            ]
        return self._sms_notify_fitting_templates(xmlids)

    def _action_cancel(self):
        result = super()._action_cancel()
        self._sms_notify_cancel_scheduled(self.env._("The order was cancelled."))
        return result

    def _sms_notify_check_ready(self):
        """The customer is told "your order is ready" only once it is."""
        for order in self.filtered(lambda order: not order.sms_notify_ready):
            ready_when = dict(
                order.company_id._fields["sms_notify_sale_ready"]._description_selection(self.env)
            )[order.company_id.sms_notify_sale_ready]
            raise UserError(
                self.env._(
                    "%(order)s is not ready yet. Customers are notified once an order is ready: "
                    "%(rule)s (Settings › SMS Notify).",
                    order=order.name,
                    rule=ready_when.lower(),
                )
            )
        return super()._sms_notify_check_ready()


def _duration_text(delta, lang):
    """``delta`` as a customer reads a lead time, in ``lang``: whole days from a day on
    ("3 дня"), else hours and minutes ("1 godzina 30 minut"); nothing for no time at all."""
    minutes = round(delta.total_seconds() / 60)
    if minutes <= 0:
        return False
    locale = babel_locale_parse(lang)

    def amount(value, unit):
        # an infinite threshold keeps the unit asked for (no "1 week" for 7 days)
        return format_timedelta(
            timedelta(**{unit + "s": value}), granularity=unit, threshold=inf, locale=locale
        )

    if minutes >= 24 * 60:
        return amount(round(minutes / (24 * 60)), "day")
    hours, minutes = divmod(minutes, 60)
    return " ".join(
        amount(value, unit) for value, unit in ((hours, "hour"), (minutes, "minute")) if value
    )
