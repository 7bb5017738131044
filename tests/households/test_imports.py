"""Spreadsheet import (导入): validated whole before anything is written, committed all or nothing.

Files are made by the export (the round trip) or by hand; the validation and the commit are called as the
API, the page and the command call them (households.imports.services).
"""


import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import translation

from households import layouts
from households.imports import services as imports
from households.models import Household, Import, ImportRow, ImportState, Member
from tests.conftest import COUNTY, OTHER_VILLAGE, VILLAGE_A1, VILLAGE_A2
from tests.households import builders as b
from tests.households import import_files as f


@pytest.fixture(autouse=True)
def chinese():
    with translation.override("zh-hans"):
        yield


@pytest.fixture
def officer(users):
    return users["county_officer"]


@pytest.fixture
def county(tree):
    from villages.models import Region

    return Region.objects.get(pk=COUNTY)


def run(officer, county, content: bytes, filename="households.xlsx"):
    return imports.import_create(user=officer, region=county, filename=filename, content=content)


def reasons(imp) -> list[str]:
    return [e["reason"] for e in imp.report["errors"]]


@pytest.mark.django_db
def test_an_exported_village_reads_back_with_no_changes(tree, officer, county):
    """Round trip: export a village (XLSX and CSV, export and national layouts) and import it: every household and
    member unchanged, nothing to write."""
    b.make_household(village=tree[VILLAGE_A1], user=officer, members=b.family(1), bank_account="6228480402564890018")
    b.make_household(village=tree[VILLAGE_A1], user=officer, members=[b.head(2, name="=SUM(A1)"), b.daughter(2)], address="-3号")
    b.make_household(
        village=tree[VILLAGE_A1], user=officer, members=[b.head(3), b.son(3, dropout=True, dropout_reason="illness_or_disability")],
        relocated=True, relocation_mode="single_household", cultivated_land=Decimal("3.50"), production_electricity=False,
        other_causes=["lack_funds", "lack_skills"], main_cause="disability", stars=None,
    )  # fmt: skip
    files = []
    for layout in (layouts.EXPORT, layouts.NATIONAL):
        files += [
            (f.exported_xlsx(user=officer, region_code=VILLAGE_A1, layout=layout), "a.xlsx", layout),
            (f.exported_csv(user=officer, region_code=VILLAGE_A1, layout=layout), "a.csv", layout),
        ]
    for content, filename, layout in files:
        imp = run(officer, county, content, filename)
        assert imp.report["layout"] == layout
        assert imp.report["errors"] == []
        assert imp.state == ImportState.VALIDATED
        assert imp.report["households"] == {"create": 0, "update": 0, "unchanged": 3}
        assert imp.report["members"] == {"create": 0, "update": 0, "unchanged": 7}


def national_member(person: dict, **cells) -> dict:
    """A member's row of the national layout from a builders dict: Chinese labels, national codes, dates as text."""
    row = {
        "village": VILLAGE_A2, "address": "二组5号", "identification_standard": "国家标准", "attribute": "一般贫困户",
        "main_cause": "因病", "other_causes": "缺资金、缺技术", "name": person["name"], "id_type": "居民身份证",
        "id_number": person["id_number"], "sex": {"male": "男", "female": "女"}[person["sex"]],
        "birth_date": person["birth_date"].strftime("%Y年%-m月%-d日"), "relation": person["relation"],
        "ethnicity": "汉族", "education": "02", "school_status": "01", "health": "健康", "labour": "普通劳动力",
        "medical_insurance": "是",
    }  # fmt: skip
    row.update(cells)
    return row


def national_file(*rows: dict) -> bytes:
    return f.xlsx_bytes(f.national_rows(list(rows)), sheet="户信息")


