from . import test_notify_sale
