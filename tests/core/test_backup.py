"""Backup and restore (R9): seed, back up, restore into a fresh database; every table's row count and the
county summary are equal. A damaged file, a missing key and a non-empty target are refused."""

import json
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import psycopg2
import pytest
from django.conf import settings
from django.db import connection

from core.backup import BackupError, back_up, restore, table_row_counts
from tests.reports.test_summaries import AS_OF, COUNTY, county, direct  # noqa: F401 - the constructed county

pytestmark = pytest.mark.django_db(transaction=True)

SUMMARY_SCRIPT = (
    "import datetime, json; from villages.models import Region; from reports.selectors import region_summary; "
    f"day = datetime.date.fromisoformat('{AS_OF}'); "
    f"print(json.dumps(region_summary(region=Region.objects.get(code='{COUNTY}'), as_of=day), default=str))"
)


def _params() -> dict:
    connection.ensure_connection()
    return connection.get_connection_params()


def _admin_cursor():
    params = _params()
    conn = psycopg2.connect(
        dbname="postgres", host=params.get("host"), port=params.get("port"), user=params.get("user"),
        password=params.get("password"),
    )
    conn.autocommit = True
    return conn


@pytest.fixture
def empty_database():
    """A fresh, empty database beside the test database; its DATABASE_URL; dropped afterwards."""
    name = f"{settings.DATABASES['default']['NAME']}_restored"
    params = _params()
    admin = _admin_cursor()
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}"')
    host = quote(str(params.get("host") or "127.0.0.1"), safe="")
    port = f":{params['port']}" if params.get("port") else ""
    password = f":{quote(params['password'])}" if params.get("password") else ""
    yield f"postgres://{params.get('user') or 'postgres'}{password}@{host}{port}/{name}"
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.close()


def manage(database_url: str, *arguments: str, key: str | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "DATABASE_URL": database_url}
    env.pop("JINGZHUN_BACKUP_KEY", None)
    if key:
        env["JINGZHUN_BACKUP_KEY"] = key
    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *arguments], cwd=settings.BASE_DIR, env=env, capture_output=True, text=True,
        check=False, timeout=300,
    )


def test_a_backup_restores_into_a_fresh_database_with_every_count_and_the_summary_equal(
    county, tmp_path, empty_database, monkeypatch  # noqa: F811
):
    monkeypatch.delenv("JINGZHUN_BACKUP_KEY", raising=False)
    summary = direct(AS_OF)
    counts = table_row_counts()
    backup = back_up(tmp_path)
    manifest = json.loads(backup.manifest.read_text())
    assert manifest["row_counts"] == counts and manifest["encrypted"] is False
    assert manifest["migrations"] and all("." in name for name in manifest["migrations"])

    restored = manage(empty_database, "restore", str(backup.dump))
    assert restored.returncode == 0, restored.stderr
    assert "every count matches the manifest" in restored.stdout
    printed = manage(empty_database, "shell", "-c", SUMMARY_SCRIPT)
    assert printed.returncode == 0, printed.stderr
    assert json.loads(printed.stdout.strip().splitlines()[-1]) == summary

    again = manage(empty_database, "restore", str(backup.dump))
    assert again.returncode != 0 and "already holds" in again.stderr
    forced = manage(empty_database, "restore", "--force", str(backup.dump))
    assert forced.returncode == 0, forced.stderr


def test_an_encrypted_backup_needs_its_key_and_a_changed_file_is_refused(county, tmp_path, empty_database, monkeypatch):  # noqa: F811
    monkeypatch.setenv("JINGZHUN_BACKUP_KEY", "a-long-random-key-kept-off-the-machine")
    backup = back_up(tmp_path)
    assert backup.dump.name.endswith(".dump.enc")
    assert not backup.dump.read_bytes().startswith(b"PGDMP")  # pg_dump's magic is not visible: encrypted

    assert manage(empty_database, "restore", str(backup.dump)).returncode != 0  # no key given
    wrong = manage(empty_database, "restore", str(backup.dump), key="not-the-key")
    assert wrong.returncode != 0
    right = manage(empty_database, "restore", str(backup.dump), key="a-long-random-key-kept-off-the-machine")
    assert right.returncode == 0, right.stderr

    damaged = bytearray(backup.dump.read_bytes())
    damaged[len(damaged) // 2] ^= 0xFF
    backup.dump.write_bytes(bytes(damaged))
    with pytest.raises(BackupError, match="does not match its manifest"):
        restore(backup.dump, force=True)


def test_a_backup_without_its_manifest_is_refused(tmp_path):
    orphan = Path(tmp_path) / "jingzhun-20260101T000000Z.dump"
    orphan.write_bytes(b"PGDMP")
    with pytest.raises(BackupError, match="manifest"):
        restore(orphan)
