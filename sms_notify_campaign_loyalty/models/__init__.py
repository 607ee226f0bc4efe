from . import mailing_mailing
from . import mailing_trace
from . import sms_tracker
