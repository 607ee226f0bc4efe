from . import mail_render_mixin
from . import mailing_mailing
from . import sms_tracker
from . import mailing_mailing_summary
from . import sms_notify_campaign_recipient
