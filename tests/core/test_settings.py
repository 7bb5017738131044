"""Settings from the environment: DATABASE_URL, flags, and the production deploy check."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.settings.base import env_flag
from core.database import database_from_environment, parse_database_url

ROOT = Path(__file__).resolve().parents[2]


def test_database_url_is_parsed():
    config = parse_database_url("postgres://jz:s3cret@db.example:5433/jingzhun")
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert (config["NAME"], config["USER"], config["PASSWORD"], config["HOST"], config["PORT"]) == (
        "jingzhun",
        "jz",
        "s3cret",
        "db.example",
        5433,
    )


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("mysql://root@localhost/jingzhun", "is not a PostgreSQL URL"),
        ("sqlite:///db.sqlite3", "is not a PostgreSQL URL"),
        ("postgres://user:pw@localhost:notaport/jingzhun", "is malformed"),
        ("postgres://user@localhost:5432/", "names no database"),
        ("localhost:5432/jingzhun", "is not a PostgreSQL URL"),
    ],
)
def test_bad_database_url_is_one_clear_error(url, message):
    with pytest.raises(ImproperlyConfigured, match=message) as info:
        parse_database_url(url)
    assert "postgres://USER[:PASSWORD]@HOST[:PORT]/NAME" in str(info.value)


def test_database_url_password_never_appears_in_errors():
    with pytest.raises(ImproperlyConfigured) as info:
        parse_database_url("mysql://root:hunter2@localhost/jingzhun")
    assert "hunter2" not in str(info.value)


def test_without_database_url_the_embedded_server_is_used(monkeypatch, tmp_path):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("JINGZHUN_PGDATA", str(tmp_path / "pg"))
    config = database_from_environment(ROOT)
    assert config["ENGINE"] == "core.db_backends.embedded"
    assert config["PGDATA"] == str(tmp_path / "pg")


def test_default_embedded_data_folder_is_var_pgdata(monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("JINGZHUN_PGDATA", raising=False)
    assert database_from_environment(ROOT)["PGDATA"] == str(ROOT / "var" / "pgdata")


@pytest.mark.parametrize(("raw", "value"), [("1", True), ("yes", True), ("off", False), ("", False)])
def test_env_flag(monkeypatch, raw, value):
    monkeypatch.setenv("JZ_FLAG", raw)
    assert env_flag("JZ_FLAG") is value


def test_env_flag_refuses_a_typo(monkeypatch):
    monkeypatch.setenv("JZ_FLAG", "ture")
    with pytest.raises(ImproperlyConfigured, match="not a yes/no value"):
        env_flag("JZ_FLAG")


def test_debug_is_off_unless_set():
    from django.conf import settings

    assert os.environ.get("DEBUG") or settings.DEBUG is False


def _manage(*args, **env):
    full_env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY", "DJANGO_SETTINGS_MODULE"}}
    full_env.setdefault("DATABASE_URL", "postgres://unused@127.0.0.1:1/unused")  # the check needs no database
    full_env.update(env)
    return subprocess.run(  # noqa: S603 - our own manage.py
        [sys.executable, "manage.py", *args], cwd=ROOT, env=full_env, capture_output=True, text=True, timeout=120
    )


def test_production_settings_pass_the_deploy_check_without_warnings():
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_SETTINGS_MODULE="config.settings.production",
        SECRET_KEY="k" * 20 + "-production-test-secret-key-not-for-use-0123456789",
        ALLOWED_HOSTS="jingzhun.example",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_settings_refuse_a_missing_secret_key():
    result = _manage("check", DJANGO_SETTINGS_MODULE="config.settings.production")
    assert result.returncode != 0
    assert result.stderr.startswith("configuration error: SECRET_KEY must be set")
    assert len(result.stderr.strip().splitlines()) == 1


def test_malformed_database_url_stops_manage_py_with_one_line():
    result = _manage("check", DATABASE_URL="postgres://u@h:port/db")
    assert result.returncode != 0
    assert result.stderr.startswith("configuration error: DATABASE_URL='postgres://u@h:port/db' is malformed")
    assert len(result.stderr.strip().splitlines()) == 1
