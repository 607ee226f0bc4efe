"""Bring Odoo 18.0 to a machine that has none (`make odoo`, or the offer of `make demo` and
`make test`).

Fetches Odoo's source (an address, a local archive or a folder), checks it is an Odoo 18.0
tree, and installs it with its requirements and the suite's into a project-local virtual
environment: ``<home>/.odoo/odoo-18.0/`` for the source, ``<home>/.venv/`` for the
environment, ``<home>`` being the repository unless ODOO_HOME says otherwise. ``odoo`` is
made importable there by a ``.pth`` file naming the source folder, which needs no build step
and works offline. scripts/devenv.py finds that environment on later runs.

Standard library only: it runs before anything is installed.
"""

import argparse
import ast
import hashlib
import os
import shlex
import shutil
import subprocess
import sys
import tarfile
import tempfile
import urllib.error
import urllib.parse
import urllib.request
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

REPO = Path(__file__).resolve().parent.parent
ODOO_SERIES = "18.0"
#: GitHub's archive of the 18.0 branch of Odoo's official repository. It is the source tree
#: the suite documents for ODOO_SRC (odoo-bin, odoo/, addons/, requirements.txt), always the
#: branch's latest commit. Odoo's nightly archive is a Python sdist in the packaged layout
#: instead, without odoo-bin.
DEFAULT_SOURCE = "https://github.com/odoo/odoo/archive/refs/heads/18.0.tar.gz"
#: the suite's own requirements, installed after Odoo's (see install_requirements)
PROJECT_REQUIREMENTS = (REPO / "requirements.txt", REPO / "requirements-test.txt")
TREE_FILES = ("odoo-bin", "odoo/release.py", "requirements.txt")
URL_SCHEMES = ("http", "https", "ftp", "file")
MIN_PYTHON = (3, 10)
YES = ("y", "yes", "1", "true")
NO = ("n", "no", "0", "false")


class BootstrapError(Exception):
    """Odoo could not be brought; the message says what failed and what to do."""


@dataclass(frozen=True)
class Layout:
    """Where the bootstrap installs: the virtual environment and Odoo's source beside it."""

    home: Path

    @classmethod
    def from_environ(cls, environ=None):
        environ = os.environ if environ is None else environ
        return cls(Path(environ.get("ODOO_HOME") or REPO).expanduser().resolve())

    @property
    def venv(self):
        return self.home / ".venv"

    @property
    def odoo_dir(self):
        return self.home / ".odoo"

    @property
    def source(self):
        return self.odoo_dir / f"odoo-{ODOO_SERIES}"

    @property
    def python(self):
        if os.name == "nt":
            return self.venv / "Scripts" / "python.exe"
        return self.venv / "bin" / "python"


def source_from_environ(environ=None):
    environ = os.environ if environ is None else environ
    return environ.get("ODOO_ARCHIVE") or DEFAULT_SOURCE


def is_url(source):
    return urllib.parse.urlsplit(str(source)).scheme in URL_SCHEMES


# --------------------------------------------------------------------------------------------
# the offer
# --------------------------------------------------------------------------------------------


def question(source, layout):
    if is_url(source):
        action = f"Download it from {source} and install it"
    else:
        action = f"Install it from {source}"
    return f"Odoo {ODOO_SERIES} was not found. {action} into {layout.venv}? [Y/n] "


def how_to_accept(source, layout, target):
    if is_url(source):
        action = f"download Odoo {ODOO_SERIES} from {source} and install it"
    else:
        action = f"install Odoo {ODOO_SERIES} from {source}"
    return (
        f"To {action} with its requirements into {layout.venv}, run `make {target} "
        "ODOO_BOOTSTRAP=yes` (or `make odoo` first); ODOO_ARCHIVE=... takes another address, "
        "archive or folder."
    )


def accepted(source, layout, environ=None, interactive=None, ask=input):
    """Whether to bring Odoo: ODOO_BOOTSTRAP=yes|no decides, else the user is asked when
    stdin is a terminal. Never yes without one of them: a download is not done silently."""
    environ = os.environ if environ is None else environ
    setting = (environ.get("ODOO_BOOTSTRAP") or "").strip().lower()
    if setting in YES:
        return True
    if setting in NO:
        return False
    if setting:
        raise BootstrapError(f"ODOO_BOOTSTRAP={setting} is neither yes nor no.")
    if interactive is None:
        interactive = sys.stdin.isatty()
    if not interactive:
        return False
    try:
        answer = ask(question(source, layout))
    except EOFError:
        return False
    return answer.strip().lower() in ("", *YES)


