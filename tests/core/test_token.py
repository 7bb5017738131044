"""The token endpoint: tokens for good credentials, lock-out per name and address, rate limit, token life."""

import importlib
from datetime import timedelta

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.cache import caches
from django.core.cache.backends.db import DatabaseCache
from django.db import connection
from django.utils import timezone

from core import tokens
from core.api.views import TokenThrottle
from core.models import ApiRateCounter, ApiToken, SignInLock
from tests.assertions import assert_error
from tests.factories import PASSWORD, UserFactory, token_for

pytestmark = pytest.mark.django_db
URL = "/api/v1/auth/token/"


@pytest.fixture(autouse=True)
def clear_throttle_cache():
    from django.core.cache import cache

    cache.clear()


def post(api, username, password, **extra):
    return api().post(URL, {"username": username, "password": password}, format="json", **extra)


def authenticated(api, token):
    client = api()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


def test_good_credentials_give_a_token_that_authenticates(api, users):
    response = post(api, "county", PASSWORD)
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    assert set(response.json()) == {"token"}  # the client contract of api.md
    token = response.json()["token"]
    assert authenticated(api, token).get("/api/v1/regions/").status_code == 200


def test_bad_credentials_are_a_clear_400(api, users):
    response = post(api, "county", "wrong")
    assert response.status_code == 400
    assert response.json() == {"code": "invalid_credentials", "detail": "用户名或密码不正确。"}