@pytest.mark.django_db
def test_a_new_village_s_households_are_created_with_their_members(tree, officer, county):
    """Rows without a household number in the national layout: one new household from each head's row on, numbered
    by the register; labels, national codes and dates as people write them are read; the history names the import."""
    content = national_file(
        national_member(b.head(5)), national_member(b.spouse(5)),
        national_member(b.head(6, name="赵志强"), main_cause="缺劳力", other_causes=""),
    )  # fmt: skip
    imp = run(officer, county, content)
    assert reasons(imp) == []
    assert imp.report["layout"] == "national"
    assert imp.report["households"] == {"create": 2, "update": 0, "unchanged": 0}
    assert imp.report["members"]["create"] == 3
    assert Household.objects.count() == 0  # validation writes nothing

    imp = imports.import_commit(user=officer, import_=imp)

    assert reasons(imp) == []
    assert imp.state == ImportState.COMMITTED
    first, second = Household.objects.order_by("number")
    assert first.number == f"{VILLAGE_A2}0001" and second.number == f"{VILLAGE_A2}0002"
    assert first.main_cause == "illness" and first.other_causes == ["lack_funds", "lack_skills"]
    assert sorted(first.members.values_list("relation", flat=True)) == ["01", "02"]
    head = first.members.get(relation="01")
    assert head.education == "primary" and head.medical_insurance is True
    assert second.main_cause == "lack_labour"
    event = Member.pgh_event_model.objects.filter(pgh_obj_id=head.pk).select_related("pgh_context").get()
    assert event.pgh_context.metadata["import_id"] == imp.pk
    assert event.pgh_context.metadata["user"] == officer.pk


@pytest.mark.django_db
def test_an_edited_export_updates_what_changed_only(tree, officer, county):
    """A household matched by its number: the changed address and the changed member are updated, a new member is
    added, the rest is left as it is."""
    household = b.make_household(village=tree[VILLAGE_A1], user=officer, members=b.family(1))
    rows = f.export_rows(user=officer, region_code=VILLAGE_A1)
    header = rows[0]
    for row in rows[1:]:
        row[header.index("address")] = "三组8号"
        if row[header.index("relation")] == "03":
            row[header.index("migrant_work")] = "in_county"
            row[header.index("migrant_months")] = "6"
    new = dict(zip(header, rows[1], strict=True))
    daughter = b.daughter(1)
    new.update(name=daughter["name"], id_number=daughter["id_number"], sex="female", birth_date="1991-02-14", relation="04")
    rows.append([new[name] for name in header])

    imp = run(officer, county, f.xlsx_bytes(rows))

    assert reasons(imp) == []
    assert imp.report["households"] == {"create": 0, "update": 1, "unchanged": 0}
    assert imp.report["members"] == {"create": 1, "update": 1, "unchanged": 2}
    imports.import_commit(user=officer, import_=imp)
    household.refresh_from_db()
    assert household.address == "三组8号"
    assert household.members.get(relation="03").migrant_months == 6
    assert household.members.count() == 4


@pytest.mark.django_db
def test_a_file_with_one_bad_row_writes_nothing(tree, officer, county):
    """All or nothing: one row breaking a rule and the whole file is refused, the good households too."""
    content = national_file(
        national_member(b.head(5)),
        national_member(b.head(6), relation="02"),  # a man as 配偶 and no head: HH-1
    )
    before = b.counts()
    imp = run(officer, county, content)
    assert imp.state == ImportState.FAILED
    assert any("户主" in reason for reason in reasons(imp))
    with pytest.raises(imports.ImportRefused):
        imports.import_commit(user=officer, import_=imp)
    assert b.counts() == before


@pytest.mark.django_db
def test_a_head_who_left_hands_over_to_the_spouse_in_one_import(tree, officer, county):
    """The set-based commit writes the head giving up the place before the new head (one active head at every
    moment): the head's death and the spouse as head, in one file, are committed."""
    household = b.make_household(village=tree[VILLAGE_A1], user=officer, members=b.family(1))
    rows = f.export_rows(user=officer, region_code=VILLAGE_A1)
    header = rows[0]
    for row in rows[1:]:
        if row[header.index("relation")] == "01":
            row[header.index("left_on")] = "2026-11-01"
            row[header.index("left_reason")] = "deceased"
        elif row[header.index("relation")] == "02":
            row[header.index("relation")] = "01"

    imp = run(officer, county, f.xlsx_bytes(rows))
    assert reasons(imp) == []
    imp = imports.import_commit(user=officer, import_=imp)

    assert imp.state == ImportState.COMMITTED
    assert household.members.heads().get().name == "李秀兰"
    assert household.members.filter(left_on__isnull=False).get().relation == "01"


@pytest.mark.django_db
def test_a_commit_refused_by_a_change_since_validation_writes_nothing(tree, officer, county):
    """ID-2 is checked again at commit: a person registered elsewhere since the validation fails the file whole."""
    imp = run(officer, county, national_file(national_member(b.head(5)), national_member(b.head(6, name="赵志强"))))
    assert imp.state == ImportState.VALIDATED
    b.make_household(village=tree[VILLAGE_A1], user=officer, members=[b.head(6)])
    before = b.counts()

    imp = imports.import_commit(user=officer, import_=imp)

    assert imp.state == ImportState.FAILED
    assert any("已在户" in reason for reason in reasons(imp))
    assert b.counts() == before


