"""Every addon installs as a Python package, as integrators install OCA's: a wheel built by
whool from the addon's pyproject.toml, installed with pip into an environment that has Odoo.

The wheels are built from the repository (whool packages the files git tracks), installed into
a new virtual environment in a temporary folder that sees the Odoo of the interpreter running
these tests, and Odoo is then asked, in that environment and with an addons path that does not
include the repository, where each addon and each file its manifest loads are.

Building needs whool (requirements-test.txt), not Odoo; the checks in the environment are
skipped when Odoo does not import (``make test-core`` on a machine without it).
"""

import ast
import email.parser
import importlib.util
import json
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10: the backport whool itself reads pyproject.toml with
    import tomli as tomllib

REPO = Path(__file__).resolve().parent.parent
ADDONS = sorted(path.parent.name for path in REPO.glob("*/__manifest__.py"))

_spec = importlib.util.spec_from_file_location("devenv", REPO / "scripts" / "devenv.py")
devenv = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(devenv)

#: bytecode caches, which any import writes beside the sources: left out of every comparison
BYTECODE = re.compile(r"(^|/)__pycache__(/|$)|\.py[co]$")


def manifest(addon):
    return ast.literal_eval((REPO / addon / "__manifest__.py").read_text())


def distribution_name(addon):
    return f"odoo-addon-{addon}"


def run(cmd, **kwargs):
    """Run ``cmd``; on failure the assertion shows its output."""
    result = subprocess.run(cmd, capture_output=True, text=True, check=False, **kwargs)
    assert result.returncode == 0, (
        f"{' '.join(map(str, cmd))} exited {result.returncode}:\n{result.stdout}\n{result.stderr}"
    )
    return result


def tree(folder):
    """Every file and folder under ``folder`` (relative, POSIX), bytecode caches left out."""
    return {
        path.relative_to(folder).as_posix()
        for path in folder.rglob("*")
        if not BYTECODE.search(path.relative_to(folder).as_posix())
    }


def packaged_files(addon):
    """The files whool puts in the addon's wheel: those git tracks (every file when the
    repository is not a git checkout), without pyproject.toml, which stays out."""
    listing = subprocess.run(
        ["git", "ls-files", "-z", "--", "."],
        cwd=REPO / addon,
        capture_output=True,
        text=True,
        check=False,
    )
    if listing.returncode == 0 and listing.stdout:
        files = set(filter(None, listing.stdout.split("\0")))
    else:
        files = {name for name in tree(REPO / addon) if (REPO / addon / name).is_file()}
    return files - {"pyproject.toml"}


@pytest.mark.parametrize("addon", ADDONS)
def test_every_addon_declares_whool_as_its_build_backend(addon):
    """Protects `pip install ./<addon>` and `pip wheel ./<addon>`: without a pyproject.toml
    naming whool, pip cannot build the addon, and the integrator's install stops there."""
    path = REPO / addon / "pyproject.toml"
    assert path.is_file(), f"{addon}: no pyproject.toml (`python3 -m whool init` writes it)"
    build_system = tomllib.loads(path.read_text())["build-system"]
    assert build_system == {"requires": ["whool"], "build-backend": "whool.buildapi"}


def wheel_metadata(path):
    """The core metadata of a wheel (name, version, requirements), as pip reads it."""
    with zipfile.ZipFile(path) as archive:
        name = next(n for n in archive.namelist() if n.endswith(".dist-info/METADATA"))
        return email.parser.HeaderParser().parsestr(archive.read(name).decode())


