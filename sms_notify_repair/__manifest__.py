{
    "name": "SMS Notify - Repairs",
    "version": "18.0.1.0.0",
    "category": "Marketing/SMS",
    "summary": "Notify customers by SMS when their repair order is ready",
    "author": "sms_notify contributors",
    "website": "https://github.com/sms-notify/sms_notify",
    "maintainers": ["sms-notify"],
    "license": "LGPL-3",
    "development_status": "Alpha",
    "depends": ["sms_notify", "repair", "sales_team"],
    "external_dependencies": {"python": []},
    "data": [
        "security/ir.model.access.csv",
        "data/sms_template_data.xml",
        "data/sms_notify_rule_data.xml",
        "views/repair_order_views.xml",
    ],
    "demo": [
        "demo/repair_order_demo.xml",
    ],
    "auto_install": True,
    "installable": True,
}
