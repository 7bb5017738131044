"""Reads on a streaming standby (core/replica.py): the rules as functions, the middleware's pins, and a real primary
with a real standby built from the machine's PostgreSQL binaries — reads go to the standby, and to the primary once
the standby is stopped."""

import glob
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.test import RequestFactory

from core import replica
from core.models import ApiToken, RoleGrant

BASE_DIR = Path(settings.BASE_DIR)


# The rules --------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "lag, usable", [(0.0, True), (5.0, True), (5.1, False), (None, False)]
)  # None: the server is not in recovery (a promoted standby, a wrong URL)
def test_a_standby_serves_reads_only_within_the_lag_limit(lag, usable):
    assert replica.lag_usable(lag, 5) is usable


@pytest.mark.parametrize("cookie, pinned", [(None, False), ("1000", False), ("1001", True), ("soon", False)])
def test_the_pin_cookie_holds_until_its_second(cookie, pinned):
    assert replica.pinned_until(cookie, 1000.5) is pinned


def test_who_may_do_what_is_always_read_on_the_primary():
    from django.contrib.auth.models import User
    from django.contrib.sessions.models import Session

    from households.models import Household

    assert all(replica.on_primary(model) for model in (User, Session, ApiToken, RoleGrant))
    assert not replica.on_primary(Household) and not replica.on_primary(ContentType)


# The middleware ---------------------------------------------------------------------------------------------------


def seen_by(request):
    """Run the middleware and tell whether the view ran with replica reads allowed, and the response."""
    seen = {}

    def view(request):
        from django.http import HttpResponse

        seen["allowed"] = replica._replica_allowed.get()
        return HttpResponse("ok")

    response = replica.ReplicaMiddleware(view)(request)
    return seen["allowed"], response


@pytest.mark.django_db
def test_a_write_pins_the_browser_and_the_api_client_to_the_primary():
    factory = RequestFactory()
    allowed, _ = seen_by(factory.get("/api/v1/households/"))
    assert allowed is True and replica._replica_allowed.get() is False  # reset after the request
    allowed, response = seen_by(factory.post("/api/v1/households/", HTTP_AUTHORIZATION="Token abc"))
    assert allowed is False
    cookie = response.cookies[replica.PIN_COOKIE]
    assert int(cookie.value) > time.time() + settings.JINGZHUN_REPLICA_PIN_SECONDS - 2 and cookie["httponly"]
    # The browser sends the cookie back; the API client keeps none, its Authorization header pins it.
    browser = factory.get("/households/")
    browser.COOKIES[replica.PIN_COOKIE] = cookie.value
    assert seen_by(browser)[0] is False
    assert seen_by(factory.get("/api/v1/households/", HTTP_AUTHORIZATION="Token abc"))[0] is False
    assert seen_by(factory.get("/api/v1/households/", HTTP_AUTHORIZATION="Token other"))[0] is True
    cache.clear()
    assert seen_by(factory.get("/api/v1/households/", HTTP_AUTHORIZATION="Token abc"))[0] is True


# A real primary and standby ---------------------------------------------------------------------------------------


def postgres_bin() -> Path | None:
    for folder in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True):
        if all(Path(folder, name).exists() for name in ("initdb", "pg_ctl", "pg_basebackup")):
            return Path(folder)
    return None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Cluster:
    """PostgreSQL servers in a temporary folder, run as the `postgres` system user when we are root."""

    def __init__(self, bin_dir: Path):
        self.bin = bin_dir
        self.root = Path(tempfile.mkdtemp(prefix="jz-replica-"))
        self.as_root = os.geteuid() == 0
        if self.as_root:
            shutil.chown(self.root, "postgres", "postgres")

    def run(self, name, *args):
        command = [str(self.bin / name), *map(str, args)]
        if self.as_root:
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, capture_output=True, timeout=120, cwd=self.root)  # noqa: S603 - our own arguments

    def start(self, data: Path, port: int):
        options = f"-p {port} -k {self.root} -c listen_addresses=127.0.0.1"
        self.run("pg_ctl", "-D", data, "-o", options, "-l", data.with_suffix(".log"), "-w", "start")

    def stop(self, data: Path):
        self.run("pg_ctl", "-D", data, "-m", "fast", "-w", "stop")


def django(env: dict, code: str) -> dict:
    """Run code in a Django process of this project against the two servers; it prints one JSON line."""
    done = subprocess.run(  # noqa: S603 - this project's manage.py
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


READS = """
import json, time
from django.contrib.contenttypes.models import ContentType
from django.db import connections, transaction
from core.replica import replica_reads
from django.db.utils import OperationalError, ProgrammingError
if {create}:
    with connections["default"].schema_editor() as editor:
        editor.create_model(ContentType)
    ContentType.objects.create(app_label="jz", model="replicated")
for _ in range(100):  # the standby replays the primary's writes within moments
    try:
        with connections["replica"].cursor() as cursor:
            cursor.execute("SELECT count(*) FROM django_content_type")
            if cursor.fetchone()[0]:
                break
    except ProgrammingError:  # the table is not replayed yet
        connections["replica"].close()
    except OperationalError:  # the standby is stopped
        connections["replica"].close()
        break
    time.sleep(0.1)
with replica_reads():
    rows = ContentType.objects.filter(app_label="jz")
    db, found = rows.db, rows.exists()
    with transaction.atomic():
        in_transaction = ContentType.objects.all().db
outside = ContentType.objects.all().db
print(json.dumps({{"db": db, "found": found, "in_transaction": in_transaction, "outside": outside}}))
"""


@pytest.mark.skipif(postgres_bin() is None, reason="no PostgreSQL server binaries (initdb, pg_basebackup) here")
def test_reads_go_to_a_real_standby_and_fall_back_to_the_primary_when_it_stops():
    cluster = Cluster(postgres_bin())
    primary, standby = cluster.root / "primary", cluster.root / "standby"
    primary_port, standby_port = free_port(), free_port()
    try:
        cluster.run("initdb", "-D", primary, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C")
        cluster.start(primary, primary_port)
        cluster.run("createdb", "-h", "127.0.0.1", "-p", primary_port, "-U", "postgres", "jz")
        cluster.run("pg_basebackup", "-h", "127.0.0.1", "-p", primary_port, "-U", "postgres", "-D", standby, "-R")
        cluster.start(standby, standby_port)
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DATABASE_URL": f"postgres://postgres@127.0.0.1:{primary_port}/jz",
            "DATABASE_REPLICA_URL": f"postgres://postgres@127.0.0.1:{standby_port}/jz",
        }
        up = django(env, READS.format(create=True))
        assert up == {"db": "replica", "found": True, "in_transaction": "default", "outside": "default"}
        cluster.stop(standby)
        down = django(env, READS.format(create=False))
        assert down == {"db": "default", "found": True, "in_transaction": "default", "outside": "default"}
    finally:
        for data in (standby, primary):
            if (data / "postmaster.pid").exists():
                cluster.stop(data)
        shutil.rmtree(cluster.root, ignore_errors=True)
