from . import test_promo_codes
from . import test_promo_rights
from . import test_ui
from . import test_pictures
