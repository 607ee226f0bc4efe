"""Repository-wide rules every addon follows, checked without Odoo.

Each test names in its docstring what breaks when the rule is broken.
"""

import ast
import configparser
import csv
import importlib
import importlib.metadata
import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
ADDONS = sorted(path.parent.name for path in REPO.glob("*/__manifest__.py"))

# Third-party modules Odoo 18.0 itself imports when it starts (`import odoo, odoo.http`):
# Odoo cannot run without them, so an addon importing them needs no external_dependencies entry.
ODOO_RUNTIME_MODULES = {
    "PIL",
    "PyPDF2",
    "babel",
    "certifi",
    "chardet",
    "dateutil",
    "decorator",
    "idna",
    "jinja2",
    "lxml",
    "lxml_html_clean",
    "markupsafe",
    "num2words",
    "passlib",
    "polib",
    "psutil",
    "psycopg2",
    "pytz",
    "reportlab",
    "requests",
    "stdnum",
    "urllib3",
    "werkzeug",
    "xlsxwriter",
    "xlwt",
    "zeep",
}
# Import name -> PyPI name, for when the distribution is not installed where the tests run.
KNOWN_DISTRIBUTIONS = {"serial": "pyserial", "websocket": "websocket-client", "yaml": "PyYAML"}

README_FRAGMENTS = ("DESCRIPTION.md", "USAGE.md", "CONFIGURE.md")
MODEL_FOLDERS = ("models", "wizard", "wizards")


def manifest(addon):
    return ast.literal_eval((REPO / addon / "__manifest__.py").read_text())


def python_files(addon, skip_tests=True):
    for path in sorted((REPO / addon).rglob("*.py")):
        if skip_tests and "tests" in path.relative_to(REPO / addon).parts:
            continue
        yield path


