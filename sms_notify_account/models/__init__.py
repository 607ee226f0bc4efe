from . import sms_notify_topup
from . import account_move
