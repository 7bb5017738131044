from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from core import embedded_pg


class Command(BaseCommand):
    help = "Status or stop of the embedded PostgreSQL (used when DATABASE_URL is unset)."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["status", "stop"])

    def handle(self, *args, action, **options):
        db = settings.DATABASES["default"]
        if "PGDATA" not in db:
            raise CommandError("DATABASE_URL is set: the embedded PostgreSQL is not in use")
        pgdata = db["PGDATA"]
        if action == "status":
            pid = embedded_pg.running_pid(pgdata)
            state = f"running (pid {pid})" if pid else "stopped"
            self.stdout.write(f"embedded PostgreSQL at {pgdata}: {state}")
        else:
            stopped = embedded_pg.stop(pgdata)
            self.stdout.write(f"embedded PostgreSQL at {pgdata}: {'stopped' if stopped else 'was not running'}")
