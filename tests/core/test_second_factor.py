"""The second factor: county officers and superusers enrol an authenticator and give its code at every
sign-in, on the pages and for API tokens; a village team may go without."""

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.assertions import assert_error
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def second_factor_on(settings):
    settings.JINGZHUN_SECOND_FACTOR = True


def code_for(device: TOTPDevice, offset: int = 0) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = totp.time + offset * device.step if offset else totp.time
    return f"{totp.token():06d}"


def test_a_county_officer_is_sent_to_enrol_and_then_asked_for_a_code(client, users):
    client.force_login(users["county_officer"])
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith("/account/second-factor/")
    page = client.get("/account/second-factor/")
    assert page.status_code == 200 and b"<svg" in page.content and b"otp-secret" in page.content
    device = TOTPDevice.objects.get(user=users["county_officer"], confirmed=False)

    wrong = client.post("/account/second-factor/", {"code": "000000" if code_for(device) != "000000" else "111111"})
    assert wrong.status_code == 200 and "验证码不正确".encode() in wrong.content
    assert not TOTPDevice.objects.get(pk=device.pk).confirmed
    assert client.get("/").status_code == 302  # still not through
    throttled = client.post("/account/second-factor/", {"code": code_for(device)})
    assert "错误次数过多".encode() in throttled.content  # a wrong code holds the next try back a moment
    TOTPDevice.objects.get(pk=device.pk).throttle_reset()

    done = client.post("/account/second-factor/", {"code": code_for(device), "next": "/"})
    assert done.status_code == 302 and done["Location"] == "/"
    assert TOTPDevice.objects.get(pk=device.pk).confirmed
    assert client.get("/").status_code == 200

    # The next sign-in asks for the code again (no new enrolment).
    client.logout()
    client.force_login(users["county_officer"])
    assert client.get("/").status_code == 302
    verify = client.get("/account/second-factor/")
    assert b"<svg" not in verify.content


def test_a_village_team_member_is_not_asked_unless_enrolled(client, users):
    client.force_login(users["village_team"])
    assert client.get("/").status_code == 200


def test_an_outside_next_address_is_not_followed(client, users):
    client.force_login(users["county_officer"])
    client.get("/account/second-factor/")
    device = TOTPDevice.objects.get(user=users["county_officer"])
    done = client.post("/account/second-factor/", {"code": code_for(device), "next": "https://evil.example/"})
    assert done["Location"] == "/"


def test_a_token_for_a_county_officer_needs_the_code(api, users):
    officer = users["county_officer"]
    url = "/api/v1/auth/token/"
    assert_error(api().post(url, {"username": "county", "password": PASSWORD}, format="json"), 403, "second_factor_not_enrolled")
    device = TOTPDevice.objects.create(user=officer, name="authenticator", confirmed=True)
    assert_error(api().post(url, {"username": "county", "password": PASSWORD}, format="json"), 401, "second_factor_required")
    bad = "123456" if code_for(device) != "123456" else "654321"
    assert_error(
        api().post(url, {"username": "county", "password": PASSWORD, "otp": bad}, format="json"), 401, "second_factor_required"
    )
    device.refresh_from_db()
    device.throttling_failure_count = 0
    device.throttling_failure_timestamp = None
    device.save()
    good = api().post(url, {"username": "county", "password": PASSWORD, "otp": code_for(device)}, format="json")
    assert good.status_code == 200 and good.json()["token"]
    # A village team member without a device needs no code.
    assert api().post(url, {"username": "team", "password": PASSWORD}, format="json").status_code == 200
