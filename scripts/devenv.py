"""Shared helpers of the developer commands: addons, Odoo and PostgreSQL discovery.

Only the standard library is needed at import time, so ``make test-core`` works on a machine
without Odoo; ``psycopg2`` is imported lazily and comes with Odoo's own dependencies.
"""

import getpass
import glob
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

# Its sibling is found whichever way this module was loaded (by name or from its file).
sys.path.insert(0, str(Path(__file__).resolve().parent))

import odoo_bootstrap  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
LOG_DIR = REPO / ".logs"
PGDATA = REPO / ".pgdata"
LOCAL_PG_PORT = int(os.environ.get("LOCAL_PG_PORT") or 54329)
ODOO_SERIES = "18.0"


class SetupError(Exception):
    """The environment lacks something; the message says exactly what to provide."""


def addons():
    """Names of the addons of this repository: every folder holding a ``__manifest__.py``."""
    return sorted(path.parent.name for path in REPO.glob("*/__manifest__.py"))


#: Odoo's own addons the demo database and the suite's tests install besides the repository's:
#: Odoo's demo payment provider, which top-ups are paid online with (sms_notify_payment) and
#: which no addon may depend on, as it is for demonstrations only
DEMO_EXTRAS = ["payment_demo"]


def env_value(*names, default=None):
    """First non-empty environment variable among ``names`` (make variables come first)."""
    for name in names:
        value = os.environ.get(name)
        if value:
            return value
    return default


def python_cmd():
    return env_value("PYTHON", default=sys.executable)


def step_banner(title):
    print(f"\n==> {title}", flush=True)


class Timer:
    def __init__(self):
        self.start = time.monotonic()

    @property
    def elapsed(self):
        return time.monotonic() - self.start

    def __str__(self):
        seconds = int(self.elapsed)
        return f"{seconds // 60}m{seconds % 60:02d}s"


# --------------------------------------------------------------------------------------------
# Odoo
# --------------------------------------------------------------------------------------------

ODOO_MISSING = (
    "Odoo 18.0 not found: install it so that `{python} -c 'import odoo'` works, "
    "or run `make {target} ODOO_SRC=/path/to/odoo-18.0` where that folder holds odoo-bin "
    "and odoo/release.py."
)

_PROBE = """
import json, os, sys
import odoo.release
package = os.path.dirname(os.path.abspath(odoo.release.__file__))
print(json.dumps({
    "version": odoo.release.version,
    "major": odoo.release.version_info[0],
    "serie": odoo.release.serie,
    "package": package,
}))
"""


@dataclass
class Odoo:
    python: str
    version: str
    package: str
    addons_dirs: list
    env: dict = field(default_factory=dict)

    @property
    def addons_path(self):
        return ",".join([*self.addons_dirs, str(REPO)])

    def command(self, *args):
        """``python -m odoo``: works whether Odoo is a source tree or an installed package."""
        return [self.python, "-m", "odoo", *args]


class OdooMissing(SetupError):
    """The interpreter does not import ``odoo`` at all (as opposed to importing it badly)."""


def find_odoo(target="test", interactive=None):
    """Locate Odoo 18.0, or raise SetupError saying what to provide.

    The source tree ODOO_SRC when given (on $PYTHON's path), else ``odoo`` as $PYTHON imports
    it, else the project-local virtual environment the bootstrap makes; else the bootstrap is
    offered (asked when ``interactive``, by default when stdin is a terminal; ODOO_BOOTSTRAP
    answers instead).
    """
    python = python_cmd()
    if not shutil.which(python) and not os.path.isfile(python):
        raise SetupError(f"Python interpreter `{python}` not found (set PYTHON=...).")
    src = env_value("ODOO_SRC")
    if src:
        return _probe_odoo(python, target, src)
    try:
        return _probe_odoo(python, target)
    except OdooMissing:
        pass
    layout = odoo_bootstrap.Layout.from_environ()
    if layout.python.is_file():
        try:
            return _probe_odoo(str(layout.python), target)
        except OdooMissing:
            pass
    return _bring_odoo(python, target, layout, interactive)


