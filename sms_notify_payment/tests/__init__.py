from . import test_topup_payment
