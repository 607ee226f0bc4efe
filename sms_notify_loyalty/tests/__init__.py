from . import test_notify_loyalty
from . import test_points_expiry
from . import test_pictures
