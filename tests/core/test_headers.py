"""Security headers on every answer and page-session limits (idle and absolute)."""

import time

import pytest

from core.middleware import SESSION_SEEN, SESSION_STARTED

pytestmark = pytest.mark.django_db


def test_pages_carry_a_policy_that_forbids_inline_and_outside_script(client, users):
    client.force_login(users["village_team"])
    response = client.get("/")
    policy = response["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    assert directives["script-src"] == "'self'"  # no 'unsafe-inline', no other host
    assert directives["default-src"] == "'self'" and directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]
    assert "<script>" not in response.content.decode()


def test_the_api_docs_load_their_script_from_the_server_not_inline(client, users):
    client.force_login(users["county_officer"])
    page = client.get("/api/docs/").content.decode()
    assert "<script>" not in page and "?script" in page


def _age(client, *, idle: int = 0, started: int = 0) -> None:
    session = client.session
    now = int(time.time())
    session[SESSION_SEEN] = now - idle
    session[SESSION_STARTED] = now - started
    session.save()


def test_an_idle_page_session_is_signed_out_and_sent_to_sign_in(client, users, settings):
    settings.JINGZHUN_SESSION_IDLE_MINUTES = 30
    client.force_login(users["village_team"])
    assert client.get("/").status_code == 200
    _age(client, idle=29 * 60, started=29 * 60)
    assert client.get("/").status_code == 200  # still within the limit, and the activity moves it on
    _age(client, idle=31 * 60, started=31 * 60)
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")
    assert client.get("/").status_code == 302  # the session is gone, not only refused once


def test_a_session_ends_after_its_lifetime_even_when_busy(client, users, settings):
    settings.JINGZHUN_SESSION_HOURS = 12
    client.force_login(users["village_team"])
    _age(client, idle=0, started=12 * 3600 + 60)
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_the_sign_in_marks_the_session_start(client, users):
    client.force_login(users["village_team"])
    assert SESSION_STARTED in client.session and SESSION_SEEN in client.session
