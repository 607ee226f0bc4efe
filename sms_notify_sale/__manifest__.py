{
    "name": "SMS Notify - Sales",
    "version": "18.0.1.0.0",
    "category": "Marketing/SMS",
    "summary": "Notify customers by SMS about their sale orders",
    "author": "sms_notify contributors",
    "website": "https://github.com/sms-notify/sms_notify",
    "maintainers": ["sms-notify"],
    "license": "LGPL-3",
    "development_status": "Alpha",
    "depends": ["sms_notify", "sale_management"],
    "external_dependencies": {"python": []},
    "data": [
        "security/ir.model.access.csv",
        "data/sms_template_data.xml",
        "data/mail_template_data.xml",
        "data/sms_notify_rule_data.xml",
        "views/sale_order_views.xml",
        "views/res_config_settings_views.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "sms_notify_sale/static/tests/tours/**/*",
        ],
    },
    "demo": [
        "demo/sale_order_demo.xml",
    ],
    "auto_install": True,
    "installable": True,
}