def imported_top_levels(path):
    tree = ast.parse(path.read_text(), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name.split(".")[0], node.lineno
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module.split(".")[0], node.lineno


def distribution_of(module):
    names = importlib.metadata.packages_distributions().get(module)
    if names:
        return names[0]
    return KNOWN_DISTRIBUTIONS.get(module, module)


def test_addons_are_found():
    """Protects every other check here: with no addon discovered they would all pass vacuously."""
    assert "sms_notify" in ADDONS, ADDONS


@pytest.mark.parametrize("addon", ADDONS)
def test_manifest_declares_version_license_and_ownership(addon):
    """Protects Odoo's upgrade logic (5-part 18.0.x.y.z versions, compared per part, drive
    migrations) and the published identity of each addon (license, author, website,
    maintainers, depends)."""
    data = manifest(addon)
    assert re.fullmatch(r"18\.0\.\d+\.\d+\.\d+", data.get("version", "")), data.get("version")
    for key in ("license", "author", "website"):
        assert isinstance(data.get(key), str) and data[key].strip(), f"{addon}: {key} missing"
    maintainers = data.get("maintainers")
    assert maintainers and all(isinstance(name, str) and name for name in maintainers), (
        f"{addon}: maintainers must be a non-empty list of strings"
    )
    assert isinstance(data.get("depends"), list) and data["depends"], f"{addon}: depends"


@pytest.mark.parametrize("addon", ADDONS)
def test_bridges_to_an_odoo_app_install_with_it(addon):
    """Protects the suite's rules inside Odoo's apps: a bridge that depends only on the core and
    on Odoo apps must install by itself when the app is there, or the app keeps sending as if
    the suite were not installed (e.g. SMS Marketing sending promotions without the consent
    the campaign addon checks)."""
    depends = set(manifest(addon)["depends"])
    if addon == "sms_notify" or "sms_notify" not in depends:
        return
    extra = depends - {"sms_notify"} - set(manifest("sms_notify")["depends"])
    if not extra or extra & set(ADDONS):
        return  # an addon of the suite's own (a gateway) or one built on another bridge
    assert manifest(addon).get("auto_install") is True, (
        f"{addon} bridges sms_notify and {', '.join(sorted(extra))}: set auto_install to True"
    )


@pytest.mark.parametrize("addon", ADDONS)
def test_third_party_imports_are_declared(addon):
    """Protects installation on a fresh server: Odoo refuses to install an addon whose
    external_dependencies are missing, instead of crashing later at import time."""
    declared = {
        re.split(r"[<>=!~\[; ]", name, maxsplit=1)[0].lower().replace("_", "-")
        for name in manifest(addon).get("external_dependencies", {}).get("python", [])
    }
    skip = set(sys.stdlib_module_names) | ODOO_RUNTIME_MODULES | {"odoo", "__future__"}
    skip |= set(ADDONS)
    undeclared = []
    for path in python_files(addon):
        for module, line in imported_top_levels(path):
            if module in skip:
                continue
            distribution = distribution_of(module).lower().replace("_", "-")
            if distribution not in declared:
                undeclared.append(
                    f"{path.relative_to(REPO)}:{line} imports {module} ({distribution})"
                )
    assert not undeclared, "add to external_dependencies['python']:\n" + "\n".join(undeclared)


@pytest.mark.parametrize("addon", ADDONS)
def test_manifest_files_exist(addon):
    """Protects installation: a data or demo file listed in the manifest but absent aborts the
    install of the addon."""
    data = manifest(addon)
    missing = [
        f"{key}: {name}"
        for key in ("data", "demo")
        for name in data.get(key, [])
        if not (REPO / addon / name).is_file()
    ]
    assert not missing, f"{addon}: listed but missing: {missing}"


@pytest.mark.parametrize("addon", ADDONS)
def test_readme_fragments_and_icon_exist(addon):
    """Protects the documentation users and the Apps screen see: readme/DESCRIPTION.md,
    USAGE.md, CONFIGURE.md and static/description/icon.png."""
    expected = [f"readme/{name}" for name in README_FRAGMENTS]
    expected.append("static/description/icon.png")
    missing = [name for name in expected if not (REPO / addon / name).is_file()]
    assert not missing, f"{addon}: missing {missing}"


def tools_modules(addon):
    tools = REPO / addon / "tools"
    return sorted(path.stem for path in tools.glob("*.py") if path.stem != "__init__")


_IMPORT_WITHOUT_ODOO = """
import importlib, pathlib, sys, types
addon, path, modules = sys.argv[1], sys.argv[2], sys.argv[3:]
# an empty odoo package: a tool importing anything of Odoo's fails here; every addon's __init__
# (models, hence Odoo) must not run either; an addon's tools may build on the core's tools,
# which are plain Python too
for name in ("odoo", "odoo.addons"):
    package = types.ModuleType(name)
    package.__path__ = []
    sys.modules[name] = package
for manifest in pathlib.Path(path).parent.glob("*/__manifest__.py"):
    name = "odoo.addons." + manifest.parent.name
    package = types.ModuleType(name)
    package.__path__ = [str(manifest.parent)]
    sys.modules[name] = package
importlib.import_module("odoo.addons." + addon + ".tools")
for module in modules:
    importlib.import_module("odoo.addons." + addon + ".tools." + module)
"""


@pytest.mark.parametrize("addon", [a for a in ADDONS if (REPO / a / "tools").is_dir()])
def test_tools_import_without_odoo(addon):
    """Protects the pure seam: tools/ holds plain Python that the top-level tests (and any
    other program) import without Odoo; an odoo or models import there breaks that."""
    modules = tools_modules(addon)
    odoo_imports = [
        f"{path.relative_to(REPO)}:{line}"
        for path in sorted((REPO / addon / "tools").rglob("*.py"))
        for module, line in imported_top_levels(path)
        if module == "odoo"
    ]
    assert not odoo_imports, f"odoo imported in tools/: {odoo_imports}"
    result = subprocess.run(
        [sys.executable, "-c", _IMPORT_WITHOUT_ODOO, addon, str(REPO / addon), *modules],
        capture_output=True,
        text=True,
        check=False,
        cwd=REPO,
    )
    assert result.returncode == 0, result.stderr
    # Imported here as well so that coverage lists a tools module no test exercises yet.
    for module in modules:
        importlib.import_module(f"odoo.addons.{addon}.tools.{module}")


def declared_models(addon):
    """(model name, file:line) of every class that creates a model (not an extension)."""
    for folder in MODEL_FOLDERS:
        for path in sorted((REPO / addon / folder).glob("*.py")):
            tree = ast.parse(path.read_text(), filename=str(path))
            for node in ast.walk(tree):
                if not isinstance(node, ast.ClassDef):
                    continue
                bases = {getattr(base, "attr", getattr(base, "id", None)) for base in node.bases}
                if "AbstractModel" in bases:
                    continue
                attrs = {}
                for stmt in node.body:
                    if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1:
                        target = stmt.targets[0]
                        if isinstance(target, ast.Name):
                            try:
                                attrs[target.id] = ast.literal_eval(stmt.value)
                            except ValueError:
                                pass
                name = attrs.get("_name")
                if not isinstance(name, str) or attrs.get("_abstract"):
                    continue
                inherit = attrs.get("_inherit") or []
                inherit = [inherit] if isinstance(inherit, str) else inherit
                if name in inherit:
                    continue
                yield name, f"{path.relative_to(REPO)}:{node.lineno}"


def access_models(addon):
    csv_path = REPO / addon / "security" / "ir.model.access.csv"
    if not csv_path.is_file():
        return set()
    with csv_path.open(newline="") as handle:
        return {
            row["model_id:id"].split(".")[-1]
            for row in csv.DictReader(handle)
            if row.get("model_id:id")
        }


@pytest.mark.parametrize("addon", ADDONS)
def test_every_model_has_access_rules(addon):
    """Protects usability and security: a model without an ir.model.access row is unreachable
    for every user but the superuser (and Odoo warns at install)."""
    granted = access_models(addon)
    missing = [
        f"{name} ({where})"
        for name, where in declared_models(addon)
        if "model_" + name.replace(".", "_") not in granted
    ]
    assert not missing, f"{addon}: no row in security/ir.model.access.csv for {missing}"


def test_pylintrc_enables_only_existing_messages():
    """Protects the lint gate: pylint ignores an unknown message name in `enable`, so a
    misspelt or removed check would silently stop being enforced."""
    config = configparser.ConfigParser()
    config.read(REPO / ".pylintrc-mandatory")
    enabled = {
        name.strip() for name in config["MESSAGES CONTROL"]["enable"].split(",") if name.strip()
    }
    listing = subprocess.run(
        [sys.executable, "-m", "pylint", "--load-plugins=pylint_odoo", "--list-msgs"],
        capture_output=True,
        text=True,
        check=True,
        cwd=REPO,
    ).stdout
    known = set(re.findall(r"^:([a-z0-9-]+) \(", listing, re.MULTILINE))
    assert known, "pylint --list-msgs printed no message"
    assert not enabled - known, f"unknown pylint messages: {sorted(enabled - known)}"


@pytest.mark.parametrize("addon", ADDONS)
def test_python_strings_can_be_exported_for_translation(addon):
    """Odoo exports an addon's translatable strings with Babel's Python extractor, which
    evaluates each argument of ``_()``; a file it cannot read (an f-string passed to ``_()``)
    is skipped whole, and none of its messages can be translated."""
    extract = pytest.importorskip("babel.messages.extract")
    for path in sorted((REPO / addon).rglob("*.py")):
        with path.open("rb") as source:
            try:
                list(extract.extract("python", source, keywords={"_": None}))
            except Exception as error:  # noqa: BLE001 - any failure skips the file's strings
                pytest.fail(f"{path.relative_to(REPO)}: {error!r}")


@pytest.mark.parametrize(
    "po_path", sorted(REPO.glob("*/i18n/*.po")), ids=lambda path: str(path.relative_to(REPO))
)
def test_every_translation_names_its_module(po_path):
    """Odoo loads a .po file entry by entry and stops at the first one without its
    ``#. module:`` line (and the whole language of the addon with it): entries appended by
    hand, or joined by a merge, must each keep theirs."""
    addon = po_path.parent.parent.name
    named, entries, unnamed = False, 0, []
    for number, line in enumerate(po_path.read_text(encoding="utf-8").splitlines(), 1):
        if line == f"#. module: {addon}":
            named = True
        elif line.startswith("msgid "):
            entries += 1
            # the file's header is the one entry that belongs to no module
            if not named and entries > 1:
                unnamed.append(number)
            named = False
    assert entries > 1, f"{po_path} has no translation"
    assert not unnamed, f"msgids without '#. module: {addon}' before them, lines {unnamed}"


@pytest.mark.parametrize(
    "po_path", sorted(REPO.glob("*/i18n/*.po")), ids=lambda path: str(path.relative_to(REPO))
)
def test_every_python_message_is_marked_as_one(po_path):
    """Odoo loads the translation of a message of Python code only when its entry says
    ``#. odoo-python``; without it the message stays in English, silently."""
    unmarked = []
    for entry in po_path.read_text(encoding="utf-8").split("\n\n"):
        comments = [line for line in entry.splitlines() if line.startswith("#")]
        if any(line.startswith("#: code:") and ".py:" in line for line in comments) and (
            "#. odoo-python" not in comments
        ):
            unmarked.append(next(line for line in entry.splitlines() if line.startswith("msgid")))
    assert not unmarked, f"Python messages without '#. odoo-python': {unmarked}"


def suite_dependencies(addon):
    """``addon`` and every addon of the suite it depends on, directly or not."""
    found, todo = set(), [addon]
    while todo:
        name = todo.pop()
        if name in found or name not in ADDONS:
            continue
        found.add(name)
        todo.extend(manifest(name)["depends"])
    return found


@pytest.mark.parametrize("addon", ["sms_notify_android"])
def test_a_phone_needs_no_serial_port_library(addon):
    """Protects a shop with only an Android phone from installing pyserial: the phone gateway
    and what it builds on neither declare nor import it (only the GSM modem does)."""
    assert addon in ADDONS, f"{addon} is not an addon of the repository"
    for name in sorted(suite_dependencies(addon)):
        declared = manifest(name).get("external_dependencies", {}).get("python", [])
        assert "pyserial" not in declared, f"{name} declares pyserial"
        importing = [
            f"{path.relative_to(REPO)}:{line}"
            for path in python_files(name, skip_tests=False)
            for module, line in imported_top_levels(path)
            if module == "serial"
        ]
        assert not importing, f"{name} imports serial: {importing}"
