"""Regions: loading a CSV all or nothing, subtree queries on an index."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from core.regions import RegionLevel
from villages.models import Region

pytestmark = pytest.mark.django_db


def write_csv(tmp_path, text, name="regions.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_load_regions_derives_levels_and_parents(tmp_path):
    path = write_csv(
        tmp_path,
        "\ufeffcode,name\n220000000000,吉林省\n220800000000,白城市\n220821000000,镇赉县\n220821100000,镇赉镇\n220821100201,镇南岗子村\n",
    )
    call_command("load_regions", path)
    village = Region.objects.get(code="220821100201")
    assert (village.name, village.level, village.parent_id) == ("镇南岗子村", RegionLevel.VILLAGE, "220821100000")
    assert Region.objects.get(code="220000000000").parent_id is None


def test_loading_the_same_file_again_adds_nothing(tmp_path, capsys):
    path = write_csv(tmp_path, "code,name\n220000000000,吉林省\n220800000000,白城市\n")
    call_command("load_regions", path)
    call_command("load_regions", path)
    assert "0 regions added, 2 already loaded" in capsys.readouterr().out
    assert Region.objects.count() == 2


def test_a_bad_file_loads_nothing_and_names_every_bad_line(tmp_path):
    path = write_csv(
        tmp_path,
        "code,name\n220000000000,吉林省\n22080000000,短码\n220800000000,白城市\n220800000000,又一个白城\n220821100201,无上级村\n",
    )
    with pytest.raises(CommandError) as info:
        call_command("load_regions", path)
    message = str(info.value)
    assert "nothing loaded, 3 error(s)" in message
    assert "line 3: region code '22080000000' must be exactly 12 digits" in message
    assert "line 5: region 220800000000 is a duplicate of line 4" in message
    assert "line 6: the parent 220821100000 of region 220821100201 is neither in the file nor loaded" in message
    assert Region.objects.count() == 0


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("id,label\n220000000000,吉林省\n", "line 1: the first line must be the header code,name"),
        ("code,name\n220000000000,吉林省,多余\n", "line 2: expected 2 columns (code,name), found 3"),
    ],
)
def test_malformed_csv_is_refused(tmp_path, text, message):
    with pytest.raises(CommandError, match=message.replace("(", r"\(").replace(")", r"\)")):
        call_command("load_regions", write_csv(tmp_path, text))
    assert Region.objects.count() == 0


def test_missing_and_non_utf8_files_are_clear_errors(tmp_path):
    with pytest.raises(CommandError, match="no such file"):
        call_command("load_regions", str(tmp_path / "absent.csv"))
    path = tmp_path / "gbk.csv"
    path.write_bytes("code,name\n220000000000,吉林省\n".encode("gbk"))
    with pytest.raises(CommandError, match="not UTF-8 text"):
        call_command("load_regions", str(path))


def test_subtree_is_the_region_and_everything_below(tree):
    assert set(Region.objects.subtree("220821100000").values_list("code", flat=True)) == {
        "220821100000",
        "220821100201",
        "220821100202",
    }
    assert Region.objects.subtree("220821000000").count() == 6  # county, 2 townships, 3 villages
    assert Region.objects.subtree("220821100201").count() == 1


def test_subtree_query_is_served_by_an_index(tree):
    """The LIKE 'prefix%' of a subtree uses an index (with sequential scans disabled to ask the planner)."""
    sql, params = Region.objects.subtree("220821100000").values("code").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "Index" in plan and "villages_region_code" in plan, plan
    assert "~>=~" in plan, plan  # the pattern-ops range condition derived from LIKE 'prefix%'
