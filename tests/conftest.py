"""Make every addon's ``tools`` package importable without Odoo, under the name Odoo gives it.

Importing ``odoo.addons.sms_notify`` normally runs Odoo's ``__init__`` and the addon's (models).
The pure tests only need ``<addon>/tools`` (and the protocol fakes under ``<addon>/tests/fakes``),
so ``odoo``, ``odoo.addons``, each addon and its ``tests`` folder are registered as bare packages
whose ``__init__`` is not executed: ``from odoo.addons.sms_notify.tools import gsm`` then loads
nothing but plain Python, and an addon's tools reach the core's with the same relative import
(``from ...sms_notify.tools import gsm``) as under Odoo.  No code of Odoo is loaded: the bare
``odoo`` package is empty, so a tool that needed Odoo would fail here.
"""

import sys
import types
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def _bare_package(name, path):
    if name not in sys.modules:
        package = types.ModuleType(name)
        package.__path__ = [str(path)] if path else []
        sys.modules[name] = package


_bare_package("odoo", None)
_bare_package("odoo.addons", None)
for manifest in sorted(REPO.glob("*/__manifest__.py")):
    addon = manifest.parent
    _bare_package(f"odoo.addons.{addon.name}", addon)
    _bare_package(f"odoo.addons.{addon.name}.tests", addon / "tests")
