{
    "name": "SMS Notify - Loyalty",
    "version": "18.0.1.0.0",
    "category": "Marketing/SMS",
    "summary": "Tell customers by SMS about the bonus points on their loyalty cards",
    "author": "sms_notify contributors",
    "website": "https://github.com/sms-notify/sms_notify",
    "maintainers": ["sms-notify"],
    "license": "LGPL-3",
    "development_status": "Alpha",
    "depends": ["sms_notify", "loyalty"],
    "external_dependencies": {"python": []},
    "data": [
        "views/loyalty_card_views.xml",
    ],
    "auto_install": True,
    "installable": True,
}
