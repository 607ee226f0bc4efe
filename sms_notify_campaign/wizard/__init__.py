from . import sms_composer
from . import sms_composer_delivery
