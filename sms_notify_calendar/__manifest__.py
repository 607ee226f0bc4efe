{
    "name": "SMS Notify - Appointments",
    "version": "18.0.1.1.0",
    "category": "Marketing/SMS",
    "summary": "Confirm, remind and cancel appointments by SMS",
    "author": "sms_notify contributors",
    "website": "https://github.com/sms-notify/sms_notify",
    "maintainers": ["sms-notify"],
    "license": "LGPL-3",
    "development_status": "Alpha",
    "depends": ["sms_notify", "calendar_sms", "sales_team"],
    "external_dependencies": {"python": []},
    "data": [
        "security/ir.model.access.csv",
        "data/sms_template_data.xml",
        "data/mail_template_data.xml",
        "data/sms_notify_rule_data.xml",
        "views/calendar_event_views.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "sms_notify_calendar/static/tests/tours/**/*",
        ],
    },
    "demo": [
        "demo/calendar_event_demo.xml",
    ],
    "auto_install": True,
    "installable": True,
}
