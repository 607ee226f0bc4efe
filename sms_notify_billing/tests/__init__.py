from . import test_money
from . import test_topup
from . import test_sender_name
from . import test_access_billing
from . import test_billing_paths
from . import test_viber_money
from . import test_send_outcome
from . import test_packages
