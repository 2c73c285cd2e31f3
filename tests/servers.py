"""Throwaway PostgreSQL and Redis servers for the test session.

Each server gets its own temporary directory and a free loopback port, listens on 127.0.0.1
only, and is stopped and deleted at the end. initdb and postgres refuse to run as root, so when
the tests run as root (as in CI) the PostgreSQL processes run as the ``postgres`` OS user.
Nothing here uses a shell.
"""

from __future__ import annotations

import glob
import os
import pwd
import shlex
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

STARTUP_SECONDS = 30
COMMAND_SECONDS = 120  # initdb on a slow disk
PG_USER = "casenotes"
PG_DATABASE = "casenotes_test"
_PORT_ATTEMPTS = 3


class ServerUnavailable(Exception):
    """The server is not installed here, or would not start; the message says why."""


@dataclass
class PostgresServer:
    bindir: Path
    root: Path  # the temporary directory holding data, socket and log
    port: int
    run_as: str | None  # OS user the server runs as, when not the current one

    @property
    def data(self) -> Path:
        return self.root / "data"

    @property
    def log(self) -> Path:
        return self.root / "server.log"

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://{PG_USER}@127.0.0.1:{self.port}/{PG_DATABASE}"


@dataclass
class RedisServer:
    root: Path
    port: int
    process: subprocess.Popen[bytes]

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _tail(path: Path, lines: int = 5) -> str:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""
    return " | ".join(line.strip() for line in text.strip().splitlines()[-lines:])


def _run(argv: list[str], what: str, cwd: Path, timeout: float = COMMAND_SECONDS) -> None:
    try:
        done = subprocess.run(
            argv, capture_output=True, text=True, timeout=timeout, check=False, cwd=cwd
        )
    except subprocess.TimeoutExpired:
        raise ServerUnavailable(f"{what} did not finish within {timeout:.0f} s") from None
    except OSError as exc:
        raise ServerUnavailable(f"{what} could not run: {exc}") from None
    if done.returncode != 0:
        detail = (done.stderr or done.stdout).strip().splitlines()[-3:]
        raise ServerUnavailable(f"{what} failed ({done.returncode}): {' | '.join(detail)}")


# --- PostgreSQL --------------------------------------------------------------------------------


def find_postgres_bindir() -> Path | None:
    """The folder holding initdb, pg_ctl and postgres: pg_config, Debian's layout, then PATH."""
    candidates: list[Path] = []
    pg_config = shutil.which("pg_config")
    if pg_config:
        try:
            out = subprocess.run(
                [pg_config, "--bindir"], capture_output=True, text=True, timeout=10, check=True
            )
            candidates.append(Path(out.stdout.strip()))
        except (OSError, subprocess.SubprocessError):
            pass  # a broken pg_config: the other places may still hold a server
    debian = glob.glob("/usr/lib/postgresql/*/bin")
    candidates += sorted((Path(p) for p in debian), key=_version_key, reverse=True)
    initdb = shutil.which("initdb")
    if initdb:
        candidates.append(Path(initdb).resolve().parent)
    for folder in candidates:
        if all((folder / tool).is_file() for tool in ("initdb", "pg_ctl", "postgres")):
            return folder
    return None


def _version_key(bindir: Path) -> tuple[int, str]:
    version = bindir.parent.name
    return (int(version), version) if version.isdigit() else (0, version)


def _server_user() -> str | None:
    """None when we may run the server ourselves; "postgres" when we are root."""
    if os.geteuid() != 0:
        return None
    try:
        pwd.getpwnam("postgres")
    except KeyError:
        raise ServerUnavailable(
            "running as root and there is no 'postgres' OS user to run the server as"
        ) from None
    return "postgres"


def _as_user(user: str | None, argv: list[str]) -> list[str]:
    if user is None:
        return argv
    runuser = shutil.which("runuser")
    if runuser:
        return [runuser, "-u", user, "--", *argv]
    su = shutil.which("su")
    if su is None:
        raise ServerUnavailable("running as root, and neither runuser nor su is available")
    # su takes one command string; quote each argument so no word is split or expanded.
    return [su, user, "-s", "/bin/sh", "-c", shlex.join(argv)]


