"""The token endpoint: tokens for good credentials, lock-out after repeated failures, rate limit."""

import pytest
from django.utils import timezone

from core.api.views import TokenThrottle
from core.models import SignInLock
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db
URL = "/api/v1/auth/token/"


@pytest.fixture(autouse=True)
def clear_throttle_cache():
    from django.core.cache import cache

    cache.clear()


def post(api, username, password):
    return api().post(URL, {"username": username, "password": password}, format="json")


def test_good_credentials_give_a_token_that_authenticates(api, users):
    response = post(api, "county", PASSWORD)
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    token = response.json()["token"]
    client = api()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert client.get("/api/v1/regions/").status_code == 200


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
    SignInLock.objects.create(username="county", locked_until=timezone.now() - timezone.timedelta(seconds=1))
    assert post(api, "county", PASSWORD).status_code == 200
    assert not SignInLock.objects.filter(username="county").exists()


def test_a_success_resets_the_failure_count(api, users, settings):
    for _ in range(settings.JINGZHUN_LOCKOUT_FAILURES - 1):
        post(api, "county", "wrong")
    assert post(api, "county", PASSWORD).status_code == 200
    assert post(api, "county", "wrong").status_code == 400  # counting starts again


def test_failures_for_unknown_names_store_nothing(api, db):
    for _ in range(10):
        assert post(api, "ghost", "wrong").status_code == 400
    assert SignInLock.objects.count() == 0


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
