"""Django's PostgreSQL backend, pointed at the embedded server, which it starts on first connect."""

import threading

import psycopg2
from django.db.backends.postgresql import base as postgresql

from core import embedded_pg
from core.database import EMBEDDED_DATABASE_NAME

_created: set[tuple[str, str]] = set()
_created_lock = threading.Lock()


def _ensure_database(socket_dir: str, name: str) -> None:
    """Create the application database on a fresh server (the test database is made by Django)."""
    key = (socket_dir, name)
    with _created_lock:
        if key in _created:
            return
        conn = psycopg2.connect(host=socket_dir, user="postgres", dbname="postgres")
        try:
            conn.autocommit = True
            with conn.cursor() as cur:
                cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
                if cur.fetchone() is None:
                    cur.execute(f'CREATE DATABASE "{name}"')
        finally:
            conn.close()
        _created.add(key)


class DatabaseWrapper(postgresql.DatabaseWrapper):
    def get_connection_params(self):
        server = embedded_pg.start(self.settings_dict["PGDATA"])
        self.settings_dict["HOST"] = str(server.socket_dir)
        self.settings_dict["PORT"] = ""
        self.settings_dict["USER"] = "postgres"
        if self.settings_dict.get("NAME") == EMBEDDED_DATABASE_NAME:
            _ensure_database(str(server.socket_dir), EMBEDDED_DATABASE_NAME)
        return super().get_connection_params()
