from . import sms_notify_gateway
from . import sms_sms
