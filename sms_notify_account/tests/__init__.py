from . import test_topup_invoice
