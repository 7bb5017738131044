"""`manage.py run_with_worker [ADDR:PORT]`: the development server and a job worker together (what `make run` starts).

The worker is a child process (`manage.py jobs_worker`, same settings and database: DATABASE_URL, or the embedded
PostgreSQL, which both processes share). Ctrl-C stops both (the terminal signals the whole group; a job under way is
stopped and marked failed, to be retried); SIGTERM to this process (a service manager, `kill`) stops the worker too.
"""

import signal
import subprocess
import sys
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand

MANAGE = Path(__file__).resolve().parents[3] / "manage.py"
GRACE_SECONDS = 15


def _exit_on_sigterm(signum, frame):
    sys.exit(128 + signum)


class Command(BaseCommand):
    help = "Serve with Django's development server and run job workers beside it; Ctrl-C stops them all."

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")
        parser.add_argument("--workers", type=int, default=1, help="how many job workers to start (default 1)")

    def handle(self, *, addrport, workers, verbosity, **options):
        signal.signal(signal.SIGTERM, _exit_on_sigterm)  # an ordinary exit: the finally below stops the workers
        command = [sys.executable, str(MANAGE), "jobs_worker", "--verbosity", str(verbosity)]
        children = [subprocess.Popen(command) for _ in range(max(workers, 0))]  # noqa: S603 - our own interpreter
        self.stdout.write(f"job workers: {', '.join(str(child.pid) for child in children) or 'none'}")
        try:
            call_command("runserver", addrport, use_reloader=False)
        finally:
            stop(children)


def stop(children) -> None:
    """Ask each worker to stop (SIGTERM), then end the ones still there after GRACE_SECONDS."""
    for child in children:
        if child.poll() is None:
            child.send_signal(signal.SIGTERM)
    for child in children:
        try:
            child.wait(timeout=GRACE_SECONDS)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()
