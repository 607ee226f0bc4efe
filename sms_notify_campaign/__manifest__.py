{
    "name": "SMS Notify - Campaigns",
    "version": "18.0.1.0.0",
    "category": "Marketing/SMS",
    "summary": "SMS campaigns with cost preview, consent and recipient editing",
    "author": "sms_notify contributors",
    "website": "https://github.com/sms-notify/sms_notify",
    "maintainers": ["sms-notify"],
    "license": "LGPL-3",
    "development_status": "Alpha",
    "depends": ["sms_notify", "mass_mailing_sms"],
    "external_dependencies": {"python": []},
    "data": [
        "security/ir.model.access.csv",
        "views/mailing_mailing_views.xml",
        "views/mailing_mailing_text_views.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "sms_notify_campaign/static/tests/tours/**/*",
        ],
    },
    "auto_install": True,
    "installable": True,
}
