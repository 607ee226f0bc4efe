from . import test_modem_gateway