def _bring_odoo(python, target, layout, interactive):
    """The bootstrap, when accepted; the environment it made is then probed like any other."""
    source = odoo_bootstrap.source_from_environ()
    try:
        if not odoo_bootstrap.accepted(source, layout, interactive=interactive):
            raise OdooMissing(
                ODOO_MISSING.format(python=python, target=target)
                + "\n"
                + odoo_bootstrap.how_to_accept(source, layout, target)
            )
        odoo_bootstrap.bootstrap(
            source, layout, python=python, sha256=env_value("ODOO_ARCHIVE_SHA256")
        )
    except odoo_bootstrap.BootstrapError as error:
        raise SetupError(str(error)) from error
    return _probe_odoo(str(layout.python), target)


def _probe_odoo(python, target, src=None):
    """Odoo as ``python`` imports it (with the source tree ``src`` on its path when given)."""
    env = dict(os.environ)
    if src:
        src_path = Path(src).expanduser().resolve()
        missing = [
            name for name in ("odoo-bin", "odoo/release.py") if not (src_path / name).is_file()
        ]
        if missing:
            raise SetupError(
                f"ODOO_SRC={src} is not an Odoo 18.0 source tree: {', '.join(missing)} missing. "
                "Point ODOO_SRC at the folder that holds odoo-bin and odoo/release.py."
            )
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(src_path), env.get("PYTHONPATH")]))
    probe = subprocess.run(
        [python, "-c", _PROBE], env=env, capture_output=True, text=True, check=False
    )
    if probe.returncode != 0:
        stderr = probe.stderr.strip().splitlines()
        last = stderr[-1] if stderr else "(no output)"
        if "No module named 'odoo'" in probe.stderr:
            raise OdooMissing(ODOO_MISSING.format(python=python, target=target))
        where = f"in ODOO_SRC={src}" if src else f"for {python}"
        raise SetupError(
            f"Odoo found {where} but it does not import: {last}\n"
            f"Install its Python dependencies for {python} "
            "(pip install -r requirements.txt of the Odoo source tree)."
        )
    info = json.loads(probe.stdout.strip().splitlines()[-1])
    if info["major"] != int(ODOO_SERIES.split(".")[0]):
        raise SetupError(
            f"Odoo {info['version']} found at {info['package']}, but this suite needs Odoo "
            f"{ODOO_SERIES}. Install Odoo 18.0 for {python} or pass ODOO_SRC=/path/to/odoo-18.0."
        )
    package = Path(info["package"])
    # Upstream source trees keep most addons in <src>/addons and only base in odoo/addons;
    # packaged builds keep them all in odoo/addons.
    addons_dirs = [
        str(candidate)
        for candidate in (package.parent / "addons", package / "addons")
        if (candidate / "web" / "__manifest__.py").is_file()
        or (candidate / "base" / "__manifest__.py").is_file()
    ]
    return Odoo(
        python=python,
        version=info["version"],
        package=str(package),
        addons_dirs=addons_dirs,
        env=env,
    )


def write_odoo_config(directory):
    """An empty config file so that a developer's ~/.odoorc cannot change what runs."""
    path = Path(directory) / "odoo.conf"
    path.write_text("[options]\n")
    return path


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# --------------------------------------------------------------------------------------------
# PostgreSQL
# --------------------------------------------------------------------------------------------


@dataclass
class Postgres:
    host: str
    port: int
    user: str
    started_here: bool = False

    def odoo_args(self):
        args = [f"--db_port={self.port}", f"--db_user={self.user}"]
        if self.host:
            args.append(f"--db_host={self.host}")
        return args

    def describe(self):
        where = self.host or "local socket"
        return f"{where}:{self.port} as {self.user}"

    def connect(self, dbname="postgres", user=None):
        import psycopg2  # pylint: disable=import-outside-toplevel

        kwargs = {
            "dbname": dbname,
            "user": user or self.user,
            "port": self.port,
            "connect_timeout": 5,
        }
        if self.host:
            kwargs["host"] = self.host
        conn = psycopg2.connect(**kwargs)
        conn.autocommit = True
        return conn

    def database_exists(self, dbname):
        with self.connect() as conn, conn.cursor() as cr:
            cr.execute("SELECT 1 FROM pg_database WHERE datname = %s", (dbname,))
            return bool(cr.fetchone())

    def drop_database(self, dbname):
        conn = self.connect()
        try:
            with conn.cursor() as cr:
                cr.execute(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)')
        finally:
            conn.close()

    def module_states(self, dbname, names):
        """{module: (state, demo)} for ``names`` in database ``dbname``."""
        conn = self.connect(dbname)
        try:
            with conn.cursor() as cr:
                cr.execute(
                    "SELECT name, state, demo FROM ir_module_module WHERE name = ANY(%s)",
                    (list(names),),
                )
                return {name: (state, demo) for name, state, demo in cr.fetchall()}
        finally:
            conn.close()


