from . import payment_transaction
from . import sms_notify_topup
