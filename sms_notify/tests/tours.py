"""Browser tours as the suite's users see it: in Russian, and with the pictures of the readmes.

A tour step that logs ``sms_notify:screenshot <addon>/<name>`` names a screen worth a picture.
Tours run as usual in ``make test``; ``make screenshots`` runs them with
``SMS_NOTIFY_SCREENSHOTS`` set, and each named screen is then saved as
``<addon>/static/description/<name>.png``, the picture the addon's readme shows.
"""

import base64
import json
import logging
import os
from contextlib import contextmanager
from pathlib import Path
from unittest.mock import patch

from odoo.modules.module import get_module_path
from odoo.tests import HttpCase
from odoo.tests.common import ChromeBrowser

_logger = logging.getLogger(__name__)

SCREENSHOT_SIGNAL = "sms_notify:screenshot "


def screenshot_path(name):
    """``<addon>/static/description/<picture>.png`` for ``name`` = ``<addon>/<picture>``;
    only the suite's addons and plain picture names are accepted."""
    addon, _slash, picture = name.partition("/")
    if not addon.startswith("sms_notify") or not picture.replace("_", "").isalnum():
        raise ValueError(f"not a screenshot name of the suite: {name!r}")
    return Path(get_module_path(addon)) / "static" / "description" / f"{picture}.png"


class RussianTourCase(HttpCase):
    """Tours of a user whose interface is in Russian: Odoo's and the suite's Russian
    translations are loaded for every installed module, as installing the language does."""

    LANG = "ru_RU"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang(cls.LANG)
        installed = cls.env["ir.module.module"].search([("state", "=", "installed")])
        cls.env["ir.module.module"]._load_module_terms(installed.mapped("name"), [cls.LANG])
        cls.screens = []

    def start_tour(self, url_path, tour_name, step_delay=None, **kwargs):
        """Odoo's tour runner; the screens the tour names are noted in ``self.screens`` and,
        with ``SMS_NOTIFY_SCREENSHOTS`` set, saved as pictures."""
        with self._screens_named():
            return super().start_tour(url_path, tour_name, step_delay=step_delay, **kwargs)

    def take_picture(self, url_path, name, ready, login="admin"):
        """Open ``url_path`` as ``login`` and, once an element matches the CSS selector
        ``ready`` and nothing is loading, name the screen ``name`` (``<addon>/<picture>``):
        the one-step tour of a screen that is only looked at."""
        signal = json.dumps(SCREENSHOT_SIGNAL + name)
        code = f"console.log({signal}); setTimeout(() => console.log('test successful'), 700);"
        wait = (
            f"document.querySelector({json.dumps(ready)})"
            " && !document.querySelector('.o_loading_indicator, .o_blockUI')"
        )
        with self._screens_named():
            self.browser_js(url_path, code, ready=wait, login=login)

    @contextmanager
    def _screens_named(self):
        handle_console = ChromeBrowser._handle_console
        screens = self.screens
        save = bool(os.environ.get("SMS_NOTIFY_SCREENSHOTS"))

        def console(browser, type, args=None, **kw):  # pylint: disable=redefined-builtin
            first = str(browser._from_remoteobject(args[0])) if args else ""
            if first.startswith(SCREENSHOT_SIGNAL):
                name = first[len(SCREENSHOT_SIGNAL) :].strip()
                path = screenshot_path(name)
                screens.append(name)
                if save:
                    future = browser._websocket_send("Page.captureScreenshot", with_future=True)
                    future.add_done_callback(lambda done: _write_png(done, path))
            return handle_console(browser, type, args=args, **kw)

        with patch.object(ChromeBrowser, "_handle_console", console):
            yield


def _write_png(future, path):
    try:
        data = future.result(timeout=0)["data"]
    except Exception as error:  # noqa: BLE001  (a missing picture must not fail the tour)
        _logger.info("no screenshot for %s: %s", path, error)
        return
    path.write_bytes(base64.b64decode(data, validate=True))
    _logger.info("screenshot saved: %s", path)
