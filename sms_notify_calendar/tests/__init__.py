from . import test_notify_calendar
