{
    "name": "SMS Notify",
    "version": "18.0.1.0.0",
    "category": "Marketing/SMS",
    "summary": "Notify customers by SMS through your own gateways, with full history",
    "author": "sms_notify contributors",
    "website": "https://github.com/sms-notify/sms_notify",
    "maintainers": ["sms-notify"],
    "license": "LGPL-3",
    "development_status": "Alpha",
    "depends": ["sms", "phone_validation", "base_automation", "mail"],
    "external_dependencies": {"python": ["phonenumbers"]},
    "data": [
        "security/sms_notify_security.xml",
        "security/ir.model.access.csv",
        "data/ir_cron_data.xml",
        "data/sms_notify_operator_data.xml",
        "views/sms_notify_gateway_views.xml",
        "views/sms_sms_views.xml",
        "views/res_config_settings_views.xml",
        "views/sms_notify_sender_name_views.xml",
        "views/sms_notify_operator_views.xml",
        "views/sms_notify_menus.xml",
    ],
    "demo": [
        "demo/res_partner_demo.xml",
        "demo/sms_notify_gateway_demo.xml",
    ],
    "assets": {
        "web.assets_backend": [
            "sms_notify/static/src/**/*",
        ],
        "web.assets_tests": [
            "sms_notify/static/tests/tours/**/*",
        ],
    },
    "installable": True,
    "application": True,
}
