from . import test_mailing
from . import test_mailing_rights
from . import test_campaign_results
from . import test_campaign_text
from . import test_mailing_delivery
from . import test_campaign_recipients
from . import test_campaign_summary
from . import test_campaign_rpc
