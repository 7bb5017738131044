"""Households whose procedures wait for a township or county decision, built through the services."""

import datetime

from lifecycle import services as lifecycle
from tests.households import builders as b
from tests.lifecycle.steps import advance

START = datetime.date(2026, 9, 1)


def awaiting(users, village, *, sequence: int, until: str = "township_review", by_county: bool = False):
    """A never-registered household of the village with a monitoring inclusion (纳入监测) taken up to `until`.

    The village steps are taken by the village team of A1, or by the county officer (`by_county`, or outside A1).
    """
    by_county = by_county or village.code != "220821100201"
    actors = {**users, "village_team": users["county_officer"]} if by_county else users
    household = b.make_household(village=village, user=users["superuser"], members=b.family(sequence))
    procedure = lifecycle.procedure_open(
        user=actors["village_team"], household=household, kind="monitoring", on=START, monitoring_type="marginal",
        data={"source": "cadre_screening"},
    )  # fmt: skip
    advance(actors, procedure, until=until)
    return household, procedure


def break_head_id(household) -> None:
    """A wrong check digit in the head's ID number (as an import could write): the register rules open ID-1, an error."""
    from households.models import Member

    head = household.members.get(relation="01")
    good = head.id_number
    Member.objects.filter(pk=head.pk).update(id_number=good[:17] + ("0" if good[17] != "0" else "1"))
