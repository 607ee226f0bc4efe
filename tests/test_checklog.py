"""scripts/checklog.py, the log check of every Odoo run of `make test`, over checklog-odoo.

A log that fails here fails `make test`: scripts/run_tests.py reports each Odoo run whose
``check_log(...).ok`` is false.
"""

import importlib.util
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("checklog", REPO / "scripts" / "checklog.py")
checklog = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(checklog)

ROOT_LINE = "Running as user 'root' is a security risk.\n"
START = (
    "2026-12-02 17:44:17,110 19793 INFO ? odoo: Odoo version 18.0-20250702 \n"
    "2026-12-02 17:44:18,201 19793 INFO db odoo.modules.loading: loading 1 modules...\n"
)
TESTS = (
    "2026-12-02 17:44:19,001 19793 INFO db odoo.addons.sms_notify.tests.test_a: "
    "Starting TestA.test_one ...\n"
    "2026-12-02 17:44:19,002 19793 INFO db odoo.addons.sms_notify.tests.test_a: "
    "Starting TestA.test_two ...\n"
    "2026-12-02 17:44:20,000 19793 INFO db odoo.modules.loading: Modules loaded.\n"
    "2026-12-02 17:44:21,000 19793 INFO db odoo.tests.result: "
    "0 failed, 0 error(s) of 2 tests when loading database 'db'\n"
)
WARNING = "2026-12-02 17:44:19,500 19793 WARNING db odoo.fields: Field sms.x.y: unknown parameter\n"


def check(tmp_path, text):
    log = tmp_path / "odoo.log"
    log.write_text(text)
    return checklog.check_log(log, ["sms_notify"])


def test_clean_log_with_only_the_ignored_line_passes(tmp_path):
    report = check(tmp_path, ROOT_LINE + START + TESTS)
    assert report.ok, checklog.format_offending(report)
    assert report.tests_per_addon["sms_notify"] == 2
    assert report.final == {"failed": 0, "errors": 0, "run": 2}
    assert report.modules_loaded


@pytest.mark.parametrize(
    "level", ["WARNING", "ERROR", "CRITICAL"], ids=["warning", "error", "critical"]
)
def test_a_record_above_info_fails(tmp_path, level):
    report = check(tmp_path, ROOT_LINE + START + WARNING.replace("WARNING", level) + TESTS)
    assert not report.ok
    assert report.checklog_failed  # checklog-odoo's verdict, not ours
    assert "unknown parameter" in checklog.format_offending(report)


def test_output_outside_records_fails(tmp_path):
    report = check(tmp_path, "ImportError: no module named foo\n" + START + TESTS)
    assert not report.ok
    assert "ImportError" in checklog.format_offending(report)


def test_a_traceback_inside_an_info_record_fails(tmp_path):
    traceback = 'Traceback (most recent call last):\n  File "x.py", line 1\nKeyError: 1\n'
    report = check(tmp_path, START + traceback + TESTS)
    assert not report.ok
    assert "KeyError" in checklog.format_offending(report)


def test_a_log_without_records_fails(tmp_path):
    assert not check(tmp_path, ROOT_LINE).ok


def test_failures_are_listed(tmp_path):
    failure = (
        "2026-12-02 17:44:19,600 19793 ERROR db odoo.addons.sms_notify.tests.test_a: "
        "FAIL: TestA.test_two\n"
    )
    report = check(tmp_path, START + failure + TESTS)
    assert not report.ok
    assert report.failures == ["odoo.addons.sms_notify.tests.test_a: FAIL: TestA.test_two"]
