"""The data migration to the national code tables (households 0006_national_codes_data, issue 14).

The migrations run back to before it, rows are given the old values through SQL (the old models), and the
migrations run forward again, inside the test's transaction (PostgreSQL rolls the DDL back with it).
"""

from datetime import date

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from households import rules, services
from households.models import Member
from tests.conftest import VILLAGE_A1
from tests.households.builders import daughter, head, son
from tests.lifecycle.test_migration import migrate
from villages.models import Region

pytestmark = pytest.mark.django_db

BEFORE = [("households", "0004_move_lifecycle_out")]


def age_today(birth_date: date) -> int:
    today = date.today()
    return today.year - birth_date.year - ((today.month, today.day) < (birth_date.month, birth_date.day))


def test_old_relations_13_and_14_become_other_with_a_noted_history_row(users):
    """Given members stored with the old 13 (sibling) and 14 (grandparent), when the migration runs, both are 99
    其他, and the history row of each update carries the migration's note; a national code already right (03) stays."""
    household = services.household_create(
        user=users["superuser"], village=Region.objects.get(code=VILLAGE_A1),
        data={"attribute": "general", "main_cause": "illness"}, members=[head(1), son(1), daughter(1)],
    )  # fmt: skip
    son_pk = household.members.get(relation="03").pk
    daughter_pk = household.members.get(relation="04").pk

    migrate(BEFORE)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE households_member SET relation = '13' WHERE id = %s", [son_pk])
        cursor.execute("UPDATE households_member SET relation = '14' WHERE id = %s", [daughter_pk])
    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    assert dict(household.members.values_list("pk", "relation")) == {
        household.members.get(relation="01").pk: "01", son_pk: "99", daughter_pk: "99",
    }  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT e.pgh_obj_id, e.relation, c.metadata->>'note' FROM households_memberevent e
            JOIN pghistory_context c ON c.id = e.pgh_context_id
            WHERE e.pgh_obj_id = ANY(%s) AND e.pgh_label = 'update' AND e.relation = '99'
            """,
            [[son_pk, daughter_pk]],
        )
        noted = {row[0]: row[2] for row in cursor.fetchall()}
    assert set(noted) == {son_pk, daughter_pk}
    assert all("13/14" in note and "99" in note for note in noted.values())


def test_old_school_levels_become_the_national_grade_for_the_age(users):
    """Given members stored with the old levels junior / senior / secondary_vocational / higher_vocational, when
    the migration runs, each holds the national grade a pupil of their age usually attends; primary stays."""
    household = services.household_create(
        user=users["superuser"], village=Region.objects.get(code=VILLAGE_A1),
        data={"attribute": "general", "main_cause": "illness"}, members=[head(1), son(1), daughter(1)],
    )  # fmt: skip
    kid, girl = household.members.get(relation="03"), household.members.get(relation="04")

    migrate(BEFORE)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE households_member SET school_status = 'secondary_vocational' WHERE id = %s", [kid.pk])
        cursor.execute("UPDATE households_member SET school_status = 'junior' WHERE id = %s", [girl.pk])
    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    statuses = dict(Member.objects.filter(household=household).values_list("pk", "school_status"))
    assert statuses[kid.pk] == rules.school_grade("secondary_vocational", age_today(kid.birth_date))
    assert statuses[girl.pk] == rules.school_grade("junior", age_today(girl.birth_date))
    assert statuses[kid.pk].startswith("secondary_vocational_") and statuses[girl.pk].startswith("junior_")
