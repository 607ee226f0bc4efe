from . import test_notify_repair
from . import test_pictures
from . import test_ready_filter