@pytest.fixture(scope="module")
def wheels(tmp_path_factory):
    """The wheel of every addon, built with pip from the repository, with what the build left in
    the addon folders."""
    if importlib.util.find_spec("whool") is None:
        pytest.fail(f"whool is missing for {sys.executable}: pip install -r requirements-test.txt")
    dist = tmp_path_factory.mktemp("wheels")
    before = {addon: tree(REPO / addon) for addon in ADDONS}
    before_root = {path.name for path in REPO.iterdir()}
    run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",  # whool from this environment, no download
            "--no-index",
            "--wheel-dir",
            str(dist),
            *(str(REPO / addon) for addon in ADDONS),
        ],
        cwd=dist,
    )
    left = {addon: sorted(tree(REPO / addon) - before[addon]) for addon in ADDONS}
    return {
        "paths": {wheel_metadata(path)["Name"]: path for path in dist.glob("*.whl")},
        "left": {addon: names for addon, names in left.items() if names},
        "left_root": sorted({path.name for path in REPO.iterdir()} - before_root),
    }


def test_building_the_wheels_leaves_the_repository_as_it_was(wheels):
    """Protects the checkout: a build that wrote build/, dist/ or *.egg-info into an addon folder
    would ship them with the next wheel and show up in `git status`."""
    assert not wheels["left"], f"the build left files in the addon folders: {wheels['left']}"
    assert not wheels["left_root"], f"the build left {wheels['left_root']} in the repository"


def test_every_addon_has_its_wheel(wheels):
    """Protects the package names integrators install: odoo-addon-<addon>, as OCA's."""
    assert sorted(wheels["paths"]) == [distribution_name(addon) for addon in ADDONS]


@pytest.mark.parametrize("addon", ADDONS)
def test_a_wheel_requires_what_its_manifest_depends_on(wheels, addon):
    """Protects `pip install odoo-addon-<addon>`: it must bring the suite's addons the addon
    depends on and the Python libraries it imports (pyserial for the modem, phonenumbers for
    the core), and nothing for Odoo's own addons, which come with Odoo."""
    data = manifest(addon)
    metadata = wheel_metadata(wheels["paths"][distribution_name(addon)])
    series = devenv.ODOO_SERIES
    expected = {f"odoo=={series}.*"}
    expected |= {
        f"{distribution_name(depend)}=={series}.*" for depend in data["depends"] if depend in ADDONS
    }
    expected |= set(data.get("external_dependencies", {}).get("python", []))
    assert set(metadata.get_all("Requires-Dist")) == expected
    version = metadata["Version"]
    assert version == data["version"] or version.startswith(data["version"] + "."), (
        f"{addon}: wheel version {version} does not follow the manifest's {data['version']}"
    )
    assert metadata["License"] == data["license"]


def test_the_modem_and_the_core_bring_their_python_libraries(wheels):
    """Protects the two addons that import a library Odoo does not bring: installing the modem
    without pyserial, or the core without phonenumbers, gives an addon that cannot load."""
    modem = wheel_metadata(wheels["paths"]["odoo-addon-sms_notify_modem"])
    core = wheel_metadata(wheels["paths"]["odoo-addon-sms_notify"])
    assert "pyserial" in modem.get_all("Requires-Dist")
    assert "phonenumbers" in core.get_all("Requires-Dist")
    android = wheel_metadata(wheels["paths"]["odoo-addon-sms_notify_android"])
    assert "pyserial" not in android.get_all("Requires-Dist")


# --------------------------------------------------------------------------------------------
# installed into a new virtual environment that has Odoo
# --------------------------------------------------------------------------------------------

_SITE = "import sysconfig; print(sysconfig.get_path('purelib'))"

_PARENT_SITES = (
    "import json, site, sys\n"
    "print(json.dumps(site.getsitepackages() if sys.prefix != sys.base_prefix else []))"
)

