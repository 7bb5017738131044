"""History of registry rows (变更记录), recorded by database triggers (django-pghistory)."""

import pghistory


def track_changes(*, table: str | None = None):
    """Record every insert, update and delete of the model, with the request's audit context.

    `table` names the event table when it must not follow the app (a model moved between apps
    keeps its history table, and the rows in it).
    """
    meta = {"db_table": table} if table else None
    return pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent(), meta=meta)
