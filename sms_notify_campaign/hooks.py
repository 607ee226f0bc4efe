def uninstall_hook(env):
    """The history view reads each SMS's mailing: rebuild it without the campaign columns, or
    removing SMS Marketing later would drop the column and the view with it."""
    env["sms.notify.message"].with_context(sms_notify_campaign_uninstall=True).init()
