"""Read an Odoo log: offending records, test counts per addon and the final test report.

checklog-odoo (OCA's log checker, pinned in requirements-test.txt) fails a log on any record
above INFO whose text matches none of the ``ignore`` expressions of ``checklog-odoo.cfg``, and
on a log without any record. This module adds what checklog-odoo does not look at, with the same
ignore list: output before the first log record (what Odoo writes straight to stderr) and a
traceback printed inside an INFO record, so that a crash outside logging cannot pass unnoticed;
and it reads the test counts per addon, the failing tests and the final test report for the
summary of ``make test``.

Usage: python3 scripts/checklog.py LOGFILE...   (exit status 1 when a log has offending lines)
"""

import configparser
import re
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CONFIG_FILE = REPO / "checklog-odoo.cfg"
CONFIG_SECTION = "checklog-odoo"

# %(asctime)s %(pid)s %(levelname)s %(dbname)s %(name)s: %(message)s
RECORD = re.compile(
    r"^(?P<time>\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}) (?P<pid>\d+) (?P<level>[A-Z?]+) "
    r"(?P<db>\S+) (?P<logger>[^\s:]+): (?P<message>.*)$"
)
STARTING = re.compile(r"^Starting (?P<test>\S+) \.\.\.")
ADDON_LOGGER = re.compile(r"^odoo\.addons\.(?P<addon>\w+)\.tests(\.|$)")
REPORT = re.compile(
    r"^(?P<failed>\d+) failed, (?P<errors>\d+) error\(s\) of (?P<run>\d+) tests "
    r"when loading database"
)
FAILURE = re.compile(r"^(?P<kind>FAIL|ERROR): (?P<test>.+)$")
SKIPPED = re.compile(r"^skipped ")
TOOL_OUTPUT_LINES = 400


@dataclass
class Record:
    line_no: int
    level: str
    logger: str
    message: str
    lines: list = field(default_factory=list)

    @property
    def text(self):
        return "\n".join(self.lines)


@dataclass
class LogReport:
    path: Path
    # checklog-odoo's verdict and listing
    checklog_failed: bool = False
    checklog_output: str = ""
    # what checklog-odoo does not look at: stray output, tracebacks inside INFO records
    offending: list = field(default_factory=list)
    tests_per_addon: Counter = field(default_factory=Counter)
    skipped: int = 0
    failures: list = field(default_factory=list)
    final: dict = field(default_factory=dict)
    modules_loaded: bool = False

    @property
    def ok(self):
        return not self.checklog_failed and not self.offending


def load_ignore_patterns(config=CONFIG_FILE):
    """The ``ignore`` expressions of checklog-odoo's configuration, as checklog-odoo reads them."""
    parser = configparser.RawConfigParser()
    parser.read(config)
    if not parser.has_option(CONFIG_SECTION, "ignore"):
        return []
    lines = parser.get(CONFIG_SECTION, "ignore").splitlines()
    return [re.compile(line.strip(), re.MULTILINE) for line in lines if line.strip()]


def run_checklog_odoo(path, config=CONFIG_FILE):
    """Exit status and output of checklog-odoo on the log ``path``."""
    result = subprocess.run(
        [sys.executable, "-m", "checklog_odoo", "--no-echo", f"--config={config}", str(path)],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    return result.returncode, (result.stdout + result.stderr).strip()


def parse_records(text):
    """Split a log into records; lines that follow a record header belong to it."""
    stray = []
    records = []
    for line_no, line in enumerate(text.splitlines(), start=1):
        match = RECORD.match(line)
        if match:
            records.append(
                Record(line_no, match["level"], match["logger"], match["message"].rstrip(), [line])
            )
        elif records:
            records[-1].lines.append(line)
        elif line.strip():
            stray.append(Record(line_no, "STDERR", "-", line, [line]))
    return stray, records


def check_log(path, addons=None, config=CONFIG_FILE):
    path = Path(path)
    status, output = run_checklog_odoo(path, config)
    report = LogReport(path, checklog_failed=status != 0, checklog_output=output)
    ignore = load_ignore_patterns(config)
    stray, records = parse_records(path.read_text(errors="replace"))
    for record in stray + records:
        # Records above INFO are checklog-odoo's.
        if record.level == "STDERR" or (
            record.level in ("INFO", "DEBUG")
            and any(line.startswith("Traceback (most recent call last)") for line in record.lines)
        ):
            if not any(pattern.search(record.text) for pattern in ignore):
                report.offending.append(record)
        addon_match = ADDON_LOGGER.match(record.logger)
        if addon_match and (addons is None or addon_match["addon"] in addons):
            if STARTING.match(record.message):
                report.tests_per_addon[addon_match["addon"]] += 1
            elif SKIPPED.match(record.message):
                report.skipped += 1
        if record.level == "ERROR":
            failure = FAILURE.match(record.message)
            if failure:
                report.failures.append(f"{record.logger}: {record.message}")
        if record.logger == "odoo.tests.result":
            final = REPORT.match(record.message)
            if final:
                report.final = {key: int(value) for key, value in final.groupdict().items()}
        if record.logger == "odoo.modules.loading" and record.message == "Modules loaded.":
            report.modules_loaded = True
    return report


def format_offending(report, limit=40, lines_per_record=25):
    out = [f"{report.path}:"]
    if report.checklog_failed:
        lines = report.checklog_output.splitlines()
        out.append(f"  checklog-odoo ({CONFIG_FILE.name}):")
        out.extend("    " + line for line in lines[:TOOL_OUTPUT_LINES])
        if len(lines) > TOOL_OUTPUT_LINES:
            out.append(f"    ... ({len(lines) - TOOL_OUTPUT_LINES} more lines)")
    if report.offending:
        out.append(
            f"  {len(report.offending)} line(s) outside log records or traceback(s) in INFO records"
        )
    for record in report.offending[:limit]:
        lines = record.lines[:lines_per_record]
        out.append(f"  line {record.line_no}: " + lines[0])
        out.extend("      " + line for line in lines[1:])
        if len(record.lines) > lines_per_record:
            out.append(f"      ... ({len(record.lines) - lines_per_record} more lines)")
    if len(report.offending) > limit:
        out.append(f"  ... and {len(report.offending) - limit} more")
    return "\n".join(out)


def main(argv):
    if not argv:
        sys.exit(__doc__)
    status = 0
    for name in argv:
        report = check_log(name)
        if report.ok:
            print(f"{name}: ok")
        else:
            print(format_offending(report))
            status = 1
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
