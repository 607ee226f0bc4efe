from . import mail_render_mixin
from . import mailing_contact
from . import mailing_mailing
from . import sms_tracker
from . import mailing_mailing_results
from . import sms_notify_message
from . import sms_sms
from . import mailing_mailing_delivery
