"""Assertions shared by the API tests."""

ERROR_KEYS = {"code", "detail"}


def assert_error(response, status, code):
    """The response is an error of the API's one format, with this status and code; returns the body."""
    assert response.status_code == status, response.content
    body = response.json()
    assert ERROR_KEYS <= set(body) <= ERROR_KEYS | {"errors"}
    assert body["code"] == code
    assert body["detail"]
    return body
