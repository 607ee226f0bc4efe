from . import test_notify_calendar
from . import test_rules_calendar
from . import test_seed_tokens_calendar
from . import test_pictures
from . import test_ui