def _pg_bin(name):
    """A PostgreSQL client/server program: PATH first, then the newest /usr/lib/postgresql."""
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(
        glob.glob(f"/usr/lib/postgresql/*/bin/{name}"),
        key=lambda path: int(Path(path).parts[-3]) if Path(path).parts[-3].isdigit() else 0,
    )
    return candidates[-1] if candidates else None


def _server_bin_dir():
    """Directory holding initdb and pg_ctl of one and the same PostgreSQL version."""
    dirs = sorted(
        (Path(p).parent for p in glob.glob("/usr/lib/postgresql/*/bin/initdb")),
        key=lambda path: int(path.parent.name) if path.parent.name.isdigit() else 0,
    )
    if dirs:
        return dirs[-1]
    initdb = shutil.which("initdb")
    if initdb and shutil.which("pg_ctl"):
        return Path(os.path.realpath(initdb)).parent
    return None


def server_answers(host, port, user):
    """True when a PostgreSQL server answers at host:port (whatever it thinks of ``user``)."""
    pg_isready = _pg_bin("pg_isready")
    if pg_isready:
        cmd = [pg_isready, "-q", "-t", "3", "-p", str(port)]
        if host:
            cmd += ["-h", host]
        # 0 accepting, 1 rejecting (starting up), 2 no response, 3 bad parameters
        return subprocess.run(cmd, check=False).returncode in (0, 1)
    try:
        import psycopg2  # pylint: disable=import-outside-toplevel
    except ImportError:
        return False
    try:
        kwargs = {"dbname": "postgres", "user": user, "port": port, "connect_timeout": 3}
        if host:
            kwargs["host"] = host
        psycopg2.connect(**kwargs).close()
        return True
    except psycopg2.OperationalError as error:
        text = str(error)
        return not any(
            marker in text
            for marker in (
                "Connection refused",
                "No such file",
                "timeout expired",
                "could not connect",
                "Cannot assign requested address",
            )
        )


def _default_user():
    user = env_value("DB_USER", "PGUSER")
    if user:
        if user == "postgres":
            raise SetupError(
                "Odoo refuses to use the database user 'postgres'; set DB_USER (or PGUSER) to "
                "another role with CREATEDB."
            )
        return user, True
    user = getpass.getuser()
    # Odoo refuses `postgres`; a dedicated role is created on the project-local cluster.
    return ("odoo" if user == "postgres" else user), False


def ensure_postgres():
    """A PostgreSQL server Odoo can use: the configured one, else a project-local cluster."""
    host = env_value("DB_HOST", "PGHOST", default="")
    port = int(env_value("DB_PORT", "PGPORT", default="5432"))
    user, explicit_user = _default_user()
    if server_answers(host, port, user):
        pg = Postgres(host=host, port=port, user=user)
        if not explicit_user and getpass.getuser() == "postgres":
            ensure_role(pg, admin_user="postgres")
        _check_role(pg, explicit_user)
        return pg
    where = f"{host or 'local socket'}:{port}"
    print(
        f"PostgreSQL does not answer at {where}; using the project-local cluster in "
        f"{PGDATA.name}/ on 127.0.0.1:{LOCAL_PG_PORT}.",
        flush=True,
    )
    return start_local_cluster(user)


def _check_role(pg, explicit_user):
    try:
        pg.connect().close()
    except Exception as error:  # psycopg2 errors vary with server and auth configuration
        hint = "" if explicit_user else " (set DB_USER=... to choose another role)"
        raise SetupError(
            f"PostgreSQL at {pg.describe()} answers but refuses the connection: "
            f"{str(error).strip()}{hint}. The role needs LOGIN and CREATEDB."
        ) from error


def _as_postgres_prefix():
    """initdb and postgres refuse to run as root: run them as the `postgres` system user."""
    if os.geteuid() != 0:
        return []
    runuser = shutil.which("runuser")
    if not runuser:
        raise SetupError("Running as root needs `runuser` to start PostgreSQL as user postgres.")
    return [runuser, "-u", "postgres", "--"]


