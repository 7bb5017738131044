"""History of registry rows (变更记录), recorded by database triggers (django-pghistory)."""

import pghistory


def track_changes():
    """Record every insert, update and delete of the model, with the request's audit context."""
    return pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
