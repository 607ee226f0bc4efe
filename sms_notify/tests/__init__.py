from . import test_gateway_seam
from . import test_iap_gateway
from . import test_retention
from . import test_ui
from . import test_http_gateway
from . import test_queue
from . import test_delivery_reports
from . import test_limits
