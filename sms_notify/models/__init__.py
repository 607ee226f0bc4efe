from . import sms_notify_gateway
from . import sms_notify_dispatch
from . import sms_sms
from . import res_config_settings
from . import bulk_rows
