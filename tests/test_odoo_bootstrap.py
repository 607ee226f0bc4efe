"""scripts/odoo_bootstrap.py, which brings Odoo 18.0 to a machine without it, and the offer
scripts/devenv.py makes when no Odoo is found.

The archive bootstrapped from is built from the Odoo source this machine imports: its
``odoo-bin`` and ``odoo/`` package, without the addons (a gigabyte that neither importing Odoo
nor ``--version`` needs), and a requirements.txt of its own (the local copy has none).
"""

import io
import subprocess
import sys
import tarfile
import time
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "scripts"))

import devenv  # noqa: E402
import odoo_bootstrap  # noqa: E402
from odoo_bootstrap import BootstrapError, Layout  # noqa: E402

RELEASE_PY = (
    "FINAL = 'final'\n"
    "version_info = ({major}, {minor}, 0, FINAL, 0, '')\n"
    "version = serie = '{major}.{minor}'\n"
)


#: what importing Odoo needs, as this machine has it: ``name==version`` of the distribution of
#: every top-level module ``import odoo`` loads (pip and setuptools are the environment's own)
_IMPORTED_DISTRIBUTIONS = """
import importlib.metadata as metadata, sys
import odoo.cli
owners = metadata.packages_distributions()
names = {name for module in list(sys.modules) for name in owners.get(module.split(".")[0], ())}
for name in sorted(names - {"pip", "setuptools"}):
    print(f"{name}=={metadata.version(name)}")
"""


def local_odoo_source():
    """The folder holding the ``odoo`` package this machine's python imports, or None."""
    probe = subprocess.run(
        [sys.executable, "-c", "import odoo, os; print(os.path.dirname(odoo.__path__[0]))"],
        capture_output=True,
        text=True,
        check=False,
    )
    folder = Path(probe.stdout.strip()) if probe.returncode == 0 else None
    return folder if folder and (folder / "odoo" / "release.py").is_file() else None


