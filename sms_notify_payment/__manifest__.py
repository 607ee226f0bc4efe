{
    "name": "SMS Notify - Online Payment",
    "version": "18.0.1.0.0",
    "category": "Marketing/SMS",
    "summary": "Pay SMS balance top-ups online through Odoo's payment providers",
    "author": "sms_notify contributors",
    "website": "https://github.com/sms-notify/sms_notify",
    "maintainers": ["sms-notify"],
    "license": "LGPL-3",
    "development_status": "Alpha",
    "depends": ["sms_notify_billing", "payment"],
    "external_dependencies": {"python": []},
    "data": [
        "views/sms_notify_topup_views.xml",
        "views/payment_transaction_views.xml",
    ],
    "auto_install": True,
    "installable": True,
}
