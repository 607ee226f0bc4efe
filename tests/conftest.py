"""Make every addon's ``tools`` package importable without Odoo.

Importing ``sms_notify`` normally runs its ``__init__`` (models, hence Odoo).  The pure tests only
need ``<addon>/tools``, so each addon is registered as a bare package whose ``__init__`` is not
executed; ``from sms_notify.tools import gsm`` then loads nothing but plain Python.
"""

import sys
import types
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

for manifest in sorted(REPO.glob("*/__manifest__.py")):
    addon = manifest.parent
    if addon.name not in sys.modules:
        package = types.ModuleType(addon.name)
        package.__path__ = [str(addon)]
        sys.modules[addon.name] = package
