"""The benchmarks' measuring child: each benchmark measures in a process of Odoo's own
interpreter, started with ``--measure`` and its arguments, which prints its figures as JSON on
its last line."""

import json
import subprocess
import sys


def measure_in_child(python, script, args, env=None, what="the measure"):
    """Run ``script --measure *args`` with ``python`` and return the JSON of its last line;
    stop the benchmark with the child's last error lines when it failed."""
    measured = subprocess.run(
        [python, script, "--measure", *args], capture_output=True, text=True, env=env
    )
    if measured.returncode:
        print(measured.stderr[-3000:], file=sys.stderr)
        raise SystemExit(f"{what} failed")
    return json.loads(measured.stdout.strip().splitlines()[-1])
