"""Operations: metrics for the machine itself only, one structured log line per request with its id."""

import json
import logging

import pytest

from core.logs import JsonFormatter, RequestIdFilter

pytestmark = pytest.mark.django_db


def test_metrics_answer_the_machine_itself_and_nobody_else(client):
    local = client.get("/metrics", REMOTE_ADDR="127.0.0.1")
    assert local.status_code == 200 and b"django_http_requests" in local.content
    assert client.get("/metrics", REMOTE_ADDR="10.1.2.3").status_code == 404
    # Through a proxy on the same machine, the request carries X-Forwarded-For: refused too.
    assert client.get("/metrics", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9").status_code == 404


def test_each_request_is_logged_once_with_the_id_the_response_echoes(client, caplog):
    caplog.set_level(logging.INFO, logger="jingzhun.request")
    response = client.get("/healthz", HTTP_X_REQUEST_ID="trace-12345678")
    assert response["X-Request-ID"] == "trace-12345678"
    lines = [r for r in caplog.records if r.name == "jingzhun.request"]
    assert len(lines) == 1
    record = lines[0]
    RequestIdFilter().filter(record)  # outside the request the id is reset: "-"
    entry = json.loads(JsonFormatter().format(record))
    assert entry["path"] == "/healthz" and entry["status"] == 200 and entry["method"] == "GET"
    assert entry["duration_ms"] >= 0 and entry["logger"] == "jingzhun.request"


def test_a_record_written_during_a_request_carries_its_id(client, caplog):
    seen = []

    class Keep(logging.Handler):
        def emit(self, record):
            seen.append(getattr(record, "request_id", None))

    handler = Keep()
    handler.addFilter(RequestIdFilter())
    logger = logging.getLogger("jingzhun.request")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    try:
        client.get("/healthz", HTTP_X_REQUEST_ID="trace-abcdefgh")
    finally:
        logger.removeHandler(handler)
        logger.setLevel(logging.NOTSET)
    assert seen == ["trace-abcdefgh"]
