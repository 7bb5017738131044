"""gunicorn settings for `make serve` and production (`gunicorn -c config/gunicorn_conf.py config.wsgi`).

Request limits: gunicorn refuses on its own, with a plain-text 400, a request line or a header field
longer than 8190 bytes (its largest setting) or more than 100 header fields. The application's own
limits (MAX_URI_LENGTH, MAX_HEADER_LENGTH: 4096) are lower, so the requests that reach Django and are
too large get the API's JSON error (414 `uri_too_long`, 431 `header_too_large`). Only requests above
gunicorn's limits get gunicorn's answer; they are documented in the README.
"""

import os

bind = f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
limit_request_line = 8190
limit_request_fields = 100
limit_request_field_size = 8190
timeout = 120


def child_exit(server, worker):
    """A worker that ends leaves its metrics behind for the others (prometheus_client multiprocess mode)."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess  # only where the metrics folder is configured

        multiprocess.mark_process_dead(worker.pid)
