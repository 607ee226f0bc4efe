"""`make pot`: write every addon's translation template ``<addon>/i18n/<addon>.pot``.

Odoo's own exporter writes them (``trans_export``, what ``odoo-bin --i18n-export`` calls), from a
database where the addons are installed from this checkout: by default a new database, with
the addons installed without demo data (demo records are not translated for users), dropped
afterwards; ``--db NAME`` exports from an existing database instead, after updating the addons
in it. An addon that has nothing to translate gets no template.

Usage: python3 scripts/export_pot.py [--db NAME] [ADDON...]
"""

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import checklog  # noqa: E402
import devenv  # noqa: E402
from devenv import LOG_DIR, REPO, SetupError  # noqa: E402
from run_tests import ODOO_TIMEOUT, OdooRun, check_states  # noqa: E402

# Fed on stdin to `odoo shell`, which provides `env`.
EXPORT = """
import io, os
from pathlib import Path
from odoo.tools.translate import trans_export

for addon in os.environ["SMS_NOTIFY_ADDONS"].split(","):
    buffer = io.BytesIO()
    trans_export(False, [addon], buffer, "po", env.cr)
    content = buffer.getvalue()
    target = Path(os.environ["SMS_NOTIFY_REPO"], addon, "i18n", addon + ".pot")
    if content.count(b"\\nmsgid ") == 0:
        print("nothing to translate:", addon)
        continue
    target.parent.mkdir(exist_ok=True)
    target.write_bytes(content)
    print("written:", target)
"""


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", help="existing database holding the addons (updated first)")
    parser.add_argument("addons", nargs="*", help="addons to export (default: all)")
    args = parser.parse_args(argv)
    addons = args.addons or devenv.addons()
    LOG_DIR.mkdir(exist_ok=True)
    try:
        odoo = devenv.find_odoo("pot")
        pg = devenv.ensure_postgres()
    except SetupError as error:
        sys.exit(str(error))
    workdir = tempfile.mkdtemp(prefix="sms_notify_pot_")
    ctx = OdooRun(odoo, pg, workdir)
    db = args.db or f"sms_notify_pot_{ctx.stamp}"
    try:
        # Every addon of the suite is installed, so that the terms an addon adds to another's
        # views and fields are there to export.
        if args.db:
            load = ["-u", ",".join(devenv.addons())]
        else:
            load = ["-i", ",".join(devenv.addons()), "--without-demo=all"]
        log_path = LOG_DIR / "pot-install.log"
        print(f"installing the addons in {db} (log {log_path.relative_to(REPO)})", flush=True)
        status = devenv.run_logged(
            ctx.server(db, *load), log_path, timeout=ODOO_TIMEOUT, env=odoo.env
        )
        problems = check_states(pg, db, devenv.addons(), "installed")
        report = checklog.check_log(log_path)
        if not report.ok:
            # The templates are still right; the warnings are for `make test` to fail on.
            print(checklog.format_offending(report, limit=10, lines_per_record=5))
        if status or problems:
            sys.exit(f"the install failed (exit {status}): {problems}; see {log_path}")
        script = Path(workdir) / "export.py"
        script.write_text(EXPORT)
        log_path = LOG_DIR / "pot-export.log"
        env = dict(odoo.env or os.environ, SMS_NOTIFY_ADDONS=",".join(addons))
        env["SMS_NOTIFY_REPO"] = str(REPO)
        status = devenv.run_logged(
            ctx.shell(db), log_path, timeout=ODOO_TIMEOUT, env=env, stdin_path=script
        )
        written = [
            line
            for line in log_path.read_text().splitlines()
            if line.startswith(("written:", "nothing"))
        ]
        print("\n".join(written))
        if status or len(written) != len(addons):
            sys.exit(f"the export failed (exit {status}); see {log_path}")
    finally:
        if not args.db:
            pg.drop_database(db)
        shutil.rmtree(workdir, ignore_errors=True)
        if pg.started_here:
            devenv.stop_local_cluster()
    return 0


if __name__ == "__main__":
    sys.exit(main())
