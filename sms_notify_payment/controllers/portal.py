import urllib.parse

from odoo import http
from odoo.exceptions import AccessError, ValidationError
from odoo.http import request

from odoo.addons.payment import utils as payment_utils
from odoo.addons.payment.controllers import portal as payment_portal


class PaymentPortal(payment_portal.PaymentPortal):
    """Odoo's payment page (``/payment/pay``) for a top-up of the SMS balance, as Invoicing
    does for an invoice: the amount, currency and company are the request's, whatever the
    link says, and only users who may read the request reach it."""

    @staticmethod
    def _sms_notify_topup_to_pay(topup_id):
        """The requested top-up ``topup_id``, read as the logged-in user (their access rights
        and company rules apply), or a ``ValidationError``."""
        topup = request.env["sms.notify.topup"].browse(topup_id).exists()
        try:
            topup.check_access("read")
        except AccessError as error:
            topup = None
            refusal = error
        else:
            refusal = None
        if not topup:
            # the same answer whether the request does not exist or is someone else's
            raise ValidationError(
                request.env._("The provided parameters are invalid.")
            ) from refusal
        if topup.state != "requested":
            raise ValidationError(
                request.env._(
                    "%(name)s is not awaiting payment any more: open it in SMS Notify › Balance "
                    "› Top-up Requests.",
                    name=topup.name,
                )
            )
        return topup

    @http.route()
    def payment_pay(self, *args, sms_notify_topup_id=None, **kwargs):
        topup_id = self._cast_as_int(sms_notify_topup_id)
        if topup_id:
            if request.env.user._is_public():
                return request.redirect(
                    f"/web/login?redirect={urllib.parse.quote(request.httprequest.full_path)}"
                )
            topup = self._sms_notify_topup_to_pay(topup_id)
            partner = request.env.user.partner_id
            kwargs.update(
                {
                    "reference": topup.name,
                    "amount": topup.amount,
                    "currency_id": topup.currency_id.id,
                    "partner_id": partner.id,
                    "company_id": topup.company_id.id,
                    "access_token": payment_utils.generate_access_token(
                        partner.id, topup.amount, topup.currency_id.id
                    ),
                    "sms_notify_topup_id": topup.id,
                }
            )
        return super().payment_pay(*args, **kwargs)

    def _get_extra_payment_form_values(self, sms_notify_topup_id=None, **kwargs):
        form_values = super()._get_extra_payment_form_values(**kwargs)
        topup_id = self._cast_as_int(sms_notify_topup_id)
        if topup_id:
            # the next steps create the transaction for the request and come back to it
            form_values.update(
                {
                    "transaction_route": f"/sms_notify/topup/{topup_id}/transaction",
                    "landing_route": f"/odoo/sms.notify.topup/{topup_id}",
                }
            )
        return form_values

    @http.route("/sms_notify/topup/<int:topup_id>/transaction", type="json", auth="user")
    def sms_notify_topup_transaction(self, topup_id, access_token=None, amount=None, **kwargs):
        """Create the draft transaction paying the top-up and return its processing values."""
        topup = self._sms_notify_topup_to_pay(topup_id)
        self._validate_transaction_kwargs(kwargs)
        transaction = self._create_transaction(
            amount=topup.amount,
            currency_id=topup.currency_id.id,
            partner_id=request.env.user.partner_id.id,
            custom_create_values={"sms_notify_topup_id": topup.id},
            **kwargs,
        )
        return transaction._get_processing_values()
