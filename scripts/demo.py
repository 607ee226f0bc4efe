"""`make demo`: a running Odoo with every addon of the suite and demo data.

Finds Odoo 18.0 (offering to bring it into a project-local virtual environment when there is
none), installs the pinned requirements when one is missing, makes sure PostgreSQL answers
(starting the project-local cluster if needed), creates or updates the database, sets the admin
password and serves Odoo in the foreground (Ctrl-C stops it).
"""

import os
import re
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import checklog  # noqa: E402
import devenv  # noqa: E402
from devenv import LOG_DIR, REPO, SetupError  # noqa: E402

REQUIREMENTS = ["requirements.txt", "requirements-test.txt"]

_SET_ADMIN = """
admin = env.ref("base.user_admin")
admin.write({"login": "admin", "password": "admin", "active": True})
env.cr.commit()
print("admin password set")
"""


def required_distributions():
    names = []
    for filename in REQUIREMENTS:
        for raw in (REPO / filename).read_text().splitlines():
            line = raw.split("#", 1)[0].strip()
            if line and not line.startswith("-"):
                names.append(re.split(r"[<>=!~\[; ]", line, maxsplit=1)[0])
    return names


def ensure_requirements(python):
    names = required_distributions()
    probe = (
        "import importlib.metadata as m, sys\n"
        "missing = []\n"
        "for name in sys.argv[1:]:\n"
        "    try:\n"
        "        m.distribution(name)\n"
        "    except m.PackageNotFoundError:\n"
        "        missing.append(name)\n"
        "print(' '.join(missing))\n"
    )
    result = subprocess.run(
        [python, "-c", probe, *names], capture_output=True, text=True, check=True
    )
    missing = result.stdout.split()
    if not missing:
        print(f"    requirements present ({len(names)} packages)")
        return
    print(f"    missing: {', '.join(missing)}; installing the pinned requirements")
    args = [arg for filename in REQUIREMENTS for arg in ("-r", str(REPO / filename))]
    subprocess.run([python, "-m", "pip", "install", *args], check=True)


def run_logged(cmd, log_path, env, stdin=None):
    stdin_path = None
    if stdin is not None:
        stdin_path = Path(log_path).with_suffix(".stdin")
        stdin_path.write_text(stdin)
    status = devenv.run_logged(cmd, log_path, env=env, stdin_path=stdin_path)
    report = checklog.check_log(log_path)
    if status != 0:
        print(f"\nOdoo failed (exit {status}); see {log_path}:")
        print("\n".join(Path(log_path).read_text(errors="replace").splitlines()[-40:]))
        sys.exit(1)
    if not report.ok:
        # A warning does not stop a demo, but it should not go unseen either.
        print(checklog.format_offending(report, limit=10, lines_per_record=5))


def main():
    db = os.environ.get("DB") or "sms_notify_demo"
    port = os.environ.get("PORT") or "8069"
    addons = devenv.addons()
    LOG_DIR.mkdir(exist_ok=True)
    try:
        devenv.step_banner("Odoo")
        odoo = devenv.find_odoo("demo")
        print(f"    Odoo {odoo.version} at {odoo.package}, python {odoo.python}")
        # the interpreter that runs Odoo: the project-local one when Odoo was brought there
        devenv.step_banner("requirements")
        ensure_requirements(odoo.python)
        devenv.step_banner("PostgreSQL")
        pg = devenv.ensure_postgres()
        print(f"    PostgreSQL at {pg.describe()}")
    except SetupError as error:
        sys.exit(f"\n{error}")
    except subprocess.CalledProcessError as error:
        sys.exit(f"\n{error}")

    config = devenv.write_odoo_config(LOG_DIR)
    common = [
        f"--config={config}",
        f"--addons-path={odoo.addons_path}",
        f"--database={db}",
        f"--db-filter=^{db}$",
        *pg.odoo_args(),
        "--log-level=info",
    ]

    devenv.step_banner(f"database {db}")
    installed = []
    # Odoo's demo payment provider comes along, for paying top-ups online
    addons = [*addons, *devenv.DEMO_EXTRAS]
    if pg.database_exists(db):
        try:
            states = pg.module_states(db, addons)
        except Exception as error:  # not an Odoo database: refuse to touch it
            sys.exit(
                f"Database {db} exists but is not an Odoo database ({error}); "
                "choose another name with DB=..."
            )
        installed = [name for name in addons if states.get(name, ("",))[0] == "installed"]
    to_install = [name for name in addons if name not in installed]
    action = []
    if to_install:
        action += ["-i", ",".join(to_install)]
    if installed:
        action += ["-u", ",".join(installed)]
    print(
        f"    installing: {', '.join(to_install) or '-'}; updating: {', '.join(installed) or '-'}"
        f" (log: {LOG_DIR.name}/demo-install.log; the first install takes a few minutes)",
        flush=True,
    )
    run_logged(
        odoo.command(*common, *action, "--stop-after-init", "--no-http"),
        LOG_DIR / "demo-install.log",
        odoo.env,
    )
    run_logged(
        odoo.command("shell", *common, "--no-http"),
        LOG_DIR / "demo-admin.log",
        odoo.env,
        stdin=_SET_ADMIN,
    )

    devenv.step_banner("serving")
    print(f"    Open http://localhost:{port} and log in as admin / admin (database {db}).")
    print("    Ctrl-C stops the server.", flush=True)
    if pg.port == devenv.LOCAL_PG_PORT:
        print("    The project-local PostgreSQL keeps running; `make db-stop` stops it.")
    os.chdir(REPO)
    cmd = odoo.command(*common, f"--http-port={port}")
    os.execvpe(cmd[0], cmd, odoo.env)


if __name__ == "__main__":
    main()
