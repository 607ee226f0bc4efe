from . import test_android_gateway
