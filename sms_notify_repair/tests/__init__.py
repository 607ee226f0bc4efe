from . import test_notify_repair
from . import test_pictures
