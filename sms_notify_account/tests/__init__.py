from . import test_topup_invoice
from . import test_pictures
