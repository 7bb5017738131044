"""One world per test module, built once in a transaction that is rolled back at the module's end. The module
tests run in a savepoint of that transaction and each request in a savepoint of its own, so no write outlives
its request and a test can call a route many times."""

import io

import pytest
from django.core.cache import cache
from django.db import transaction
from openpyxl import load_workbook

from tests.security.world import build_world


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        built = build_world()
        yield built
        transaction.set_rollback(True)


@pytest.fixture
def in_world(world, db):
    """The world for one test (pytest-django's `db`: a savepoint rolled back after it), throttle counts forgotten."""
    cache.clear()
    return world


def rolled_back(call):
    """call() in a savepoint that is rolled back."""
    with transaction.atomic():
        result = call()
        transaction.set_rollback(True)
    return result


def body_text(response) -> str:
    """What a response shows, as text: JSON or HTML as is, a CSV stream joined, an XLSX's cells."""
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if content[:2] == b"PK":  # an XLSX workbook (a zip)
        workbook = load_workbook(io.BytesIO(content), read_only=True)
        return "\n".join(
            str(value) for sheet in workbook.worksheets for row in sheet.iter_rows(values_only=True) for value in row
        )
    return content.decode("utf-8", errors="replace")