# Runs in the new environment: what Odoo finds there, with the repository out of its path.
_PROBE = r"""
import importlib.metadata as metadata
import json
import sys

from packaging.requirements import Requirement
from packaging.version import Version

import odoo.release
from odoo.modules import module as odoo_module
from odoo.tools import config, file_path
from odoo.tools.translate import get_po_paths

conf, addons_path, addons = sys.argv[1], sys.argv[2], sys.argv[3:]
config.parse_config(["-c", conf, "--addons-path", addons_path])
from odoo.addons.base.models.ir_asset import IrAsset  # noqa: E402 (after the addons path)


def installed_version(name):
    try:
        return Version(metadata.version(name))
    except metadata.PackageNotFoundError:
        if name == "odoo":  # Odoo run from its source tree: not an installed distribution
            return Version(odoo.release.version)
        return None


def unmet(requirements):
    missing = []
    for text in requirements or []:
        requirement = Requirement(text)
        if requirement.marker and not requirement.marker.evaluate():
            continue
        version = installed_version(requirement.name)
        if version is None or not requirement.specifier.contains(version, prereleases=True):
            missing.append(f"{text} (found {version})")
    return missing


report = {
    "sys_path": sys.path,
    "addons_path": list(odoo.addons.__path__),
    "modules": sorted(odoo_module.get_modules()),
    "addons": {},
}
for addon in addons:
    odoo_module.load_openerp_module(addon)
    info = odoo_module.get_manifest(addon)
    files = {}
    for key in ("data", "demo"):
        for name in info[key]:
            try:
                files[name] = file_path(f"{addon}/{name}")
            except FileNotFoundError:
                files[name] = None
    # Odoo's own resolution of an asset glob, as a bundle's compilation does it (the method
    # reads the manifests, not the database)
    assets = {
        path_def: [full for _path, full, _mtime in IrAsset._get_paths(None, path_def, addons)]
        for bundle in info["assets"].values()
        for path_def in bundle
        if isinstance(path_def, str)
    }
    distribution = metadata.distribution(f"odoo-addon-{addon}")
    report["addons"][addon] = {
        "imported_from": sys.modules[f"odoo.addons.{addon}"].__file__,
        "module_path": odoo_module.get_module_path(addon),
        "files": files,
        "assets": assets,
        "translations": list(get_po_paths(addon, "ru_RU")) + list(get_po_paths(addon, "pl_PL")),
        "depends": {depend: odoo_module.get_module_path(depend) for depend in info["depends"]},
        "unmet": unmet(distribution.requires),
    }
print(json.dumps(report))
"""


@pytest.fixture(scope="module")
def environment(wheels, tmp_path_factory):
    """A new virtual environment with Odoo and every addon's wheel, and what Odoo finds there."""
    try:
        odoo = devenv.find_odoo("test-core")
    except devenv.SetupError as error:
        pytest.skip(f"the wheels are installed beside Odoo, which is not available: {error}")
    folder = tmp_path_factory.mktemp("environment")
    venv = folder / "venv"
    # --system-site-packages: the Odoo already installed for this interpreter, and its
    # libraries; pip comes from there too
    run([odoo.python, "-m", "venv", "--system-site-packages", "--without-pip", str(venv)])
    python = str(venv / ("Scripts" if os.name == "nt" else "bin") / "python")
    site_packages = Path(run([python, "-c", _SITE]).stdout.strip())
    # An interpreter that is itself a virtual environment keeps Odoo in its own site-packages,
    # which --system-site-packages does not reach: the new environment adds them after its own.
    parent_sites = json.loads(run([odoo.python, "-c", _PARENT_SITES], env=odoo.env).stdout)
    if parent_sites:
        (site_packages / "parent_environment.pth").write_text(
            "".join(f"import site; site.addsitedir({site!r})\n" for site in parent_sites)
        )
    run(
        [
            python,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-index",
            # the requirements (Odoo, phonenumbers, pyserial) are those of this interpreter,
            # where Odoo may be a source tree rather than an installed package: checked below
            "--no-deps",
            *map(str, wheels["paths"].values()),
        ],
        cwd=folder,
        env=odoo.env,
    )
    conf = devenv.write_odoo_config(folder)
    env = dict(odoo.env, ODOO_RC=str(conf))
    probe = run(
        [python, "-c", _PROBE, str(conf), ",".join(odoo.addons_dirs), *ADDONS],
        cwd=folder,  # not the repository, which would then be importable from the current folder
        env=env,
    )
    report = json.loads(probe.stdout.strip().splitlines()[-1])
    report["site_packages"] = site_packages
    report["addons_root"] = site_packages / "odoo" / "addons"
    return report


