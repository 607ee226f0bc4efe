from . import test_mailing
from . import test_mailing_rights
from . import test_mailing_delivery
