"""Make every addon's ``tools`` package importable without Odoo.

Importing ``sms_notify`` normally runs its ``__init__`` (models, hence Odoo).  The pure tests only
need ``<addon>/tools`` (and the protocol fakes under ``<addon>/tests/fakes``), so each addon and
its ``tests`` folder are registered as bare packages whose ``__init__`` is not executed;
``from sms_notify.tools import gsm`` then loads nothing but plain Python.
"""

import sys
import types
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def _bare_package(name, path):
    if name not in sys.modules:
        package = types.ModuleType(name)
        package.__path__ = [str(path)]
        sys.modules[name] = package


for manifest in sorted(REPO.glob("*/__manifest__.py")):
    addon = manifest.parent
    _bare_package(addon.name, addon)
    _bare_package(f"{addon.name}.tests", addon / "tests")
