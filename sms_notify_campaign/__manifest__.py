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
        "security/sms_notify_campaign_security.xml",
        "views/mailing_mailing_views.xml",
        "views/mailing_mailing_results_views.xml",
        "views/sms_notify_message_views.xml",
        "views/mailing_mailing_text_views.xml",
    ],
    "uninstall_hook": "uninstall_hook",
    "assets": {
        "web.assets_tests": [
            "sms_notify_campaign/static/tests/tours/**/*",
        ],
    },
    "auto_install": True,
    "installable": True,
}
