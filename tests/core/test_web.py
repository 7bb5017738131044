"""The web shell: sign-in with lock-out, the home page, languages, static files from this server."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.conftest import VILLAGE_A1
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def test_pages_need_sign_in(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_login_page_speaks_chinese_by_default(client):
    page = client.get("/login/").content.decode()
    assert '<html lang="zh-hans">' in page
    assert "登录" in page


def test_pages_ignore_the_browser_language(client):
    page = client.get("/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="zh-hans">' in page


def test_api_errors_follow_accept_language(client, db):
    body = client.get("/api/v1/regions/", HTTP_ACCEPT_LANGUAGE="en").json()
    assert body["code"] == "not_authenticated"
    assert "credentials" in body["detail"]


def test_english_is_available(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/login/"})
    assert response.status_code == 302
    page = client.get("/login/").content.decode()
    assert '<html lang="en">' in page
    assert "Sign in" in page and "用户名" not in page


def test_home_shows_who_you_are_and_your_roles(client, users):
    response = client.post("/login/", {"username": "team", "password": PASSWORD})
    assert response.status_code == 302
    page = client.get("/").content.decode()
    assert "team" in page
    assert "驻村工作队" in page and VILLAGE_A1 in page
    assert 'href="/admin/"' in page and 'href="/api/docs/"' in page


def test_user_without_roles_is_told_so(client, users):
    client.force_login(users["nobody"])
    page = client.get("/").content.decode()
    assert 'id="no-grants"' in page
    assert 'id="admin-link"' not in page


def test_login_form_counts_toward_the_lockout(client, users, settings):
    for _ in range(settings.JINGZHUN_LOCKOUT_FAILURES):
        page = client.post("/login/", {"username": "team", "password": "wrong"}).content.decode()
    assert "账号已锁定" in page
    page = client.post("/login/", {"username": "team", "password": PASSWORD}).content.decode()
    assert "账号已锁定" in page
    assert "_auth_user_id" not in client.session


def test_the_login_page_locks_per_address_like_the_api(client, users, settings):
    """Failures from one address lock the name there only; an unknown name is told exactly the same."""
    from core.models import SignInLock

    for _ in range(settings.JINGZHUN_LOCKOUT_FAILURES):
        client.post("/login/", {"username": "team", "password": "wrong"}, REMOTE_ADDR="203.0.113.9")
        client.post("/login/", {"username": "ghost", "password": "wrong"}, REMOTE_ADDR="203.0.113.9")
    until = timezone.now() + timedelta(minutes=10)
    SignInLock.objects.filter(address="203.0.113.9").update(locked_until=until)  # one lock end for both
    known = client.post("/login/", {"username": "team", "password": PASSWORD}, REMOTE_ADDR="203.0.113.9")
    unknown = client.post("/login/", {"username": "ghost", "password": PASSWORD}, REMOTE_ADDR="203.0.113.9")
    assert "账号已锁定" in known.content.decode()
    errors = [r.context["form"].errors.as_data()["__all__"] for r in (known, unknown)]
    assert [(e.code, e.messages) for e in errors[0]] == [(e.code, e.messages) for e in errors[1]]
    owner = client.post("/login/", {"username": "team", "password": PASSWORD}, REMOTE_ADDR="198.51.100.7")
    assert owner.status_code == 302


def test_logout(client, users):
    client.force_login(users["village_team"])
    assert client.post("/logout/").status_code == 302
    assert client.get("/").status_code == 302


def test_pages_load_nothing_from_outside(client, users):
    client.force_login(users["county_officer"])
    for url in ("/", "/login/", "/admin/"):
        page = client.get(url).content.decode()
        for marker in ('src="http', 'href="http', "src='http", "href='http", 'src="//', 'href="//'):
            assert marker not in page, (url, marker)


def test_vendored_assets_are_served(client):
    from django.contrib.staticfiles import finders

    assert finders.find("vendor/bootstrap/bootstrap.min.css")
    assert finders.find("vendor/bootstrap/bootstrap.bundle.min.js")


def test_html_404_outside_the_api(client, users):
    client.force_login(users["village_team"])
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "text/html" in response["Content-Type"]
