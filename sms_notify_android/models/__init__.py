from . import sms_notify_gateway