def test_missing_fields_are_field_errors(api, db):
    response = api().post(URL, {"username": "x"}, format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert body["errors"]["password"][0]["code"] == "required"


def test_repeated_failures_lock_the_account_even_for_the_right_password(api, users, settings):
    for _ in range(settings.JINGZHUN_LOCKOUT_FAILURES - 1):
        assert post(api, "county", "wrong").status_code == 400
    locked = post(api, "county", "wrong")
    assert locked.status_code == 429
    assert locked.json()["code"] == "account_locked"
    assert int(locked["Retry-After"]) > 0
    assert post(api, "county", PASSWORD).json()["code"] == "account_locked"
    # Other accounts are not affected.
    assert post(api, "team", PASSWORD).status_code == 200


def test_the_lock_expires(api, users, settings):
    SignInLock.objects.create(
        username="county", address="127.0.0.1", locked_until=timezone.now() - timezone.timedelta(seconds=1)
    )
    assert post(api, "county", PASSWORD).status_code == 200
    assert not SignInLock.objects.filter(username="county", address="127.0.0.1").exists()


def test_a_success_resets_the_failure_count(api, users, settings):
    for _ in range(settings.JINGZHUN_LOCKOUT_FAILURES - 1):
        post(api, "county", "wrong")
    assert post(api, "county", PASSWORD).status_code == 200
    assert post(api, "county", "wrong").status_code == 400  # counting starts again


def test_an_unknown_name_answers_exactly_like_a_locked_existing_one(api, users, settings):
    """After the same failures, a name that does not exist gets the same status, code and body."""
    for _ in range(settings.JINGZHUN_LOCKOUT_FAILURES):
        post(api, "county", "wrong")
        post(api, "ghost", "wrong")
    # The same lock end for both, so the sentence (it names the time) cannot differ by a clock tick.
    SignInLock.objects.filter(username__in=["county", "ghost"], address="127.0.0.1").update(
        locked_until=timezone.now() + timedelta(minutes=10)
    )
    known, unknown = post(api, "county", "wrong"), post(api, "ghost", "wrong")
    assert known.status_code == unknown.status_code == 429
    assert known.json()["code"] == "account_locked"
    assert unknown.json() == known.json()
    assert unknown["Retry-After"] == known["Retry-After"]


def test_a_lock_holds_only_for_the_address_the_failures_came_from(api, users, settings):
    """Someone failing from one address cannot lock the owner out on another."""
    for _ in range(settings.JINGZHUN_LOCKOUT_FAILURES):
        post(api, "county", "wrong", REMOTE_ADDR="203.0.113.9")
    assert post(api, "county", PASSWORD, REMOTE_ADDR="203.0.113.9").json()["code"] == "account_locked"
    owner = post(api, "county", PASSWORD, REMOTE_ADDR="198.51.100.7")
    assert owner.status_code == 200, owner.content


def test_failures_from_many_addresses_slow_the_name_down_without_locking_it(api, users, settings):
    """Past the name-wide count every attempt waits a short delay (429 throttled), known or unknown name."""
    for name in ("county", "ghost"):
        for n in range(settings.JINGZHUN_SIGNIN_NAME_FAILURES):
            post(api, name, "wrong", REMOTE_ADDR=f"203.0.113.{n}")
    for name in ("county", "ghost"):
        held = post(api, name, PASSWORD, REMOTE_ADDR="198.51.100.7")
        body = assert_error(held, 429, "throttled")
        assert 0 < int(held["Retry-After"]) <= settings.JINGZHUN_SIGNIN_NAME_DELAY_SECONDS
        assert body["detail"] == "此用户名的登录尝试过多，请稍后再试。"
    # Once the short delay is over the owner gets in: slowed, not locked.
    SignInLock.objects.filter(address=SignInLock.ALL_ADDRESSES).update(locked_until=timezone.now())
    assert post(api, "county", PASSWORD, REMOTE_ADDR="198.51.100.7").status_code == 200


def test_inactive_users_get_no_token(api, db):
    UserFactory(username="gone", is_active=False)
    assert post(api, "gone", PASSWORD).status_code == 400


def test_requests_are_rate_limited_per_client(api, users, monkeypatch):
    monkeypatch.setattr(TokenThrottle, "THROTTLE_RATES", {"token": "3/min"})
    for _ in range(3):
        post(api, "ghost", "wrong")
    response = post(api, "ghost", "wrong")
    assert response.status_code == 429
    assert response.json()["code"] == "throttled"


def test_forwarded_for_headers_do_not_make_new_clients(api, users, monkeypatch):
    """Without configured proxies X-Forwarded-For is ignored: varied values from one address are one client."""
    monkeypatch.setattr(TokenThrottle, "THROTTLE_RATES", {"token": "3/min"})
    answers = [
        post(api, "ghost", "wrong", REMOTE_ADDR="192.0.2.1", HTTP_X_FORWARDED_FOR=f"10.0.{n}.1").status_code
        for n in range(4)
    ]
    assert answers == [400, 400, 400, 429]


def test_forwarded_for_counts_only_the_entry_our_proxies_wrote(api, users, monkeypatch, settings):
    """With JINGZHUN_NUM_PROXIES=1 the last X-Forwarded-For entry is the client; what precedes it is ignored."""
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    monkeypatch.setattr(TokenThrottle, "THROTTLE_RATES", {"token": "3/min"})
    forged = [
        post(api, "ghost", "wrong", REMOTE_ADDR="192.0.2.1", HTTP_X_FORWARDED_FOR=f"10.0.{n}.1, 198.51.100.7")
        for n in range(4)
    ]
    assert [r.status_code for r in forged] == [400, 400, 400, 429]
    other = post(api, "ghost", "wrong", REMOTE_ADDR="192.0.2.1", HTTP_X_FORWARDED_FOR="198.51.100.8")
    assert other.status_code == 400


def test_the_rate_limit_counter_lives_in_the_database(api, users, settings):
    """Every worker sees one count: the throttle writes to PostgreSQL's cache table, not process memory."""
    assert isinstance(caches["default"], DatabaseCache)
    for _ in range(3):
        post(api, "ghost", "wrong")
    key = TokenThrottle.cache_format % {"scope": "token", "ident": "127.0.0.1"}
    fresh = caches.create_connection("default")  # what another process builds from the settings
    assert len(fresh.get(key)) == 3
    table = settings.CACHES["default"]["LOCATION"]
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT count(*) FROM "{table}"')  # noqa: S608 - the table name comes from settings
        assert cursor.fetchone()[0] >= 1


# The tokens themselves.


def test_only_the_digest_of_a_token_is_stored(api, users):
    token = post(api, "county", PASSWORD).json()["token"]
    row = ApiToken.objects.get(user=users["county_officer"])
    assert row.digest == tokens.digest(token) != token
    assert not ApiToken.objects.filter(digest=token).exists()


def test_tokens_live_30_days_for_people_and_365_for_api_clients(api, users):
    before = timezone.now()
    post(api, "county", PASSWORD)
    post(api, "client", PASSWORD)
    person = ApiToken.objects.get(user=users["county_officer"]).expires_at - before
    client = ApiToken.objects.get(user=users["api_client"]).expires_at - before
    assert timedelta(days=30) <= person < timedelta(days=30, minutes=1)
    assert timedelta(days=365) <= client < timedelta(days=365, minutes=1)


def test_lifetime_rule():
    """Only a user whose every role is api_client (and who is no superuser) is a machine client."""
    days = {"people_days": 30, "client_days": 365}
    assert tokens.lifetime_days(roles={"api_client"}, unrestricted=False, **days) == 365
    assert tokens.lifetime_days(roles={"api_client", "inspector"}, unrestricted=False, **days) == 30
    assert tokens.lifetime_days(roles=set(), unrestricted=False, **days) == 30
    assert tokens.lifetime_days(roles={"api_client"}, unrestricted=True, **days) == 30


def test_an_expired_token_is_401_with_a_clear_detail(api, users):
    token = token_for(users["county_officer"])
    ApiToken.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    body = assert_error(authenticated(api, token).get("/api/v1/regions/"), 401, "not_authenticated")
    assert "过期" in body["detail"]


def test_delete_logs_out_only_the_token_used(api, users):
    first, second = token_for(users["county_officer"]), token_for(users["county_officer"])
    response = authenticated(api, first).delete(URL)
    assert response.status_code == 204
    assert_error(authenticated(api, first).get("/api/v1/regions/"), 401, "not_authenticated")
    assert authenticated(api, second).get("/api/v1/regions/").status_code == 200


def test_delete_needs_the_token_itself(api, client, users):
    assert_error(api().delete(URL), 401, "not_authenticated")
    client.force_login(users["county_officer"])
    assert client.delete(URL).status_code == 401  # a session does not log a token out
    assert ApiToken.objects.count() == 0


def test_signing_in_ignores_a_stale_token_in_the_header(api, users):
    assert authenticated(api, "stale").post(URL, {"username": "county", "password": PASSWORD}).status_code == 200


def test_a_password_change_revokes_every_token_of_the_user(api, users):
    user = users["county_officer"]
    tokens_before = [token_for(user), token_for(user)]
    other = token_for(users["village_team"])
    user.set_password("Another-Zhenlai-2018!")
    user.save()
    for token in tokens_before:
        assert_error(authenticated(api, token).get("/api/v1/regions/"), 401, "not_authenticated")
    assert authenticated(api, other).get("/api/v1/regions/").status_code == 200


def test_a_password_change_revokes_tokens_that_were_used(api, users):
    """A used token has a rate counter (core_apiratecounter): the revocation takes it too, and the change succeeds."""
    user = users["county_officer"]
    token = token_for(user)
    assert authenticated(api, token).get("/api/v1/regions/").status_code == 200
    assert ApiRateCounter.objects.filter(token__user=user).exists()
    user.set_password("Another-Zhenlai-2018!")
    user.save()
    assert not ApiRateCounter.objects.exists()
    assert_error(authenticated(api, token).get("/api/v1/regions/"), 401, "not_authenticated")


def test_no_path_around_the_revocation(api, users):
    """A database trigger revokes: even a bulk update of the password hash takes the tokens."""
    user = users["county_officer"]
    token = token_for(user)
    get_user_model().objects.filter(pk=user.pk).update(password="!unusable")
    assert_error(authenticated(api, token).get("/api/v1/regions/"), 401, "not_authenticated")


def test_saving_a_user_without_a_new_password_keeps_the_tokens(api, users):
    user = users["county_officer"]
    token = token_for(user)
    user.first_name = "李"
    user.last_login = timezone.now()
    user.save()
    assert authenticated(api, token).get("/api/v1/regions/").status_code == 200


def test_drf_tokens_are_carried_over_as_digests(api, users):
    """The data migration keeps existing clients working and leaves no usable token behind."""
    user = users["api_client"]
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE authtoken_token (key varchar(40) PRIMARY KEY, created timestamptz NOT NULL, user_id integer)"
        )
        cursor.execute("INSERT INTO authtoken_token VALUES ('0123456789abcdef0123456789abcdef01234567', now(), %s)", [user.pk])
    migration = importlib.import_module("core.migrations.0004_api_tokens_sign_in_by_address")
    migration.copy_drf_tokens(apps, connection.schema_editor(atomic=False))
    client = authenticated(api, "0123456789abcdef0123456789abcdef01234567")
    assert client.get("/api/v1/regions/").status_code == 200
    assert ApiToken.objects.get(user=user).expires_at > timezone.now() + timedelta(days=364)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM authtoken_token")
        assert cursor.fetchone()[0] == 0


def test_the_schema_documents_logging_out_with_the_token(client):
    schema = client.get("/api/schema/?format=json").json()
    delete = schema["paths"]["/api/v1/auth/token/"]["delete"]
    assert set(delete["responses"]) >= {"204", "401"}
    assert delete["security"] == [{"tokenAuth": []}]
    assert schema["components"]["securitySchemes"]["tokenAuth"]["name"] == "Authorization"