@pytest.mark.django_db
def test_an_import_is_committed_once(tree, officer, county):
    imp = imports.import_commit(user=officer, import_=run(officer, county, national_file(national_member(b.head(5)))))
    assert imp.state == ImportState.COMMITTED
    with pytest.raises(imports.ImportRefused):
        imports.import_commit(user=officer, import_=imp)
    assert Household.objects.count() == 1


@pytest.mark.django_db
def test_the_register_rules_run_over_the_villages_changed(tree, officer, county):
    """After the commit the checks run the register rules for each village the import changed (trigger import)."""
    from checks.models import RuleRun

    imports.import_commit(user=officer, import_=run(officer, county, national_file(national_member(b.head(5)))))
    assert list(RuleRun.objects.values_list("region_id", "trigger")) == [(VILLAGE_A2, "import")]


# Bad input: each explained (sheet, row, column, value, reason), nothing written ------------------------------------


def refused(officer, county, content: bytes, filename="households.xlsx") -> list[dict]:
    before = b.counts()
    imp = run(officer, county, content, filename)
    assert imp.state == ImportState.FAILED
    assert b.counts() == before
    return imp.report["errors"]


def one_error(errors: list[dict], needle: str) -> dict:
    found = [error for error in errors if needle in error["reason"]]
    assert found, [(e["row"], e["header"], e["reason"]) for e in errors]
    return found[0]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("content", "filename", "needle"),
    [
        (b"\x7fELF\x02\x01\x01\x00" + bytes(range(256)) * 4, "households.xlsx", "不是表格"),
        (b"PK\x03\x04 not really a zip", "households.xlsx", "无法作为 Excel"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "households.xls", ".xls"),
        (b"", "households.csv", "空"),
        (b"\xef\xbb\xbf\r\n\r\n", "households.csv", "空"),
    ],
    ids=["renamed-binary", "broken-zip", "old-xls", "empty-file", "only-blank-lines"],
)
def test_a_file_that_is_not_a_table_is_refused_whole(tree, officer, county, content, filename, needle):
    one_error(refused(officer, county, content, filename), needle)


@pytest.mark.django_db
def test_a_file_over_the_limit_is_refused_before_reading(tree, officer, county, monkeypatch):
    from households.imports import reading

    monkeypatch.setattr(reading, "MAX_BYTES", 1000)
    one_error(refused(officer, county, b"a," * 600, "big.csv"), "文件太大")


@pytest.mark.django_db
def test_an_empty_sheet_and_a_header_without_rows_are_explained(tree, officer, county):
    one_error(refused(officer, county, f.xlsx_bytes([])), "是空的")
    one_error(refused(officer, county, f.xlsx_bytes(f.national_rows([]))), "没有数据行")


@pytest.mark.django_db
def test_wrong_and_missing_headers_are_named(tree, officer, county):
    header = [h for h in f.national_rows([])[0] if h not in ("证件号码", "姓名")] + ["身份证号"]
    errors = refused(officer, county, f.xlsx_bytes([header, ["x"] * len(header)]))
    unknown = one_error(errors, "不认识的列名")
    assert unknown["value"] == "身份证号" and unknown["row"] == 1 and unknown["column"] == "BJ"
    assert "姓名" in one_error(errors, "缺少必填列")["reason"]


def family_rows(sequence=5, **cells):
    return [national_member(b.head(sequence), **cells), national_member(b.spouse(sequence), **cells)]


@pytest.mark.django_db
def test_merged_cells_are_refused(tree, officer, county):
    rows = f.national_rows(family_rows())
    error = one_error(refused(officer, county, f.xlsx_bytes(rows, merge="B2:B3")), "合并单元格")
    assert error["row"] == 2 and "B2:B3" in error["reason"]


@pytest.mark.django_db
def test_a_formula_is_refused_not_evaluated(tree, officer, county):
    rows = f.national_rows(family_rows())
    rows[1][list(f.layouts.NATIONAL_HEADERS).index("address")] = '=CONCAT("一组","1号")'
    error = one_error(refused(officer, county, f.xlsx_bytes(rows)), "公式")
    assert (error["row"], error["header"]) == (2, "住址")


