from . import test_notify_sale
from . import test_ui
from . import test_templates
from . import test_rules_sale
from . import test_role_matrix
from . import test_sending_rights_sale
from . import test_seed_tokens
from . import test_ready_filter