def start_postgres() -> PostgresServer:
    """Create and start a throwaway cluster with an empty ``casenotes_test`` database.

    Raises:
        ServerUnavailable: PostgreSQL is not installed, or would not start.
    """
    bindir = find_postgres_bindir()
    if bindir is None:
        raise ServerUnavailable("no initdb/pg_ctl/postgres found (pg_config, /usr/lib/postgresql)")
    user = _server_user()
    # Not under pytest's tmp_path: its parent folders are private to root, so the postgres user
    # could not reach them.
    root = Path(tempfile.mkdtemp(prefix="casenotes-pg-"))
    server = PostgresServer(bindir=bindir, root=root, port=0, run_as=user)
    owner = None if user is None else pwd.getpwnam(user)
    try:
        if owner is not None:
            os.chown(root, owner.pw_uid, owner.pw_gid)
        _run(
            _as_user(
                user,
                [
                    str(bindir / "initdb"),
                    "--pgdata",
                    str(server.data),
                    "--username",
                    PG_USER,
                    "--auth",
                    "trust",
                    "--encoding",
                    "UTF8",
                    "--no-locale",
                    "--no-sync",
                ],
            ),
            "initdb",
            cwd=root,
        )
        (root / "sock").mkdir()
        if owner is not None:
            os.chown(root / "sock", owner.pw_uid, owner.pw_gid)
        _start_on_free_port(server)
        _run(
            [
                str(bindir / "createdb"),
                "--host",
                "127.0.0.1",
                "--port",
                str(server.port),
                "--username",
                PG_USER,
                PG_DATABASE,
            ],
            "createdb",
            cwd=root,
            timeout=STARTUP_SECONDS,
        )
    except BaseException:
        # Keep the original error: stop what may run, then remove the folder whatever is left.
        _pg_ctl_stop(server)
        shutil.rmtree(root, ignore_errors=True)
        raise
    return server


def _start_on_free_port(server: PostgresServer) -> None:
    conf = server.data / "postgresql.conf"
    base_conf = conf.read_text(encoding="utf-8")
    reason = ""
    for _ in range(_PORT_ATTEMPTS):
        server.port = free_port()
        # Speed over durability: the cluster is thrown away at the end of the session.
        conf.write_text(
            base_conf
            + "\n# casenotes test server\n"
            + "listen_addresses = '127.0.0.1'\n"
            + f"port = {server.port}\n"
            + f"unix_socket_directories = '{server.root / 'sock'}'\n"
            + "fsync = off\nsynchronous_commit = off\nfull_page_writes = off\n"
            + "max_connections = 40\n",
            encoding="utf-8",
        )
        argv = [
            str(server.bindir / "pg_ctl"),
            "--pgdata",
            str(server.data),
            "--log",
            str(server.log),
            "--wait",
            "--timeout",
            str(STARTUP_SECONDS),
            "start",
        ]
        try:
            _run(
                _as_user(server.run_as, argv),
                "pg_ctl start",
                cwd=server.root,
                timeout=STARTUP_SECONDS + 10,
            )
            return
        except ServerUnavailable as exc:
            reason = f"{exc}; log: {_tail(server.log)}"
            _pg_ctl_stop(server)
            if "already in use" not in reason:
                break
    raise ServerUnavailable(reason)


def _pg_ctl_stop(server: PostgresServer) -> bool:
    if not (server.data / "postmaster.pid").exists():
        return True
    for mode in ("fast", "immediate"):
        argv = [
            str(server.bindir / "pg_ctl"),
            "--pgdata",
            str(server.data),
            "--mode",
            mode,
            "--wait",
            "--timeout",
            str(STARTUP_SECONDS),
            "stop",
        ]
        try:
            _run(
                _as_user(server.run_as, argv),
                "pg_ctl stop",
                cwd=server.root,
                timeout=STARTUP_SECONDS + 10,
            )
            return True
        except ServerUnavailable:
            continue
    return False


def stop_postgres(server: PostgresServer) -> None:
    """Stop the server and delete its folder."""
    if not _pg_ctl_stop(server):
        raise RuntimeError(f"PostgreSQL test server in {server.root} would not stop")
    shutil.rmtree(server.root)


# --- Redis -------------------------------------------------------------------------------------


def start_redis() -> RedisServer:
    """Start a throwaway, memory-only redis-server on a free loopback port.

    Raises:
        ServerUnavailable: redis-server is not installed, or would not start.
    """
    binary = shutil.which("redis-server")
    if binary is None:
        raise ServerUnavailable("redis-server is not on PATH")
    root = Path(tempfile.mkdtemp(prefix="casenotes-redis-"))
    reason = ""
    for _ in range(_PORT_ATTEMPTS):
        port = free_port()
        log = root / f"redis-{port}.log"
        argv = [
            binary,
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(root),
            "--logfile",
            str(log),
            "--daemonize",
            "no",
        ]
        process = subprocess.Popen(
            argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        server = RedisServer(root=root, port=port, process=process)
        deadline = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < deadline and process.poll() is None:
            if _redis_answers(port):
                return server
            time.sleep(0.05)
        exited = process.poll() is not None
        _stop_process(process)
        reason = (
            f"redis-server exited with status {process.returncode}"
            if exited
            else f"redis-server did not answer within {STARTUP_SECONDS} s"
        ) + f"; log: {_tail(log)}"
        if "already in use" not in reason:
            break
    shutil.rmtree(root)
    raise ServerUnavailable(reason)


def _redis_answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def _stop_process(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def stop_redis(server: RedisServer) -> None:
    """Stop the server and delete its folder."""
    _stop_process(server.process)
    shutil.rmtree(server.root)
