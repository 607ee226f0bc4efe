"""`make test` and `make test-core`: lint, pure tests, the Odoo suite (all addons, then the core
alone, without billing or any other addon), install/uninstall checks.

Prints one summary at the end; its last line is always ``N passed, N failed`` (pure + Odoo
tests). The exit status is non-zero when anything failed or when a requested suite did not run.
"""

import argparse
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import checklog  # noqa: E402
import devenv  # noqa: E402
from devenv import LOG_DIR, REPO, SetupError, Timer  # noqa: E402

ODOO_TIMEOUT = int(os.environ.get("ODOO_TIMEOUT") or 1500)
TEST_HINT = "install the test tools: pip install -r requirements-test.txt"
#: the addon every other one builds on
CORE = "sms_notify"


@dataclass
class Step:
    name: str
    ok: bool = False
    ran: bool = False
    detail: str = "not run"
    seconds: float = 0.0
    passed: int = 0
    failed: int = 0
    problems: list = field(default_factory=list)
    install_ok: bool = False  # odoo step: all addons installed with demo data


def tail(path, count=30):
    lines = Path(path).read_text(errors="replace").splitlines()
    return "\n".join(lines[-count:])


def missing_module(log_path):
    match = re.search(r"No module named (\S+)", Path(log_path).read_text(errors="replace"))
    return match.group(1) if match else None


# --------------------------------------------------------------------------------------------
# lint
# --------------------------------------------------------------------------------------------


def po_files(addons):
    """The .po and .pot catalogues of ``addons``, relative to the repository."""
    return [
        str(path.relative_to(REPO))
        for addon in addons
        for path in sorted((REPO / addon / "i18n").glob("*.po*"))
    ]


def lint(python, addons):
    step = Step("lint", ran=True)
    checks = [
        ("ruff", [python, "-m", "ruff", "check", "."]),
        ("format", [python, "-m", "ruff", "format", "--check", "."]),
        ("pylint-odoo", [python, "-m", "pylint", "--rcfile=.pylintrc-mandatory", *addons]),
        # oca-odoo-pre-commit-hooks, settings in .oca_hooks.cfg; the same hooks as
        # .pre-commit-config.yaml
        ("oca-module", [python, "-m", "oca_pre_commit_hooks.cli", *addons]),
        ("oca-po", [python, "-m", "oca_pre_commit_hooks.cli_po", *po_files(addons)]),
    ]
    parts = []
    for label, cmd in checks:
        log_path = LOG_DIR / f"lint-{label}.log"
        status = devenv.run_logged(cmd, log_path)
        if status == 0:
            parts.append(f"{label} ok")
            continue
        module = missing_module(log_path)
        if module and status == 1 and Path(log_path).stat().st_size < 400:
            step.problems.append(f"{label}: {module} missing for {python}; {TEST_HINT}")
        else:
            step.problems.append(
                f"{label} (exit {status}), {log_path.relative_to(REPO)}:\n" + tail(log_path, 60)
            )
        parts.append(f"{label} FAILED")
    step.ok = not step.problems
    step.detail = ", ".join(parts) + f" ({len(addons)} addons)"
    return step


# --------------------------------------------------------------------------------------------
# pure tests
# --------------------------------------------------------------------------------------------


def pure(python):
    step = Step("pure", ran=True)
    junit = LOG_DIR / "pure-junit.xml"
    junit.unlink(missing_ok=True)
    log_path = LOG_DIR / "pure.log"
    status = devenv.run_logged(
        [python, "-m", "coverage", "run", "-m", "pytest", "tests", "-q", f"--junitxml={junit}"],
        log_path,
    )
    if not junit.exists():
        module = missing_module(log_path)
        step.failed = 1
        step.detail = "did not run"
        step.problems.append(
            f"pytest: {module} missing for {python}; {TEST_HINT}"
            if module
            else f"pytest did not run (exit {status}):\n{tail(log_path)}"
        )
        return step
    suites = ET.parse(junit).getroot()
    totals = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    for suite in suites.iter("testsuite"):
        for key in totals:
            totals[key] += int(suite.get(key, 0))
    step.failed = totals["failures"] + totals["errors"]
    step.passed = totals["tests"] - step.failed - totals["skipped"]
    cover = subprocess.run(
        [python, "-m", "coverage", "report"], cwd=REPO, capture_output=True, text=True, check=False
    )
    (LOG_DIR / "coverage.txt").write_text(cover.stdout + cover.stderr)
    total = re.search(r"^TOTAL\s.*?(\d+(?:\.\d+)?%)\s*$", cover.stdout, re.MULTILINE)
    coverage = f", coverage {total.group(1)} of */tools" if total else ""
    skipped = f", {totals['skipped']} skipped" if totals["skipped"] else ""
    step.detail = f"{step.passed} passed, {step.failed} failed{skipped}{coverage}"
    step.ok = status == 0 and step.failed == 0 and totals["tests"] > 0
    if not step.ok:
        step.problems.append(
            f"pytest (exit {status}), {log_path.relative_to(REPO)}:\n" + tail(log_path, 80)
        )
    return step