# --------------------------------------------------------------------------------------------
# fetching and checking the source
# --------------------------------------------------------------------------------------------


class Progress:
    """Bytes received, on one updated line in a terminal, else a line every tenth."""

    def __init__(self, total, out):
        self.total = total
        self.out = out
        self.done = 0
        self.shown = -1
        self.live = out.isatty()

    def update(self, count):
        self.done += count
        step = self.done * 10 // self.total if self.total else self.done // (50 << 20)
        if self.live or step != self.shown:
            self.shown = step
            end = "\r" if self.live else "\n"
            print(f"    {self.describe()}", end=end, file=self.out, flush=True)

    def describe(self):
        done = f"{self.done / 1e6:.1f} MB"
        if not self.total:
            return done
        return f"{done} of {self.total / 1e6:.1f} MB ({self.done * 100 // self.total} %)"

    def finish(self):
        if self.live:
            print(f"    {self.describe()}", file=self.out, flush=True)


def download(url, folder, out=sys.stdout):
    """``url`` saved into ``folder``; the file is complete or absent."""
    name = PurePosixPath(urllib.parse.urlsplit(url).path).name or "odoo-archive"
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / name
    partial = folder / f"{name}.part"
    print(f"    downloading {url}", file=out, flush=True)
    try:
        with urllib.request.urlopen(url, timeout=60) as response, open(partial, "wb") as file:
            progress = Progress(int(response.headers.get("Content-Length") or 0), out)
            while chunk := response.read(1 << 20):
                file.write(chunk)
                progress.update(len(chunk))
            progress.finish()
    except (urllib.error.URLError, OSError, ValueError) as error:
        partial.unlink(missing_ok=True)
        reason = getattr(error, "reason", None) or error
        raise BootstrapError(
            f"Download of {url} failed: {reason}. Check the address and the network, or "
            "download the archive by other means and pass its path: "
            "ODOO_ARCHIVE=/path/to/odoo-18.0.tar.gz (a .zip or an unpacked folder works too)."
        ) from error
    partial.replace(target)
    return target


def sha256_of(path):
    digest = hashlib.sha256()
    with open(path, "rb") as file:
        while chunk := file.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def verify_checksum(path, expected):
    actual = sha256_of(path)
    if actual != expected.strip().lower():
        raise BootstrapError(
            f"{path} does not match ODOO_ARCHIVE_SHA256: its SHA-256 is {actual}, "
            f"{expected.strip()} was expected. Delete it and download it again, or correct "
            "ODOO_ARCHIVE_SHA256."
        )


def _escapes(name):
    """True when archive member ``name`` would land outside the folder it is extracted into."""
    path = PurePosixPath(name.replace("\\", "/"))
    return path.is_absolute() or ".." in path.parts or ":" in (path.parts or ("",))[0]


def _refuse_member(archive, name, why):
    raise BootstrapError(
        f"{archive} is refused: its member {name!r} {why}. Use Odoo's official archive."
    )


def check_tar_members(archive, tar):
    for member in tar.getmembers():
        if _escapes(member.name):
            _refuse_member(archive, member.name, "would be written outside the target folder")
        if member.issym():
            target = PurePosixPath(member.name).parent / member.linkname
            if member.linkname.startswith("/") or _escapes(os.path.normpath(target)):
                _refuse_member(archive, member.name, "links outside the target folder")
        elif member.islnk():
            if _escapes(member.linkname):
                _refuse_member(archive, member.name, "links outside the target folder")
        elif not (member.isfile() or member.isdir()):
            _refuse_member(archive, member.name, "is neither a file, a folder nor a link")


def extract(archive, folder):
    """Unpack ``archive`` (.tar.gz, .tar.bz2, .tar.xz, .tar or .zip) into ``folder``."""
    if zipfile.is_zipfile(archive):
        with zipfile.ZipFile(archive) as zipped:
            for name in zipped.namelist():
                if _escapes(name):
                    _refuse_member(archive, name, "would be written outside the target folder")
            zipped.extractall(folder)
        return
    try:
        with tarfile.open(archive) as tar:
            check_tar_members(archive, tar)
            if hasattr(tarfile, "data_filter"):  # 3.12, and 3.11.4 on: Python checks too
                tar.extractall(folder, filter="data")
            else:
                tar.extractall(folder)  # every member was checked above
    except tarfile.TarError as error:
        raise BootstrapError(
            f"{archive} is not a .tar.gz or .zip archive that can be read ({error})."
        ) from error


