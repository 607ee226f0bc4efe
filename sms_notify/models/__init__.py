from . import sms_notify_gateway
from . import sms_notify_dispatch
from . import sms_sms
from . import res_config_settings
from . import bulk_rows
from . import sms_notify_operator
from . import sms_notify_sender_name
from . import sms_notify_sender_registration
