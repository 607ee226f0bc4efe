from . import sms_composer
from . import sms_composer_delivery
from . import sms_notify_campaign_recipient_add
from . import sms_notify_campaign_recipient_number
from . import mailing_sms_test
