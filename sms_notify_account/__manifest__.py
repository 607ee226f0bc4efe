{
    "name": "SMS Notify - Invoicing",
    "version": "18.0.1.0.0",
    "category": "Marketing/SMS",
    "summary": "The provider's bill for each SMS balance top-up; paying it credits the balance",
    "author": "sms_notify contributors",
    "website": "https://github.com/sms-notify/sms_notify",
    "maintainers": ["sms-notify"],
    "license": "LGPL-3",
    "development_status": "Alpha",
    "depends": ["sms_notify_billing", "account"],
    "external_dependencies": {"python": []},
    "data": [
        "security/ir.model.access.csv",
        "views/sms_notify_topup_views.xml",
    ],
    "auto_install": True,
    "installable": True,
}
