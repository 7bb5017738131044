"""The embedded PostgreSQL: started on demand, shared by processes, never started twice on one folder.

These tests start real PostgreSQL 18 servers in folders of their own under var/ (the server runs as
an unprivileged user when we are root, so the folder must be reachable by it, which /tmp's
private test folders are not).
"""

import json
import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg2
import pytest

from core import embedded_pg

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def pgdata():
    folder = ROOT / "var" / "test-embedded" / uuid.uuid4().hex[:8]
    folder.parent.mkdir(parents=True, exist_ok=True)
    yield folder
    embedded_pg.stop(folder)
    shutil.rmtree(folder, ignore_errors=True)


def test_start_initialises_and_serves(pgdata):
    server = embedded_pg.start(pgdata)
    assert (pgdata / "PG_VERSION").read_text().strip() == "18"
    conn = psycopg2.connect(host=str(server.socket_dir), user="postgres", dbname="postgres")
    with conn, conn.cursor() as cur:
        cur.execute("SHOW server_version_num")
        assert cur.fetchone()[0].startswith("18")
    conn.close()
    assert embedded_pg.running_pid(pgdata) == server.pid


def _start_in_child(pgdata: Path) -> int:
    code = (
        "import sys; from core import embedded_pg; "
        f"s = embedded_pg.start({str(pgdata)!r}); print(s.pid); sys.stdout.flush()"
    )
    out = subprocess.run(  # noqa: S603 - our own interpreter
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120, check=True
    )
    return int(out.stdout.strip().splitlines()[-1])


def test_a_second_process_reuses_the_running_server(pgdata):
    """While we hold the server, another process attaches to it instead of starting a second one."""
    server = embedded_pg.start(pgdata)
    assert _start_in_child(pgdata) == server.pid
    assert embedded_pg.running_pid(pgdata) == server.pid  # the child's exit did not stop it: we still use it


def test_the_last_process_to_leave_stops_the_server(pgdata):
    pid = _start_in_child(pgdata)
    assert pid > 0
    assert embedded_pg.running_pid(pgdata) is None


def test_handles_of_dead_processes_do_not_keep_it_alive(pgdata):
    server = embedded_pg.start(pgdata)
    handles = pgdata / embedded_pg.HANDLE_LIST
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    handles.write_text(json.dumps([*json.loads(handles.read_text()), dead.pid]))
    embedded_pg._drop_dead_handles(pgdata)
    assert json.loads(handles.read_text()) == [os.getpid()]
    assert server.pid == embedded_pg.running_pid(pgdata)


def test_django_uses_it_when_database_url_is_unset(pgdata):
    """manage.py without DATABASE_URL migrates into the embedded server and creates its database."""
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["JINGZHUN_PGDATA"] = str(pgdata)
    result = subprocess.run(
        [sys.executable, "manage.py", "migrate", "--no-input", "-v", "0"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    status = subprocess.run(
        [sys.executable, "manage.py", "embedded_db", "status"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert f"embedded PostgreSQL at {pgdata}: stopped" in status.stdout
    server = embedded_pg.start(pgdata)
    conn = psycopg2.connect(host=str(server.socket_dir), user="postgres", dbname="jingzhun")
    with conn, conn.cursor() as cur:
        cur.execute("SELECT count(*) FROM django_migrations WHERE app = 'villages'")
        assert cur.fetchone()[0] >= 1
    conn.close()


def _wait_for(predicate, seconds: float) -> bool:
    import time

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return predicate()


def test_sigterm_to_the_server_process_stops_the_embedded_server(pgdata):
    """`make run` ends in `runserver --noreload`: SIGTERM to it releases the embedded server, as Ctrl-C does."""
    import signal
    import socket
    import urllib.request

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["JINGZHUN_PGDATA"] = str(pgdata)
    server = subprocess.Popen(  # noqa: S603 - our own interpreter and manage.py
        [sys.executable, "manage.py", "runserver", "--noreload", "--skip-checks", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:

        def healthy() -> bool:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as answer:
                    return answer.status == 200
            except OSError:
                return False

        assert _wait_for(healthy, 120), "runserver never answered /healthz"
        assert embedded_pg.running_pid(pgdata) is not None
        server.send_signal(signal.SIGTERM)
        assert server.wait(timeout=60) == 128 + signal.SIGTERM
        assert _wait_for(lambda: embedded_pg.running_pid(pgdata) is None, 30)
    finally:
        if server.poll() is None:
            server.kill()
