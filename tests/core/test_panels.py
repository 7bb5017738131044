"""The panel registry: order, once only, unknown slots refused, a panel may leave itself out."""

import pytest

from core import panels


@pytest.fixture
def empty_card(monkeypatch):
    monkeypatch.setitem(panels._registry, "household_card", [])


def first(request, **context):
    return {"template": "a.html", "n": context["n"]}


def second(request, **context):
    return {"template": "b.html"}


def absent(request, **context):
    return None


def test_panels_come_in_order_once_and_may_leave_themselves_out(empty_card):
    panels.register("household_card", second, order=20)
    panels.register("household_card", first, order=10)
    panels.register("household_card", first, order=10)
    panels.register("household_card", absent, order=5)
    assert panels.render_context("household_card", None, n=3) == [{"template": "a.html", "n": 3}, {"template": "b.html"}]


def test_an_unknown_slot_is_refused():
    with pytest.raises(ValueError, match="unknown panel slot"):
        panels.register("nowhere", first)
