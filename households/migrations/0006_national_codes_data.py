"""Stored values carried to the national code tables (issue 14, docs/domain.md).

- Relation 13 and 14 meant 之兄弟姐妹 and 之祖父母 in the register's old table; in the national one they are 之岳父
  and 之岳母, and the national table has no sibling code and no grandparent code without the side. The old meaning
  cannot be carried to a national code, so these members become 99 其他; the update runs under a pghistory context
  whose note says so, so each member's history row of the change carries the reason.
- School status becomes the national 16 values, one per grade. The old level slugs (junior, senior,
  secondary_vocational, higher_vocational) become the grade a pupil of the member's age (on the day the migration
  runs) usually attends — households.rules.school_grade, repeated here in SQL as a migration must not change when
  the code does —, under a note too. not_in_school, preschool, primary and college keep their slug.
"""

import pghistory
from django.db import migrations

RELATION_NOTE = "issue 14: relation 13/14 meant 之兄弟姐妹/之祖父母 (not national codes); set to 99 其他"
SCHOOL_NOTE = "issue 14: school status level mapped to the national grade (01–16) by the member's age"

# (old level, the usual age of its first year), as households.rules.FIRST_GRADE_AGE.
LEVELS = (("junior", 12), ("senior", 15), ("secondary_vocational", 15), ("higher_vocational", 18))


def forwards(apps, schema_editor):
    Member = apps.get_model("households", "Member")
    with pghistory.context(note=RELATION_NOTE, migration="households.0006_national_codes_data"):
        Member.objects.filter(relation__in=("13", "14")).update(relation="99")
    with pghistory.context(note=SCHOOL_NOTE, migration="households.0006_national_codes_data"):
        with schema_editor.connection.cursor() as cursor:
            for level, first_age in LEVELS:
                cursor.execute(
                    """
                    UPDATE households_member
                    SET school_status = %s || '_' || (1 + LEAST(GREATEST(
                        COALESCE(date_part('year', age(CURRENT_DATE, birth_date))::int - %s, 0), 0), 2))::text
                    WHERE school_status = %s
                    """,
                    [level, first_age, level],
                )


def backwards(apps, schema_editor):
    # The grades go back to their level; the relations set to 99 cannot be told from other 其他 and stay.
    Member = apps.get_model("households", "Member")
    for level, _first_age in LEVELS:
        Member.objects.filter(school_status__in=[f"{level}_{grade}" for grade in (1, 2, 3)]).update(school_status=level)


class Migration(migrations.Migration):
    dependencies = [("households", "0005_national_codes")]

    operations = [migrations.RunPython(forwards, backwards)]
