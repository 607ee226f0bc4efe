from . import test_modem_gateway
from . import test_access_credentials
from . import test_pictures