def is_under(path, folder):
    return path is not None and Path(path).resolve().is_relative_to(Path(folder).resolve())


def test_odoo_runs_without_the_repository_in_its_path(environment):
    """Protects every check below from passing on the repository's copy of the addons."""
    paths = environment["sys_path"] + environment["addons_path"]
    assert not [path for path in paths if path and Path(path).resolve() == REPO]
    assert [
        path for path in environment["addons_path"] if is_under(path, environment["addons_root"])
    ]


def test_odoo_finds_every_installed_addon(environment):
    """Protects an install without --addons-path: Odoo's module list and its module lookup find
    each addon in the environment's site-packages, through the odoo.addons namespace."""
    assert set(ADDONS) <= set(environment["modules"])
    misplaced = {
        addon: (found["module_path"], found["imported_from"])
        for addon, found in environment["addons"].items()
        if not is_under(found["module_path"], environment["addons_root"] / addon)
        or not is_under(found["imported_from"], environment["addons_root"] / addon)
    }
    assert not misplaced


@pytest.mark.parametrize("addon", ADDONS)
def test_an_installed_addon_holds_every_file_of_the_repository(environment, addon):
    """Protects the install from a wheel: a view, an access rule, a translation, a readme
    fragment or a migration missing from the package fails the install or loses a feature."""
    installed = environment["addons_root"] / addon
    files = {name for name in tree(installed) if (installed / name).is_file()}
    expected = packaged_files(addon)
    assert sorted(expected - files) == [], "missing from the installed addon"
    assert sorted(files - expected) == [], "installed but not part of the addon"
    differing = [
        name
        for name in expected
        if (installed / name).read_bytes() != (REPO / addon / name).read_bytes()
    ]
    assert not differing


@pytest.mark.parametrize("addon", ADDONS)
def test_odoo_loads_an_installed_addons_files_from_the_environment(environment, addon):
    """Protects installing the addon into a database: every data and demo file of the manifest,
    every asset bundle's files and the Russian and Polish translations resolve, for Odoo, to the
    installed package; each dependency is found (Odoo's own addons, or the suite's installed
    beside it)."""
    found = environment["addons"][addon]
    installed = environment["addons_root"] / addon
    assert found["files"], f"{addon}: the manifest loads no file"
    elsewhere = {
        name: path for name, path in found["files"].items() if not is_under(path, installed)
    }
    assert not elsewhere
    assert {path_def for path_def, paths in found["assets"].items() if not paths} == set()
    assert [
        path
        for paths in found["assets"].values()
        for path in paths
        if not is_under(path, installed)
    ] == []
    translated = [name for name in ("ru.po", "pl.po") if (REPO / addon / "i18n" / name).is_file()]
    assert sorted(Path(path).resolve() for path in found["translations"]) == sorted(
        (installed / "i18n" / name).resolve() for name in translated
    )
    assert {depend: path for depend, path in found["depends"].items() if not path} == {}
    for depend, path in found["depends"].items():
        if depend in ADDONS:
            assert is_under(path, environment["addons_root"] / depend)


@pytest.mark.parametrize("addon", ADDONS)
def test_an_installed_addons_requirements_are_met(environment, addon):
    """Protects `pip check` and a resolver installing the wheels: each requirement the wheel
    declares (Odoo 18.0, the suite's addons it depends on, its Python libraries) is satisfied in
    an environment that has Odoo 18.0 and requirements.txt."""
    assert environment["addons"][addon]["unmet"] == []
