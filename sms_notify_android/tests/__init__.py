from . import test_android_gateway
from . import test_access_credentials
from . import test_android_setup
from . import test_pictures
