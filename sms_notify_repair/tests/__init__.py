from . import test_notify_repair
