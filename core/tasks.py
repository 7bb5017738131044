"""The queue's one task (django-tasks): run a core.Job by its id. Every job kind goes through it (core.jobs)."""

from django_tasks import task


@task()
def run_job(job_id: int) -> str:
    """Run the job (core.jobs.run): its end state, or the state that made this delivery do nothing."""
    from core.jobs import run

    return run(job_id)