# --------------------------------------------------------------------------------------------
# Odoo
# --------------------------------------------------------------------------------------------


class OdooRun:
    """Everything an Odoo command of this run shares: interpreter, paths, database server."""

    def __init__(self, odoo, pg, workdir):
        self.odoo = odoo
        self.pg = pg
        self.workdir = Path(workdir)
        self.config = devenv.write_odoo_config(workdir)
        self.stamp = f"{time.strftime('%Y%m%d%H%M%S')}_{os.getpid()}"

    def args(self, db):
        return [
            f"--config={self.config}",
            f"--addons-path={self.odoo.addons_path}",
            f"--data-dir={self.workdir / 'data'}",
            f"--database={db}",
            f"--db-filter=^{db}$",
            *self.pg.odoo_args(),
            "--log-level=info",
        ]

    def server(self, db, *extra):
        return self.odoo.command(
            *self.args(db),
            f"--http-port={devenv.free_port()}",
            "--workers=0",
            "--max-cron-threads=0",
            "--stop-after-init",
            *extra,
        )

    def shell(self, db):
        return self.odoo.command("shell", *self.args(db), "--no-http")


def check_states(pg, db, addons, expected_state, expected_demo=None):
    try:
        states = pg.module_states(db, addons)
    except Exception as error:  # the database may not even exist when the install crashed
        return [f"cannot read module states of {db}: {str(error).strip()}"]
    problems = []
    for name in addons:
        state, demo = states.get(name, ("absent", None))
        if state != expected_state:
            problems.append(f"{name} is {state}, expected {expected_state}")
        elif expected_demo is not None and bool(demo) != expected_demo:
            problems.append(f"{name} demo data {'loaded' if demo else 'missing'}")
    return problems


def log_problems(report, status, label):
    problems = []
    if status != 0:
        problems.append(f"{label}: Odoo exited with status {status}")
    if not report.ok:
        problems.append(checklog.format_offending(report))
    return problems


def odoo_tests(ctx, addons, name="odoo", absent=(), extras=()):
    """Install ``addons`` (and Odoo's ``extras``, whose tests do not run) with demo data and
    run their tests; the addons of ``absent`` must stay uninstalled (nothing pulled them in)."""
    step = Step(name, ran=True)
    db = f"sms_notify_test_{name}_{ctx.stamp}"
    log_path = LOG_DIR / f"{name}-tests.log"
    tags = ",".join(f"/{name}" for name in addons)
    try:
        status = devenv.run_logged(
            ctx.server(
                db,
                "-i",
                ",".join([*addons, *extras]),
                "--test-enable",
                f"--test-tags={tags}",
            ),
            log_path,
            timeout=ODOO_TIMEOUT,
            env=ctx.odoo.env,
        )
        report = checklog.check_log(log_path, addons)
        install_problems = check_states(ctx.pg, db, addons, "installed", expected_demo=True)
        install_problems += check_states(ctx.pg, db, list(absent), "uninstalled")
    finally:
        ctx.pg.drop_database(db)
    if not report.modules_loaded:
        install_problems.append("Odoo never logged 'Modules loaded.': the install did not finish")
    step.install_ok = not install_problems
    step.problems += install_problems
    step.problems += log_problems(report, status, "tests")
    final = report.final
    counts = " · ".join(f"{name} {report.tests_per_addon.get(name, 0)}" for name in addons)
    if not final:
        step.problems.append("no final test report in the log: the Odoo suite did not complete")
        step.failed = max(1, len(report.failures))
        step.detail = f"{counts} — no test report"
        return step
    failed, errors, run_count = final["failed"], final["errors"], final["run"]
    step.failed = failed + errors
    step.passed = run_count - step.failed - report.skipped
    if run_count == 0:
        step.problems.append("0 Odoo tests ran: the suite did not run")
        step.failed = max(step.failed, 1)
    if report.failures:
        step.problems.append("failing tests:\n  " + "\n  ".join(report.failures))
    skipped = f", {report.skipped} skipped" if report.skipped else ""
    step.detail = f"{counts} — {run_count} tests, {failed} failed, {errors} errors{skipped}"
    step.ok = not step.problems
    return step