@pytest.mark.django_db
def test_a_formula_in_a_csv_cell_is_refused(tree, officer, county):
    rows = f.national_rows(family_rows())
    rows[2][list(f.layouts.NATIONAL_HEADERS).index("name")] = "=HYPERLINK(\"http://x\")"
    error = one_error(refused(officer, county, f.csv_bytes(rows), "a.csv"), "公式")
    assert (error["row"], error["header"]) == (3, "姓名")


@pytest.mark.django_db
def test_a_date_typed_as_unreadable_text_is_explained(tree, officer, county):
    rows = f.national_rows(family_rows())
    rows[1][list(f.layouts.NATIONAL_HEADERS).index("birth_date")] = "六二年三月"
    error = one_error(refused(officer, county, f.xlsx_bytes(rows)), "日期无法识别")
    assert (error["row"], error["header"], error["value"]) == (2, "出生日期", "六二年三月")


@pytest.mark.django_db
def test_an_id_number_stored_as_a_number_is_refused(tree, officer, county):
    rows = f.national_rows(family_rows())
    position = list(f.layouts.NATIONAL_HEADERS).index("id_number")
    rows[1][position] = 2.20821196203080e17  # what Excel keeps of an 18-digit number
    rows[2][position] = "2.20821E+17"  # and a CSV saved from it
    errors = refused(officer, county, f.xlsx_bytes(rows))
    assert [e["row"] for e in errors if "证件号码被存成了数字" in e["reason"]] == [2, 3]


@pytest.mark.django_db
def test_full_width_digits_are_read_as_digits(tree, officer, county):
    """Full-width digits (from a Chinese input method) are read as ASCII, with a warning; the row is accepted."""
    head = b.head(5)
    full_width = head["id_number"].translate({ord(d): ord(d) + 0xFEE0 for d in "0123456789"})
    imp = run(officer, county, national_file(national_member(head, id_number=full_width)))
    assert reasons(imp) == []
    assert any("全角" in w["reason"] for w in imp.report["warnings"])
    imports.import_commit(user=officer, import_=imp)
    assert Member.objects.get().id_number == head["id_number"]


@pytest.mark.django_db
def test_a_gbk_csv_reads_like_utf_8(tree, officer, county):
    imp = run(officer, county, f.csv_bytes(f.national_rows(family_rows()), encoding="gbk"), "a.csv")
    assert reasons(imp) == []
    assert imp.report["members"]["create"] == 2


@pytest.mark.django_db
def test_duplicate_rows_are_named(tree, officer, county):
    rows = f.national_rows(family_rows())
    rows.append(list(rows[2]))
    error = one_error(refused(officer, county, f.xlsx_bytes(rows)), "完全相同")
    assert error["row"] == 4 and "第 3 行" in error["reason"]


@pytest.mark.django_db
def test_a_household_split_over_non_adjacent_rows_is_refused(tree, officer, county):
    first = b.make_household(village=tree[VILLAGE_A1], user=officer, members=b.family(1))
    second = b.make_household(village=tree[VILLAGE_A1], user=officer, members=b.family(2))
    rows = f.export_rows(user=officer, region_code=VILLAGE_A1)
    rows = [rows[0], rows[1], rows[4], rows[2], rows[3], rows[5], rows[6]]  # first, second, first…
    error = one_error(refused(officer, county, f.xlsx_bytes(rows)), "不相邻")
    assert error["row"] == 4 and error["value"] == first.number
    assert second.number


@pytest.mark.django_db
def test_a_village_outside_the_region_is_refused(tree, officer, county):
    """A row of a village outside the import's region (here: outside the officer's county too) is an error."""
    errors = refused(officer, county, national_file(national_member(b.head(5), village=OTHER_VILLAGE)))
    assert one_error(errors, "不在本次导入的区划")["value"] == OTHER_VILLAGE


@pytest.mark.django_db
def test_id_1_and_id_2_are_checked_within_the_file_and_against_the_register(tree, officer, county):
    registered = b.make_household(village=tree[VILLAGE_A1], user=officer, members=b.family(1))
    taken = registered.members.get(relation="01")
    rows = [
        national_member(b.head(5), sex="女"),  # ID-1: the number says male
        national_member(b.spouse(5)),
        national_member(b.head(6)), national_member(b.spouse(5), address="三组1号"),  # ID-2 within the file
        national_member(b.head(7, id_number=taken.id_number)),  # ID-2 against the register
    ]  # fmt: skip
    errors = refused(officer, county, national_file(*rows))
    assert one_error(errors, "性别")["row"] == 2
    assert one_error(errors, "文件中出现两次")["row"] == 5
    assert registered.number in one_error(errors, "已在户")["reason"]