def start_local_cluster(user):
    bin_dir = _server_bin_dir()
    if not bin_dir:
        raise SetupError(
            "No PostgreSQL server answers and no PostgreSQL binaries were found to start one "
            "(looked for initdb/pg_ctl on PATH and in /usr/lib/postgresql/*/bin). Install "
            "PostgreSQL or set DB_HOST/DB_PORT/DB_USER (or PGHOST/PGPORT/PGUSER)."
        )
    prefix = _as_postgres_prefix()
    superuser = "postgres" if prefix else getpass.getuser()
    if not (PGDATA / "PG_VERSION").is_file():
        PGDATA.mkdir(mode=0o700, exist_ok=True)
        if prefix:
            shutil.chown(PGDATA, "postgres", "postgres")
        subprocess.run(
            [
                *prefix,
                str(bin_dir / "initdb"),
                "-D",
                str(PGDATA),
                "-U",
                superuser,
                "--auth=trust",
                "--encoding=UTF8",
                "--no-instructions",
            ],
            check=True,
            stdout=subprocess.DEVNULL,
        )
    if not server_answers("127.0.0.1", LOCAL_PG_PORT, superuser):
        options = (
            f"-p {LOCAL_PG_PORT} -c listen_addresses=127.0.0.1 "
            f"-c unix_socket_directories='{PGDATA}'"
        )
        result = subprocess.run(
            [
                *prefix,
                str(bin_dir / "pg_ctl"),
                "-D",
                str(PGDATA),
                "-l",
                str(PGDATA / "server.log"),
                "-o",
                options,
                "-w",
                "-t",
                "60",
                "start",
            ],
            check=False,
            stdout=subprocess.DEVNULL,
        )
        if result.returncode != 0:
            log = PGDATA / "server.log"
            tail = log.read_text(errors="replace").splitlines()[-10:] if log.exists() else []
            raise SetupError(
                "Could not start the project-local PostgreSQL cluster:\n" + "\n".join(tail)
            )
        started = True
    else:
        started = False
    pg = Postgres(host="127.0.0.1", port=LOCAL_PG_PORT, user=user, started_here=started)
    if user != superuser:
        ensure_role(pg, admin_user=superuser)
    return pg


def ensure_role(pg, admin_user):
    """Create ``pg.user`` (LOGIN CREATEDB) through ``admin_user`` when it does not exist."""
    admin = pg.connect(user=admin_user)
    try:
        with admin.cursor() as cr:
            cr.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (pg.user,))
            if not cr.fetchone():
                cr.execute(f'CREATE ROLE "{pg.user}" LOGIN CREATEDB')
                print(f"    created PostgreSQL role {pg.user} (LOGIN CREATEDB)")
    finally:
        admin.close()


def stop_local_cluster():
    bin_dir = _server_bin_dir()
    if not bin_dir or not (PGDATA / "postmaster.pid").exists():
        return False
    subprocess.run(
        [
            *_as_postgres_prefix(),
            str(bin_dir / "pg_ctl"),
            "-D",
            str(PGDATA),
            "-m",
            "fast",
            "-w",
            "stop",
        ],
        check=False,
        stdout=subprocess.DEVNULL,
    )
    return True


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else ""
    if command == "addons":
        print(" ".join(addons()))
    elif command == "db-stop":
        print("stopped" if stop_local_cluster() else "no project-local cluster is running")
    elif command == "db-start":
        try:
            print(f"PostgreSQL ready at {ensure_postgres().describe()}")
        except SetupError as error:
            sys.exit(str(error))
    else:
        sys.exit("usage: devenv.py addons|db-start|db-stop")


def run_logged(cmd, log_path, timeout=None, env=None, stdin_path=None):
    """Run ``cmd`` with stdout and stderr into ``log_path``; return its exit status.

    The command gets its own process group, so that a timeout also ends what it started
    (Odoo's test browser).
    """
    with open(log_path, "w") as log, open(stdin_path or os.devnull) as stdin:
        process = subprocess.Popen(
            cmd,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=stdin,
            env=env,
            cwd=REPO,
            start_new_session=True,
        )
        try:
            return process.wait(timeout=timeout)
        except BaseException as error:  # timeout, Ctrl-C or SIGTERM: stop the whole group
            try:
                os.killpg(process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            process.wait()
            if not isinstance(error, subprocess.TimeoutExpired):
                raise
            log.write(f"\n*** killed after {timeout}s ***\n")
            return 124
