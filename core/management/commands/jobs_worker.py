"""`manage.py jobs_worker`: a worker of the job queue (make worker; make run starts one beside the web server).

django-tasks' database worker (`db_worker`: the same options), plus what core.jobs needs: at start and every
JINGZHUN_JOB_SWEEP_SECONDS, jobs whose worker died are marked failed (core.jobs.sweep_stale_jobs). Start as many as
the machine has cores to spare, here or on another machine with the same DATABASE_URL; each takes one job at a time.
Ctrl-C or SIGTERM finishes the job under way, then stops (twice: stops at once; the job is marked failed).
"""

import threading

from django.conf import settings
from django.db import connections
from django_tasks_db.management.commands import db_worker

from core.jobs import sweep_stale_jobs


class Sweeper(threading.Thread):
    """Marks dead workers' jobs failed every `interval` seconds, on its own connection."""

    def __init__(self, interval: float):
        super().__init__(name="jobs-sweeper", daemon=True)
        self.interval = interval
        self.stopped = threading.Event()

    def run(self):
        while not self.stopped.wait(self.interval):
            try:
                sweep_stale_jobs()
            except Exception:  # noqa: BLE001 - the sweeper must outlive a lost connection; the next round retries
                db_worker.logger.warning("sweep of stale jobs failed", exc_info=True)
            finally:
                connections.close_all()


class Command(db_worker.Command):
    help = "Run a worker of the job queue (core.Job): takes queued jobs one at a time; marks dead workers' jobs failed."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.set_defaults(reload=False)

    def handle(self, *args, **options):
        marked = sweep_stale_jobs()
        if marked:
            self.stderr.write(f"{marked} job(s) of a stopped worker marked failed")
        Sweeper(settings.JINGZHUN_JOB_SWEEP_SECONDS).start()
        super().handle(*args, **options)