def install_cycle(ctx, addons, demo_install_ok):
    step = Step("install", ran=True)
    db = f"sms_notify_nodemo_{ctx.stamp}"
    # The install with demo data happens in the Odoo tests step, which lists its problems.
    parts = ["demo ok" if demo_install_ok else "demo FAILED"]
    try:
        log_path = LOG_DIR / "install-nodemo.log"
        status = devenv.run_logged(
            ctx.server(db, "-i", ",".join(addons), "--without-demo=all"),
            log_path,
            timeout=ODOO_TIMEOUT,
            env=ctx.odoo.env,
        )
        problems = log_problems(checklog.check_log(log_path, addons), status, "install no-demo")
        state_problems = check_states(ctx.pg, db, addons, "installed", expected_demo=False)
        problems += state_problems
        parts.append("no-demo FAILED" if problems else "no-demo ok")
        step.problems += problems
        # A warning during install still leaves installed addons worth uninstalling.
        if not state_problems:
            log_path = LOG_DIR / "uninstall.log"
            env = dict(ctx.odoo.env, SMS_NOTIFY_ADDONS=",".join(addons))
            status = devenv.run_logged(
                ctx.shell(db),
                log_path,
                timeout=ODOO_TIMEOUT,
                env=env,
                stdin_path=REPO / "scripts" / "uninstall_addons.py",
            )
            problems = log_problems(checklog.check_log(log_path, addons), status, "uninstall")
            problems += check_states(ctx.pg, db, addons, "uninstalled")
            if problems:
                problems.append(tail(log_path, 15))
            parts.append("uninstall FAILED" if problems else "uninstall ok")
            step.problems += problems
        else:
            parts.append("uninstall not run")
    finally:
        ctx.pg.drop_database(db)
    step.ok = demo_install_ok and not step.problems
    step.detail = " · ".join(parts)
    return step


# --------------------------------------------------------------------------------------------
# main
# --------------------------------------------------------------------------------------------


def print_problems(step):
    if step.problems:
        print(f"\n---- {step.name}: problems ----")
        for problem in step.problems:
            print(problem)


def timed(title, function, *args, **kwargs):
    devenv.step_banner(title)
    timer = Timer()
    step = function(*args, **kwargs)
    step.seconds = timer.elapsed
    print(
        f"    {step.name}: {'ok' if step.ok else 'FAILED'} — {step.detail}  [{timer}]", flush=True
    )
    print_problems(step)
    return step


def _terminate(signum, frame):
    raise KeyboardInterrupt(f"signal {signum}")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--core", action="store_true", help="lint and pure tests only")
    args = parser.parse_args(argv)
    signal.signal(signal.SIGTERM, _terminate)
    LOG_DIR.mkdir(exist_ok=True)
    total = Timer()
    python = devenv.python_cmd()
    addons = devenv.addons()
    target = "test-core" if args.core else "test"
    print(f"sms_notify {target}: {len(addons)} addons ({', '.join(addons)}), python {python}")

    odoo = pg = None
    setup_error = None
    if not args.core:
        devenv.step_banner("find Odoo and PostgreSQL")
        try:
            odoo = devenv.find_odoo(target)
            print(f"    Odoo {odoo.version} at {odoo.package}, python {odoo.python}")
            # the interpreter that runs Odoo runs the checks too: when Odoo was brought into
            # the project-local environment, the test tools were installed there with it
            python = odoo.python
            pg = devenv.ensure_postgres()
            print(f"    PostgreSQL at {pg.describe()}")
        except SetupError as error:
            setup_error = str(error)
            print(f"\n{setup_error}\n", flush=True)

    steps = [timed("lint", lint, python, addons), timed("pure tests", pure, python)]
    if not args.core:
        if setup_error:
            # Counted as one failure so that the last line never reads as a clean run.
            steps.append(Step("odoo", failed=1, detail=f"NOT RUN — {setup_error}"))
            steps.append(Step("install", detail="NOT RUN — needs Odoo and PostgreSQL (see above)"))
        else:
            workdir = tempfile.mkdtemp(prefix="sms_notify_run_")
            try:
                ctx = OdooRun(odoo, pg, workdir)
                tests = timed(
                    "Odoo tests (all addons, with demo data)",
                    odoo_tests,
                    ctx,
                    addons,
                    extras=devenv.DEMO_EXTRAS,
                )
                steps.append(tests)
                # billing and every other addon are optional: the core alone must install and
                # pass its own tests without them
                steps.append(
                    timed(
                        "Odoo tests of the core alone (no billing, no other addon)",
                        odoo_tests,
                        ctx,
                        [CORE],
                        "core",
                        [name for name in addons if name != CORE],
                    )
                )
                steps.append(
                    timed(
                        "install without demo data, then uninstall",
                        install_cycle,
                        ctx,
                        addons,
                        tests.install_ok,
                    )
                )
            finally:
                shutil.rmtree(workdir, ignore_errors=True)
                if pg.started_here:
                    devenv.stop_local_cluster()

    print("\n" + "=" * 78)
    for step in steps:
        mark = "" if step.ok else "  <-- FAILED" if step.ran else "  <-- NOT RUN"
        print(f"{step.name:<12} {step.detail}  [{int(step.seconds)}s]{mark}")
    print(f"{'elapsed':<12} {total}, logs in {LOG_DIR.relative_to(REPO)}/")
    passed = sum(step.passed for step in steps)
    failed = sum(step.failed for step in steps)
    print(f"{passed} passed, {failed} failed", flush=True)
    return 0 if all(step.ok for step in steps) else 1


if __name__ == "__main__":
    sys.exit(main())
