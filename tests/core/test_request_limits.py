"""Over-long URLs and headers are refused in the documented error format, by us and not by gunicorn."""

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_a_url_over_the_limit_is_414_in_the_api_format(client, settings):
    response = client.get("/api/v1/regions/", {"q": "x" * settings.MAX_URI_LENGTH})
    assert response.status_code == 414
    body = response.json()
    assert body["code"] == "uri_too_long"
    assert body["detail"]


def test_a_header_over_the_limit_is_431_in_the_api_format(client, settings):
    response = client.get("/api/v1/regions/", HTTP_X_PADDING="y" * (settings.MAX_HEADER_LENGTH + 1))
    assert response.status_code == 431
    assert response.json()["code"] == "header_too_large"


def test_a_page_url_over_the_limit_is_a_plain_414(client, settings):
    response = client.get("/login/", {"next": "z" * settings.MAX_URI_LENGTH})
    assert response.status_code == 414
    assert response["Content-Type"].startswith("text/plain")


def test_a_url_at_the_limit_is_served(client, settings):
    """The limit refuses only what is over it (a long but allowed query reaches the view: 401 here)."""
    path = "/api/v1/regions/"
    response = client.get(path, {"q": "x" * (settings.MAX_URI_LENGTH - len(path) - len("q="))})
    assert response.status_code == 401


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _raw_get(port: int, target: str) -> tuple[int, str, bytes]:
    with socket.create_connection(("127.0.0.1", port), timeout=10) as conn:
        conn.sendall(f"GET {target} HTTP/1.0\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode())
        data = b""
        while chunk := conn.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = dict(line.split(": ", 1) for line in lines[1:] if ": " in line)
    return int(lines[0].split()[1]), headers.get("Content-Type", ""), body


def test_gunicorn_lets_a_6000_character_url_through_to_the_json_answer():
    """With config/gunicorn_conf.py, a URL between our limit and gunicorn's reaches Django: JSON 414, not HTML."""
    port = _free_port()
    env = {**os.environ, "HOST": "127.0.0.1", "PORT": str(port), "WEB_CONCURRENCY": "1"}
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "config/gunicorn_conf.py", "config.wsgi"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                status, content_type, body = _raw_get(port, "/api/v1/regions/?q=" + "x" * 6000)
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.3)
        assert status == 414
        assert content_type.startswith("application/json")
        assert json.loads(body)["code"] == "uri_too_long"
    finally:
        server.terminate()
        server.wait(timeout=30)
