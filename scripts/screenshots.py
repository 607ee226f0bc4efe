"""`make screenshots`: the pictures of the addons' readmes, taken by the browser tours.

Installs every addon with demo data in a new database and runs the tours tagged
``sms_notify_tour_ru`` (the interface in Russian) with ``SMS_NOTIFY_SCREENSHOTS`` set: each
screen a tour names is saved as ``<addon>/static/description/<picture>.png``
(see sms_notify/tests/tours.py). The database is dropped afterwards; commit the pictures.
"""

import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import checklog  # noqa: E402
import devenv  # noqa: E402
from devenv import LOG_DIR, REPO, SetupError  # noqa: E402
from run_tests import ODOO_TIMEOUT, OdooRun  # noqa: E402

TOUR_TAG = "sms_notify_tour_ru"


def pictures():
    """Each readme picture and when it was last written."""
    found = REPO.glob("sms_notify*/static/description/*.png")
    return {path: path.stat().st_mtime for path in found}


def main():
    LOG_DIR.mkdir(exist_ok=True)
    try:
        odoo = devenv.find_odoo("screenshots")
        pg = devenv.ensure_postgres()
    except SetupError as error:
        print(error)
        return 1
    addons = devenv.addons()
    workdir = tempfile.mkdtemp(prefix="sms_notify_screenshots_")
    log_path = LOG_DIR / "screenshots.log"
    before = pictures()
    try:
        ctx = OdooRun(odoo, pg, workdir)
        db = f"sms_notify_screenshots_{ctx.stamp}"
        env = {**odoo.env, "SMS_NOTIFY_SCREENSHOTS": "1"}
        print(f"Installing {len(addons)} addons and running the tours tagged {TOUR_TAG}...")
        command = ctx.server(
            db,
            "-i",
            ",".join([*addons, *devenv.DEMO_EXTRAS]),
            "--test-enable",
            f"--test-tags={TOUR_TAG}",
        )
        try:
            status = devenv.run_logged(command, log_path, timeout=ODOO_TIMEOUT, env=env)
        finally:
            pg.drop_database(db)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
        if pg.started_here:
            devenv.stop_local_cluster()
    report = checklog.check_log(log_path, addons)
    taken = sorted(path for path, mtime in pictures().items() if before.get(path) != mtime)
    for path in taken:
        print(f"    {path.relative_to(REPO)}")
    print(f"{len(taken)} pictures written, log in {log_path.relative_to(REPO)}")
    if status or not report.ok or report.failures:
        print("A tour failed: the pictures may be missing or outdated; see the log.")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
