{
    "name": "SMS Notify - Android Phone",
    "version": "18.0.1.0.0",
    "category": "Marketing/SMS",
    "summary": "Send and receive SMS through the shop's Android phone",
    "author": "sms_notify contributors",
    "website": "https://github.com/sms-notify/sms_notify",
    "maintainers": ["sms-notify"],
    "license": "LGPL-3",
    "development_status": "Alpha",
    "depends": ["sms_notify"],
    "data": [
        "views/sms_notify_gateway_views.xml",
    ],
    "auto_install": False,
    "installable": True,
}
