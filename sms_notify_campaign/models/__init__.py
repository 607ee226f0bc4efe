from . import mail_render_mixin
from . import mailing_contact
from . import mailing_mailing
from . import sms_tracker
