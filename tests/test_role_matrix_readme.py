"""The readme's role matrix says what the Odoo test walking it over RPC checks."""

import importlib.util
import re
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
README = REPO / "sms_notify" / "readme" / "CONFIGURE.md"


def load_matrix():
    path = REPO / "sms_notify_sale" / "tests" / "role_matrix.py"
    spec = importlib.util.spec_from_file_location("role_matrix", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def readme_rows():
    """``{label: [yes/no per role]}`` of the readme's table."""
    rows = {}
    for line in README.read_text().splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) > 2 and all(cell in ("yes", "no") for cell in cells[1:]):
            rows[cells[0]] = [cell == "yes" for cell in cells[1:]]
    return rows


def test_readme_role_matrix_is_the_tested_one():
    matrix = load_matrix()
    roles = [role for role, _label in matrix.ROLES]
    expected = {
        label: [matrix.MATRIX[action][role] for role in roles] for action, label in matrix.ACTIONS
    }
    assert readme_rows() == expected


def test_readme_names_every_role_of_the_matrix():
    matrix = load_matrix()
    text = README.read_text()
    for _role, label in matrix.ROLES:
        assert re.search(rf"\*[a-z0-9]+\*: {re.escape(label)}$", text, re.MULTILINE), label
