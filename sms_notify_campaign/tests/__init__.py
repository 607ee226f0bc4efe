from . import test_mailing
from . import test_mailing_rights
from . import test_campaign_recipients
from . import test_campaign_summary
