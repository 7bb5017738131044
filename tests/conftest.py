import pytest
from rest_framework.test import APIClient

from tests.factories import UserFactory, make_region, token_for

# A small tree: Zhenlai county with two townships, and a neighbouring county.
COUNTY = "220821000000"
TOWN_A = "220821100000"
TOWN_B = "220821101000"
VILLAGE_A1 = "220821100201"
VILLAGE_A2 = "220821100202"
VILLAGE_B1 = "220821101201"
OTHER_COUNTY = "220822000000"
OTHER_VILLAGE = "220822100201"


@pytest.fixture
def tree(db):
    """Regions of two counties; returns them by code."""
    codes = [VILLAGE_A1, VILLAGE_A2, VILLAGE_B1, OTHER_VILLAGE]
    for code in codes:
        make_region(code)
    from villages.models import Region

    return {r.code: r for r in Region.objects.all()}


@pytest.fixture
def users(tree):
    """One user per role, each over its natural region, plus a superuser and a user without grants."""
    return {
        "village_team": UserFactory(username="team", grants=[("village_team", VILLAGE_A1)]),
        "township_reviewer": UserFactory(username="town", grants=[("township_reviewer", TOWN_A)]),
        "county_officer": UserFactory(username="county", grants=[("county_officer", COUNTY)]),
        "inspector": UserFactory(username="inspector", grants=[("inspector", COUNTY)]),
        "api_client": UserFactory(username="client", grants=[("api_client", COUNTY)]),
        "nobody": UserFactory(username="nobody"),
        "superuser": UserFactory(username="root", is_superuser=True, is_staff=True),
    }


@pytest.fixture
def api():
    """api(user) → an APIClient that authenticates with the user's token (None: anonymous)."""

    def make(user=None):
        client = APIClient()
        if user is not None:
            client.credentials(HTTP_AUTHORIZATION=f"Token {token_for(user)}")
        return client

    return make


FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="session", autouse=True)
def fast_password_hashing_everywhere():
    """Real hashing costs a third of a second per user; tests check behaviour, not key stretching. Set for the
    whole session (each xdist worker has its own), so that users made by module- and session-scoped fixtures
    (the security `world`, seed data) are hashed fast too, not only those made inside a test."""
    from django.test import override_settings

    # API rate limits (core.api.throttling) are tested with limits of their own; elsewhere a test client may make
    # as many requests as it needs (the security matrix and the fuzzer make thousands).
    with override_settings(PASSWORD_HASHERS=FAST_HASHERS, JINGZHUN_API_RATE_LIMIT=10**6):
        yield


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """The same per test, kept for the tests and fixtures that ask for it by name."""
    settings.PASSWORD_HASHERS = FAST_HASHERS


@pytest.fixture(autouse=True)
def second_factor_off(settings):
    """County officers need a second factor (core/second_factor.py); the tests of it turn it on
    (tests/core/test_second_factor.py), the others test what comes after signing in."""
    settings.JINGZHUN_SECOND_FACTOR = False


def pytest_collection_modifyitems(items):
    """A test that commits (transaction=True) ends with a flush that empties every table, including the rows the
    data migrations wrote (poverty lines, national codes, policy standards). Each such test gets them back before
    it starts (Django's serialized rollback), so no test depends on which transactional test ran before it."""
    for item in items:
        marker = item.get_closest_marker("django_db")
        if marker is not None and marker.kwargs.get("transaction") and "serialized_rollback" not in marker.kwargs:
            item.add_marker(pytest.mark.django_db(**marker.kwargs, serialized_rollback=True), append=False)
