def uninstall_hook(env):
    """The history view reads the price of each SMS: rebuild it without the price before the
    column goes, which would otherwise take the view with it."""
    env["sms.notify.message"].with_context(sms_notify_billing_uninstall=True).init()