def tree_root(folder):
    """The Odoo tree in an unpacked archive: the folder itself or its only subfolder."""
    if (folder / "odoo" / "release.py").is_file():
        return folder
    children = [child for child in folder.iterdir() if child.is_dir()]
    if len(children) == 1 and (children[0] / "odoo" / "release.py").is_file():
        return children[0]
    return folder


def odoo_series(release_py):
    """``"18.0"`` from odoo/release.py's ``version_info``, read without running the file."""
    try:
        module = ast.parse(Path(release_py).read_text())
    except (SyntaxError, ValueError) as error:
        raise BootstrapError(f"{release_py} cannot be read as Python: {error}") from error
    for node in module.body:
        if (
            isinstance(node, ast.Assign)
            and any(getattr(target, "id", None) == "version_info" for target in node.targets)
            and isinstance(node.value, ast.Tuple)
            and len(node.value.elts) >= 2
        ):
            try:
                major, minor = (ast.literal_eval(item) for item in node.value.elts[:2])
            except ValueError:
                break
            return f"{major}.{minor}"
    raise BootstrapError(f"{release_py} holds no version_info that can be read.")


def check_tree(tree, label):
    """Refuse anything but an Odoo 18.0 source tree; ``label`` names it in the message."""
    missing = [name for name in TREE_FILES if not (tree / name).is_file()]
    if missing:
        raise BootstrapError(
            f"{label} is not an Odoo {ODOO_SERIES} source tree: {', '.join(missing)} missing "
            "at its top (or in its single top folder). Give Odoo's source archive or folder."
        )
    series = odoo_series(tree / "odoo" / "release.py")
    if series != ODOO_SERIES:
        raise BootstrapError(
            f"{label} holds Odoo {series}, but this suite needs Odoo {ODOO_SERIES}. "
            f"Give an Odoo {ODOO_SERIES} archive or folder with ODOO_ARCHIVE=..."
        )


def fetch_source(source, layout, sha256=None, out=sys.stdout):
    """The checked Odoo tree: a folder given as the source is used where it is; an archive
    (downloaded first when ``source`` is an address) is unpacked into ``layout.source``."""
    if layout.source.is_dir():
        check_tree(layout.source, str(layout.source))
        print(f"    Odoo source already in {layout.source} (delete it to fetch again)", file=out)
        return layout.source
    if is_url(source):
        archive = download(source, layout.odoo_dir / "downloads", out)
    else:
        archive = Path(source).expanduser().resolve()
        if not archive.exists():
            raise BootstrapError(f"ODOO_ARCHIVE={source}: no such file or folder.")
        if archive.is_dir():
            if sha256:
                raise BootstrapError("ODOO_ARCHIVE_SHA256 checks an archive, not a folder.")
            check_tree(archive, str(archive))
            print(f"    using the Odoo source in {archive} where it is", file=out)
            return archive
    if sha256:
        verify_checksum(archive, sha256)
        print("    SHA-256 checked", file=out)
    layout.odoo_dir.mkdir(parents=True, exist_ok=True)
    unpacked = Path(tempfile.mkdtemp(prefix="unpack-", dir=layout.odoo_dir))
    try:
        print(f"    unpacking {archive.name}", file=out, flush=True)
        extract(archive, unpacked)
        root = tree_root(unpacked)
        check_tree(root, str(archive))
        root.rename(layout.source)
    finally:
        shutil.rmtree(unpacked, ignore_errors=True)
    return layout.source


# --------------------------------------------------------------------------------------------
# the virtual environment
# --------------------------------------------------------------------------------------------


def _run(cmd, failure, out):
    """Run ``cmd`` in view of the user; on failure, ``failure`` with its status and command."""
    cmd = [str(part) for part in cmd]
    print(f"    $ {shlex.join(cmd)}", file=out, flush=True)
    status = subprocess.run(cmd, check=False).returncode
    if status != 0:
        raise BootstrapError(failure.format(status=status, cmd=shlex.join(cmd)))


