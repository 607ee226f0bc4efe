from . import sms_composer
from . import sms_resend
from . import sms_notify_wizard
from . import sms_composer_viber
