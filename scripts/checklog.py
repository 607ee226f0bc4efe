"""Read an Odoo log: offending records, test counts per addon and the final test report.

Any record at WARNING, ERROR or CRITICAL level is offending unless its first line matches a
pattern of ``.checklog-ignore``. Output before the first log record (what Odoo writes straight to
stderr) and a traceback printed in the middle of an INFO record are offending as well, so that a
crash outside logging cannot pass unnoticed.

Usage: python3 scripts/checklog.py LOGFILE...   (exit status 1 when a log has offending lines)
"""

import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
IGNORE_FILE = REPO / ".checklog-ignore"

# %(asctime)s %(pid)s %(levelname)s %(dbname)s %(name)s: %(message)s
RECORD = re.compile(
    r"^(?P<time>\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}) (?P<pid>\d+) (?P<level>[A-Z?]+) "
    r"(?P<db>\S+) (?P<logger>[^\s:]+): (?P<message>.*)$"
)
BAD_LEVELS = {"WARNING", "ERROR", "CRITICAL"}
STARTING = re.compile(r"^Starting (?P<test>\S+) \.\.\.")
ADDON_LOGGER = re.compile(r"^odoo\.addons\.(?P<addon>\w+)\.tests(\.|$)")
REPORT = re.compile(
    r"^(?P<failed>\d+) failed, (?P<errors>\d+) error\(s\) of (?P<run>\d+) tests "
    r"when loading database"
)
FAILURE = re.compile(r"^(?P<kind>FAIL|ERROR): (?P<test>.+)$")
SKIPPED = re.compile(r"^skipped ")


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
    offending: list = field(default_factory=list)
    tests_per_addon: Counter = field(default_factory=Counter)
    skipped: int = 0
    failures: list = field(default_factory=list)
    final: dict = field(default_factory=dict)
    modules_loaded: bool = False

    @property
    def ok(self):
        return not self.offending


def load_ignore_patterns(path=IGNORE_FILE):
    if not path.exists():
        return []
    patterns = []
    for raw in path.read_text().splitlines():
        line = raw.strip()
        if line and not line.startswith("#"):
            patterns.append(re.compile(line))
    return patterns


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


def check_log(path, addons=None, ignore=None):
    path = Path(path)
    ignore = load_ignore_patterns() if ignore is None else ignore
    stray, records = parse_records(path.read_text(errors="replace"))
    report = LogReport(path)
    for record in stray + records:
        if (
            record.level in BAD_LEVELS
            or record.level == "STDERR"
            or any(line.startswith("Traceback (most recent call last)") for line in record.lines)
        ):
            if not any(pattern.search(record.lines[0]) for pattern in ignore):
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
    out = [f"{report.path}: {len(report.offending)} offending log record(s)"]
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