@pytest.mark.django_db
def test_a_registered_household_needs_its_attribute_and_main_cause(tree, officer, county):
    errors = refused(officer, county, national_file(national_member(b.head(5), status="未脱贫", main_cause="")))
    assert one_error(errors, "已建档立卡")["header"] == "主要致贫原因"


@pytest.mark.django_db
def test_a_masked_export_cannot_be_imported(tree, officer, county):
    errors = refused(officer, county, national_file(national_member(b.head(5), id_number="220821********1234")))
    assert one_error(errors, "已脱敏")["header"] == "证件号码"


@pytest.mark.django_db
def test_a_value_that_is_not_on_the_list_is_explained(tree, officer, county):
    error = one_error(refused(officer, county, national_file(national_member(b.head(5), health="很好"))), "不是可选的值")
    assert (error["header"], error["value"]) == ("健康状况", "很好")


@pytest.mark.django_db(transaction=True)
def test_a_commit_waits_for_a_concurrent_write_to_its_households_then_validates_against_it(tree, officer, county):
    """Two writers of one household: the import's commit waits for the other's lock, then sees that the household
    changed since the upload and refuses the file whole (it would undo the other's change); nothing of it written."""
    import threading
    import time

    from django.db import connection, transaction

    from households import services as register

    household = b.make_household(village=tree[VILLAGE_A1], user=officer, members=b.family(1))
    rows = f.export_rows(user=officer, region_code=VILLAGE_A1)
    header = rows[0]
    for row in rows[1:]:
        row[header.index("address")] = "导入的地址"
    imp = run(officer, county, f.xlsx_bytes(rows))
    assert imp.state == ImportState.VALIDATED
    outcome = {}

    def commit():
        try:
            outcome["import"] = imports.import_commit(user=officer, import_=imp)
        finally:
            connection.close()

    with transaction.atomic():
        register.household_update(user=officer, household=household, data={"phone": "13900000000"})  # holds the lock
        worker = threading.Thread(target=commit)
        worker.start()
        time.sleep(1.5)
        assert worker.is_alive()  # waiting for the household's lock
    worker.join(timeout=30)
    assert outcome["import"].state == ImportState.FAILED
    assert "上传后已被修改" in reasons(outcome["import"])[0]
    household.refresh_from_db()
    assert (household.address, household.phone) == (b.household_fields()["address"], "13900000000")


@pytest.mark.django_db(transaction=True)
def test_a_write_saved_before_the_upload_and_committed_after_its_validation_is_not_undone(tree, officer, county):
    """A household saved by another writer before the validation began, committed only after the validation read
    it: the validation saw the old household, so the commit must find it changed and refuse the file (its
    `updated_at` is older than the upload, so the clock alone would miss it)."""
    import threading

    from django.db import connection, transaction

    from households import services as register

    household = b.make_household(village=tree[VILLAGE_A1], user=officer, members=b.family(1))
    rows = f.export_rows(user=officer, region_code=VILLAGE_A1)
    header = rows[0]
    for row in rows[1:]:
        row[header.index("address")] = "导入的地址"
    saved, validated = threading.Event(), threading.Event()

    def other_writer():
        try:
            with transaction.atomic():
                register.household_update(user=officer, household=household, data={"phone": "13900000000"})
                saved.set()
                validated.wait(timeout=60)
        finally:
            connection.close()

    worker = threading.Thread(target=other_writer)
    worker.start()
    try:
        assert saved.wait(timeout=30)
        imp = run(officer, county, f.xlsx_bytes(rows))  # reads the household as it was
        assert imp.state == ImportState.VALIDATED
    finally:
        validated.set()
        worker.join(timeout=30)

    imp = imports.import_commit(user=officer, import_=imp)
    assert imp.state == ImportState.FAILED
    assert "上传后已被修改" in reasons(imp)[0]
    household.refresh_from_db()
    assert (household.address, household.phone) == (b.household_fields()["address"], "13900000000")


