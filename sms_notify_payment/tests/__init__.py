from . import test_topup_payment
from . import test_pictures