def create_venv(python, layout, system_site_packages=False, out=sys.stdout):
    if layout.python.is_file():
        print(f"    virtual environment already in {layout.venv}", file=out)
        return
    version = subprocess.run(
        [python, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
        capture_output=True,
        text=True,
        check=False,
    )
    found = tuple(int(part) for part in version.stdout.split(".")) if version.stdout else ()
    if found < MIN_PYTHON:
        raise BootstrapError(
            f"Odoo {ODOO_SERIES} needs Python 3.10 or later; {python} is "
            f"{version.stdout.strip() or 'not a Python that runs'}. Choose one with PYTHON=..."
        )
    _run(
        [
            python,
            "-m",
            "venv",
            *(["--system-site-packages"] if system_site_packages else []),
            layout.venv,
        ],
        "Could not create the virtual environment (exit {status}). On Debian and Ubuntu the "
        "python3-venv package provides it. Then rerun: {cmd}",
        out,
    )


def install_requirements(layout, source, requirements=PROJECT_REQUIREMENTS, out=sys.stdout):
    """Odoo's requirements, then the suite's. Two runs of pip, as the suite's test tools pin
    some packages (polib) at other versions than Odoo's file: installed after Odoo's, they
    win, as they do wherever both are installed."""
    failure = (
        "pip failed (exit {status}); its message is above. Odoo's requirements build some "
        "packages from source when no wheel fits (on Debian and Ubuntu: apt install "
        "build-essential python3-dev libldap2-dev libsasl2-dev libpq-dev). Fix the cause, then "
        "rerun:\n  {cmd}\nor the make command again (what is downloaded is kept)."
    )
    pip = [layout.python, "-m", "pip", "install", "--disable-pip-version-check"]
    _run([*pip, "-r", source / "requirements.txt"], failure, out)
    if requirements:
        _run([*pip, *(arg for path in requirements for arg in ("-r", path))], failure, out)


def link_source(layout, source):
    """Make ``odoo`` importable by the environment's python: a .pth file naming ``source``."""
    result = subprocess.run(
        [layout.python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
        capture_output=True,
        text=True,
        check=True,
    )
    pth = Path(result.stdout.strip()) / "odoo-source.pth"
    pth.write_text(f"{Path(source).resolve()}\n")
    return pth


def bootstrap(
    source,
    layout,
    python=None,
    sha256=None,
    system_site_packages=False,
    requirements=PROJECT_REQUIREMENTS,
    out=sys.stdout,
):
    """Fetch, check and install Odoo 18.0; return the environment's python.

    ``system_site_packages`` lets the environment see the packages of ``python`` (a faster
    install when they are there already); ``odoo`` still comes from the fetched source, as the
    environment's own paths come first.
    """
    print(f"==> bringing Odoo {ODOO_SERIES} from {source} into {layout.venv}", file=out)
    tree = fetch_source(source, layout, sha256, out)
    create_venv(python or sys.executable, layout, system_site_packages, out)
    install_requirements(layout, tree, requirements, out)
    link_source(layout, tree)
    print(f"    Odoo {ODOO_SERIES} installed: {layout.python}", file=out, flush=True)
    return layout.python


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", maxsplit=1)[0])
    parser.add_argument(
        "--source",
        default=source_from_environ(),
        help="address, .tar.gz/.zip archive or folder (default: ODOO_ARCHIVE, else %(default)s)",
    )
    parser.add_argument(
        "--home",
        default=str(Layout.from_environ().home),
        help="folder receiving .venv/ and .odoo/ (default: ODOO_HOME, else the repository)",
    )
    parser.add_argument("--sha256", default=os.environ.get("ODOO_ARCHIVE_SHA256"))
    parser.add_argument(
        "--python",
        default=os.environ.get("PYTHON") or sys.executable,
        help="interpreter the virtual environment is made from",
    )
    parser.add_argument("--system-site-packages", action="store_true")
    args = parser.parse_args(argv)
    try:
        bootstrap(
            args.source,
            Layout(Path(args.home).expanduser().resolve()),
            python=args.python,
            sha256=args.sha256,
            system_site_packages=args.system_site_packages,
        )
    except BootstrapError as error:
        sys.exit(f"\n{error}")


if __name__ == "__main__":
    main()
