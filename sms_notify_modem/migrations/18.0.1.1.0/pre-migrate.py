"""The Android phone gateway left this addon for sms_notify_android: a database whose phones
send through it installs that addon in the same upgrade, or the phones would turn into
sandbox gateways and lose their credentials."""


def migrate(cr, version):
    cr.execute("SELECT 1 FROM sms_notify_gateway WHERE gateway_type = 'android' LIMIT 1")
    if cr.fetchone():
        cr.execute(
            """UPDATE ir_module_module SET state = 'to install'
                WHERE name = 'sms_notify_android' AND state = 'uninstalled'"""
        )
