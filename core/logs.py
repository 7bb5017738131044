"""Structured logs: one JSON object a line, each carrying the request id the response echoes.

`AuditContextMiddleware` sets the request id for the time of a request; every log record written
meanwhile (ours, Django's, a library's) gets it through `RequestIdFilter`, and the middleware writes
one line per request on the logger `jingzhun.request` (method, path, status, duration, user id).
Production settings log as JSON (`JsonFormatter`); development as plain text.
"""

import contextvars
import datetime
import json
import logging

REQUEST_ID: contextvars.ContextVar[str] = contextvars.ContextVar("jingzhun_request_id", default="-")

_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime", "request_id"}


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = REQUEST_ID.get()
        return True


class JsonFormatter(logging.Formatter):
    """A record as one JSON object: time, level, logger, message, request id and any extra fields."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.datetime.fromtimestamp(record.created, datetime.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", "-"),
        }
        entry.update({key: value for key, value in vars(record).items() if key not in _STANDARD})
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)
