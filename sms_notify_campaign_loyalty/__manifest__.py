{
    "name": "SMS Notify - Campaign Promo Codes",
    "version": "18.0.1.0.0",
    "category": "Marketing/SMS",
    "summary": "A unique coupon code of a Coupons & Loyalty program in each SMS of a mailing",
    "author": "sms_notify contributors",
    "website": "https://github.com/sms-notify/sms_notify",
    "maintainers": ["sms-notify"],
    "license": "LGPL-3",
    "development_status": "Alpha",
    "depends": ["sms_notify_campaign", "loyalty"],
    "external_dependencies": {"python": []},
    "data": [
        "security/ir.model.access.csv",
        "views/mailing_mailing_views.xml",
        "views/mailing_trace_views.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "sms_notify_campaign_loyalty/static/tests/tours/**/*",
        ],
    },
    "auto_install": True,
    "installable": True,
}