def imported_distributions():
    return subprocess.run(
        [sys.executable, "-c", _IMPORTED_DISTRIBUTIONS],
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def _skip_addons(info):
    """The Odoo package without its addons and caches: what importing it needs."""
    parts = Path(info.name).parts
    if "__pycache__" in parts:
        return None
    if parts[1:3] == ("odoo", "addons") and parts[3:] not in ((), ("__init__.py",)):
        return None
    return info


def add_text(tar, name, text):
    data = text.encode()
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mode = 0o644
    tar.addfile(info, io.BytesIO(data))


def fake_tree(folder, major=18, minor=0):
    """A folder that looks like an Odoo source tree of series ``major.minor``."""
    (folder / "odoo").mkdir(parents=True)
    (folder / "odoo" / "__init__.py").write_text("")
    (folder / "odoo" / "release.py").write_text(RELEASE_PY.format(major=major, minor=minor))
    (folder / "odoo-bin").write_text("#!/usr/bin/env python3\n")
    (folder / "requirements.txt").write_text("")
    return folder


def fake_archive(path, tree):
    with tarfile.open(path, "w:gz") as tar:
        tar.add(tree, arcname="odoo-18.0")
    return path


# --------------------------------------------------------------------------------------------
# the whole bootstrap, from a file:// address
# --------------------------------------------------------------------------------------------


@pytest.mark.slow
def test_bootstrap_from_a_file_url_installs_an_importable_odoo_18(tmp_path):
    source = local_odoo_source()
    if source is None:
        pytest.skip("no Odoo source on this machine to build the archive from")
    archive = tmp_path / "odoo_18.0.tar.gz"
    with tarfile.open(archive, "w:gz", compresslevel=1) as tar:
        tar.add(source / "odoo-bin", arcname="odoo-18.0/odoo-bin")
        tar.add(source / "odoo", arcname="odoo-18.0/odoo", filter=_skip_addons)
        add_text(tar, "odoo-18.0/requirements.txt", imported_distributions())
    layout = Layout(tmp_path / "home")
    out = io.StringIO()

    started = time.monotonic()
    python = odoo_bootstrap.bootstrap(
        archive.as_uri(),
        layout,
        python=sys.executable,
        sha256=odoo_bootstrap.sha256_of(archive),
        # A full install of Odoo's requirements takes minutes; seeing the packages of this
        # interpreter, the same versions, keeps the test to seconds, while `odoo` must still
        # come from the fetched source, which is asserted below.
        system_site_packages=True,
        out=out,
    )
    seconds = time.monotonic() - started

    assert python == layout.python
    assert (layout.odoo_dir / "downloads" / "odoo_18.0.tar.gz").is_file()
    imported = subprocess.run(
        [python, "-c", "import odoo.release as r; print(r.serie); print(r.__file__)"],
        capture_output=True,
        text=True,
        check=True,
        cwd=tmp_path,
    ).stdout.split()
    assert imported == ["18.0", str(layout.source / "odoo" / "release.py")], out.getvalue()
    version = subprocess.run(
        [python, layout.source / "odoo-bin", "--version"],
        capture_output=True,
        text=True,
        check=True,
        cwd=tmp_path,
    )
    assert version.stdout.startswith("Odoo Server 18.0"), version.stdout + version.stderr
    assert seconds < 300, f"the bootstrap took {seconds:.0f} s"


@pytest.fixture(scope="module")
def folder_environment(tmp_path_factory):
    """An environment bootstrapped from a plain folder (a virtual environment is made once:
    it takes seconds)."""
    tmp_path = tmp_path_factory.mktemp("folder")
    tree = fake_tree(tmp_path / "odoo-src")
    layout = Layout(tmp_path / "home")
    odoo_bootstrap.bootstrap(
        str(tree), layout, python=sys.executable, requirements=(), out=io.StringIO()
    )
    return tree, layout


def test_a_folder_is_used_where_it_is(folder_environment):
    tree, layout = folder_environment
    imported = subprocess.run(
        [layout.python, "-c", "import odoo.release as r; print(r.__file__)"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert imported.stdout.strip() == str(tree / "odoo" / "release.py")
    assert not layout.source.exists()


# --------------------------------------------------------------------------------------------
# what is refused
# --------------------------------------------------------------------------------------------


def test_another_series_is_refused(tmp_path):
    archive = fake_archive(tmp_path / "odoo.tar.gz", fake_tree(tmp_path / "tree", 17, 0))
    layout = Layout(tmp_path / "home")
    with pytest.raises(BootstrapError, match=r"holds Odoo 17\.0, but this suite needs Odoo 18\.0"):
        odoo_bootstrap.fetch_source(str(archive), layout, out=io.StringIO())
    assert not layout.source.exists()


def test_a_saas_series_is_refused(tmp_path):
    tree = fake_tree(tmp_path / "tree")
    (tree / "odoo" / "release.py").write_text("version_info = ('saas~18', 1, 0, 'final', 0, '')\n")
    with pytest.raises(BootstrapError, match=r"holds Odoo saas~18\.1"):
        odoo_bootstrap.check_tree(tree, "tree")


def test_a_tree_without_odoo_bin_is_refused(tmp_path):
    tree = fake_tree(tmp_path / "tree")
    (tree / "odoo-bin").unlink()
    with pytest.raises(BootstrapError, match="not an Odoo 18.0 source tree: odoo-bin missing"):
        odoo_bootstrap.fetch_source(str(tree), Layout(tmp_path / "home"), out=io.StringIO())


def test_a_bad_checksum_is_refused_before_unpacking(tmp_path):
    archive = fake_archive(tmp_path / "odoo.tar.gz", fake_tree(tmp_path / "tree"))
    layout = Layout(tmp_path / "home")
    with pytest.raises(BootstrapError, match="does not match ODOO_ARCHIVE_SHA256"):
        odoo_bootstrap.fetch_source(archive.as_uri(), layout, sha256="0" * 64, out=io.StringIO())
    assert not layout.source.exists()


def test_a_good_checksum_is_accepted(tmp_path):
    archive = fake_archive(tmp_path / "odoo.tar.gz", fake_tree(tmp_path / "tree"))
    layout = Layout(tmp_path / "home")
    digest = odoo_bootstrap.sha256_of(archive).upper()
    odoo_bootstrap.fetch_source(str(archive), layout, sha256=digest, out=io.StringIO())
    assert odoo_bootstrap.odoo_series(layout.source / "odoo" / "release.py") == "18.0"


@pytest.mark.parametrize(
    ("name", "link"),
    [
        ("odoo-18.0/../../escaped.txt", None),
        ("/tmp/escaped.txt", None),
        ("odoo-18.0/odoo/link", "../../../outside"),
        ("odoo-18.0/odoo/link", "/etc/passwd"),
    ],
)
def test_a_tar_member_leaving_the_target_folder_is_refused(tmp_path, name, link):
    archive = fake_archive(tmp_path / "odoo.tar.gz", fake_tree(tmp_path / "tree"))
    with tarfile.open(archive) as original:
        members = [(info, original.extractfile(info)) for info in original.getmembers()]
        bad = tmp_path / "bad.tar.gz"
        with tarfile.open(bad, "w:gz") as tar:
            for info, data in members:
                tar.addfile(info, data)
            if link is None:
                add_text(tar, name, "escaped")
            else:
                info = tarfile.TarInfo(name)
                info.type = tarfile.SYMTYPE
                info.linkname = link
                tar.addfile(info)
    layout = Layout(tmp_path / "home")
    with pytest.raises(BootstrapError, match="is refused: its member"):
        odoo_bootstrap.fetch_source(str(bad), layout, out=io.StringIO())
    assert not layout.source.exists()
    assert not (tmp_path / "escaped.txt").exists()


def test_a_zip_member_leaving_the_target_folder_is_refused(tmp_path):
    bad = tmp_path / "bad.zip"
    with zipfile.ZipFile(bad, "w") as zipped:
        zipped.writestr("odoo-18.0/odoo/release.py", RELEASE_PY.format(major=18, minor=0))
        zipped.writestr("../escaped.txt", "escaped")
    with pytest.raises(BootstrapError, match=r"its member '\.\./escaped\.txt'"):
        odoo_bootstrap.fetch_source(str(bad), Layout(tmp_path / "home"), out=io.StringIO())


def test_a_zip_archive_works(tmp_path):
    archive = tmp_path / "odoo.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("odoo-18.0/odoo/release.py", RELEASE_PY.format(major=18, minor=0))
        zipped.writestr("odoo-18.0/odoo-bin", "")
        zipped.writestr("odoo-18.0/requirements.txt", "")
    layout = Layout(tmp_path / "home")
    assert odoo_bootstrap.fetch_source(str(archive), layout, out=io.StringIO()) == layout.source
    assert (layout.source / "odoo-bin").is_file()


def test_a_failed_download_names_the_address_and_what_to_do(tmp_path):
    url = (tmp_path / "absent.tar.gz").as_uri()
    with pytest.raises(BootstrapError) as raised:
        odoo_bootstrap.fetch_source(url, Layout(tmp_path / "home"), out=io.StringIO())
    assert f"Download of {url} failed" in str(raised.value)
    assert "ODOO_ARCHIVE=/path/to/odoo-18.0.tar.gz" in str(raised.value)
    assert not list((tmp_path / "home" / ".odoo" / "downloads").iterdir())


def test_a_failed_pip_gives_the_command_to_rerun(folder_environment, tmp_path):
    _tree, layout = folder_environment
    tree = fake_tree(tmp_path / "odoo-src")
    (tree / "requirements.txt").write_text("--no-such-pip-option\n")
    with pytest.raises(BootstrapError) as raised:
        odoo_bootstrap.bootstrap(
            str(tree), layout, python=sys.executable, requirements=(), out=io.StringIO()
        )
    message = str(raised.value)
    assert message.startswith("pip failed (exit")
    assert (
        f"\n  {layout.python} -m pip install --disable-pip-version-check "
        f"-r {tree / 'requirements.txt'}\n"
    ) in message


# --------------------------------------------------------------------------------------------
# the offer
# --------------------------------------------------------------------------------------------


def test_the_offer_asks_in_a_terminal_and_yes_is_the_default(tmp_path):
    layout = Layout(tmp_path)
    asked = []

    def answer(reply):
        def ask(question):
            asked.append(question)
            return reply

        return ask

    source = odoo_bootstrap.DEFAULT_SOURCE
    assert odoo_bootstrap.accepted(source, layout, {}, interactive=True, ask=answer(""))
    assert odoo_bootstrap.accepted(source, layout, {}, interactive=True, ask=answer("Y"))
    assert not odoo_bootstrap.accepted(source, layout, {}, interactive=True, ask=answer("n"))
    assert asked[0] == (
        f"Odoo 18.0 was not found. Download it from {source} and install it into "
        f"{tmp_path / '.venv'}? [Y/n] "
    )
    odoo_bootstrap.accepted("/srv/odoo-18.0", layout, {}, interactive=True, ask=answer(""))
    assert asked[-1] == (
        f"Odoo 18.0 was not found. Install it from /srv/odoo-18.0 into {tmp_path / '.venv'}? [Y/n] "
    )


def test_the_offer_never_downloads_silently(tmp_path):
    def ask(question):
        raise AssertionError("asked without a terminal")

    layout = Layout(tmp_path)
    source = odoo_bootstrap.DEFAULT_SOURCE
    assert not odoo_bootstrap.accepted(source, layout, {}, interactive=False, ask=ask)
    assert odoo_bootstrap.accepted(source, layout, {"ODOO_BOOTSTRAP": "yes"}, False, ask)
    assert not odoo_bootstrap.accepted(source, layout, {"ODOO_BOOTSTRAP": "no"}, True, ask)


def test_without_odoo_and_without_a_terminal_make_says_how_to_accept(tmp_path, monkeypatch):
    python = python_without_odoo(tmp_path)
    monkeypatch.setenv("PYTHON", str(python))
    monkeypatch.setenv("ODOO_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("ODOO_ARCHIVE", "https://example.invalid/odoo.tar.gz")
    for name in ("ODOO_SRC", "ODOO_BOOTSTRAP"):
        monkeypatch.delenv(name, raising=False)

    with pytest.raises(devenv.SetupError) as raised:
        devenv.find_odoo("demo", interactive=False)

    assert str(raised.value) == (
        f"Odoo 18.0 not found: install it so that `{python} -c 'import odoo'` works, or run "
        "`make demo ODOO_SRC=/path/to/odoo-18.0` where that folder holds odoo-bin and "
        "odoo/release.py.\n"
        "To download Odoo 18.0 from https://example.invalid/odoo.tar.gz and install it with "
        f"its requirements into {tmp_path / 'home' / '.venv'}, run `make demo "
        "ODOO_BOOTSTRAP=yes` (or `make odoo` first); ODOO_ARCHIVE=... takes another address, "
        "archive or folder."
    )
    assert not (tmp_path / "home").exists()


def python_without_odoo(folder):
    """An interpreter that cannot import odoo: this one without its site-packages."""
    python = folder / "python-without-odoo"
    python.write_text(f'#!/bin/sh\nexec {sys.executable} -S "$@"\n')
    python.chmod(0o755)
    return python


def test_the_project_local_environment_is_found_after_the_interpreter(
    folder_environment, tmp_path, monkeypatch
):
    tree, layout = folder_environment
    monkeypatch.setenv("PYTHON", str(python_without_odoo(tmp_path)))
    monkeypatch.setenv("ODOO_HOME", str(layout.home))
    monkeypatch.delenv("ODOO_SRC", raising=False)

    odoo = devenv.find_odoo("test", interactive=False)

    assert odoo.python == str(layout.python)
    assert odoo.package == str(tree / "odoo")


def test_an_accepted_offer_brings_odoo_then_uses_it(folder_environment, tmp_path, monkeypatch):
    tree, made = folder_environment
    brought = []

    def bootstrap(source, layout, python, sha256):
        brought.append((source, layout, python, sha256))
        layout.home.mkdir()
        layout.venv.symlink_to(made.venv)  # what the fixture's bootstrap made

    python = python_without_odoo(tmp_path)
    monkeypatch.setattr(odoo_bootstrap, "bootstrap", bootstrap)
    monkeypatch.setenv("PYTHON", str(python))
    monkeypatch.setenv("ODOO_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("ODOO_ARCHIVE", "file:///srv/odoo.tar.gz")
    monkeypatch.setenv("ODOO_ARCHIVE_SHA256", "ab" * 32)
    monkeypatch.setenv("ODOO_BOOTSTRAP", "yes")
    monkeypatch.delenv("ODOO_SRC", raising=False)

    odoo = devenv.find_odoo("test", interactive=False)

    assert brought == [
        ("file:///srv/odoo.tar.gz", Layout(tmp_path / "home"), str(python), "ab" * 32)
    ]
    assert odoo.python == str(tmp_path / "home" / ".venv" / "bin" / "python")
    assert odoo.package == str(tree / "odoo")


def test_gitignore_keeps_the_bootstrapped_odoo_out():
    ignored = (REPO / ".gitignore").read_text().split()
    assert ".venv/" in ignored
    assert ".odoo/" in ignored


def test_the_variables_are_documented_and_passed_on_by_the_makefile():
    makefile = (REPO / "Makefile").read_text().splitlines()
    exported = " ".join(line for line in makefile if line.startswith("export ")).split()
    for name in ("ODOO_ARCHIVE", "ODOO_ARCHIVE_SHA256", "ODOO_HOME", "ODOO_BOOTSTRAP"):
        assert any(line.startswith(f"#   {name} ") for line in makefile), name
        assert name in exported, name
