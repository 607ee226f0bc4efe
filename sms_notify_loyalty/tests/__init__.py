from . import test_notify_loyalty