@pytest.mark.django_db
def test_an_edit_since_the_validation_that_the_file_does_not_overwrite_refuses_nothing(tree, officer, county):
    """The commit refuses only where the file would undo a change: a household the file leaves as it is may be
    edited between the upload and the commit, and the file's other change is still written."""
    from households import services as register

    changed = b.make_household(village=tree[VILLAGE_A1], user=officer, members=b.family(1))
    left_alone = b.make_household(village=tree[VILLAGE_A1], user=officer, members=b.family(4))
    rows = f.export_rows(user=officer, region_code=VILLAGE_A1)
    header = rows[0]
    for row in rows[1:]:
        if row[header.index("household_number")] == changed.number:
            row[header.index("address")] = "导入的地址"
    imp = run(officer, county, f.xlsx_bytes(rows))
    assert imp.state == ImportState.VALIDATED
    register.household_update(user=officer, household=left_alone, data={"phone": "13900000000"})

    imp = imports.import_commit(user=officer, import_=imp)

    assert imp.state == ImportState.COMMITTED, reasons(imp)
    changed.refresh_from_db()
    left_alone.refresh_from_db()
    assert (changed.address, left_alone.phone) == ("导入的地址", "13900000000")


@pytest.mark.django_db
def test_a_number_the_register_does_not_know_is_a_new_household_with_a_warning(tree, officer, county):
    imp = run(officer, county, national_file(national_member(b.head(5), household_number="4521000000010001")))
    assert reasons(imp) == [] and imp.report["households"]["create"] == 1
    assert "作为新户" in imp.report["warnings"][0]["reason"]
    imports.import_commit(user=officer, import_=imp)
    assert Household.objects.get().number == f"{VILLAGE_A2}0001"


# The staged plan (暂存, ImportRow): kept until the commit, the refusal, or the pruning of old ones -----------------


def staged(imp) -> int:
    return ImportRow.objects.filter(import_record=imp).count()


@pytest.mark.django_db
def test_a_validated_import_s_staged_rows_go_when_it_is_committed_or_refused(tree, officer, county):
    committed = run(officer, county, national_file(national_member(b.head(5)), national_member(b.spouse(5))))
    refused_later = run(officer, county, national_file(national_member(b.head(6, name="赵志强"))))
    assert (staged(committed), staged(refused_later)) == (3, 2)  # a household row and its members

    imports.import_commit(user=officer, import_=committed)
    assert (staged(committed), staged(refused_later)) == (0, 2)

    b.make_household(village=tree[VILLAGE_A1], user=officer, members=[b.head(6)])  # ID-2: taken since
    assert imports.import_commit(user=officer, import_=refused_later).state == ImportState.FAILED
    assert staged(refused_later) == 0


@pytest.mark.django_db
def test_staged_rows_of_an_import_left_uncommitted_too_long_are_pruned_and_its_commit_validates_again(tree, officer, county):
    """Pruning drops the plans of imports validated more than the set days ago (the newer one keeps its rows), and
    any row an import no longer validated left; the pruned import stays validated and its commit reads the file
    again."""
    from django.core.management import call_command
    from django.utils import timezone

    old = run(officer, county, national_file(national_member(b.head(5)), national_member(b.spouse(5))))
    recent = run(officer, county, national_file(national_member(b.head(6, name="赵志强"))))
    Import.objects.filter(pk=old.pk).update(staged_at=timezone.now() - timedelta(days=8))
    failed = run(officer, county, national_file(national_member(b.head(7, name="钱多多"))))
    Import.objects.filter(pk=failed.pk).update(state=ImportState.FAILED)  # a leftover, as a crash could leave it

    out = io.StringIO()
    call_command("prune_import_staging", stdout=out)  # JINGZHUN_IMPORT_STAGING_DAYS: 7

    assert out.getvalue().startswith("1 imports")
    assert (staged(old), staged(recent), staged(failed)) == (0, 2, 0)
    old.refresh_from_db()
    assert (old.state, old.staged_at) == (ImportState.VALIDATED, None)
    assert imports.import_commit(user=officer, import_=old).state == ImportState.COMMITTED
    assert Member.objects.count() == 2


@pytest.mark.django_db
def test_the_staging_days_come_from_the_setting_or_the_command(tree, officer, county, settings):
    from django.core.management import call_command
    from django.utils import timezone

    imp = run(officer, county, national_file(national_member(b.head(5))))
    Import.objects.filter(pk=imp.pk).update(staged_at=timezone.now() - timedelta(days=3))
    settings.JINGZHUN_IMPORT_STAGING_DAYS = 4
    call_command("prune_import_staging", stdout=io.StringIO())
    assert staged(imp) == 2
    call_command("prune_import_staging", "--days", "2", stdout=io.StringIO())
    assert staged(imp) == 0
