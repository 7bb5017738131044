"""The department-comparison pages 数据比对 (/comparisons/, /comparisons/<pk>/): upload a list as the API does, see
the matches and the vetoes with their removal proposals, the veto settings; scope, bad input, pinned queries."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from checks import comparisons as services
from checks.models import CategorySetting, Comparison, ComparisonRow, Finding
from households.rules import make_resident_id
from lifecycle import services as lifecycle
from lifecycle.models import Procedure
from tests.conftest import COUNTY, OTHER_COUNTY, TOWN_A, VILLAGE_A1
from tests.households import builders as b

pytestmark = pytest.mark.django_db

URL = "/comparisons/"
UPLOAD = "/comparisons/upload/"
CATEGORY = "/comparisons/categories/"


def register(tree, users, *, sequence, status="poor"):
    household = b.make_household(village=tree[VILLAGE_A1], user=users["superuser"], members=b.family(sequence))
    if status:
        lifecycle.status_record(
            user=users["superuser"], household=household, status=status, on=datetime.date(2016, 3, 1)
        )
        household.refresh_from_db()
    return household


def head_number(household) -> str:
    return household.members.get(relation="01").id_number


def csv_file(*rows, name="list.csv") -> SimpleUploadedFile:
    lines = ["证件号码,类别,说明", *(",".join(row) for row in rows)]
    return SimpleUploadedFile(name, ("\n".join(lines) + "\n").encode(), content_type="text/csv")


def unmatched(n: int) -> bytes:
    """A one-row list naming nobody in the register (a distinct file for each n)."""
    number = make_resident_id(area="220821", birth_date=datetime.date(1980, 1, 1), sequence=n + 400, sex="male")
    return f"id_number,category\n{number},vehicle\n".encode()


def written() -> dict:
    return {"comparisons": Comparison.objects.count(), "rows": ComparisonRow.objects.count(),
            "findings": Finding.objects.count(), "procedures": Procedure.objects.count()}  # fmt: skip


def test_the_url_names():
    assert reverse("comparisons") == URL and reverse("comparison", kwargs={"pk": 7}) == "/comparisons/7/"


def test_an_upload_with_a_veto_opens_a_removal_and_the_page_names_household_category_and_removal(client, users, tree):
    """Vehicle is veto in the county: the poor household matched gets an error finding and a removal proposal; a
    property match is a warning. The detail names the member, the household, the category and the removal."""
    poor = register(tree, users, sequence=1)
    other = register(tree, users, sequence=2)
    client.force_login(users["county_officer"])
    assert client.post(CATEGORY, {"region": COUNTY, "category": "vehicle", "veto": "on"}).status_code == 302
    assert CategorySetting.objects.get(region_id=COUNTY, category="vehicle").veto
    response = client.post(UPLOAD, {
        "region": COUNTY, "department": "县公安局",
        "file": csv_file((head_number(poor), "车辆", "小型汽车"), (head_number(other), "property", "门市")),
    })  # fmt: skip
    comparison = Comparison.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/comparisons/{comparison.pk}/"
    removal = Procedure.objects.get(household=poor, kind="removal")
    page = client.get(response["Location"]).content.decode()
    assert "已上传 2 行，比中 2 人，新提出 2 个问题，发起清退 1 户。" in page
    assert "县公安局" in page and "王建国" in page
    assert f'data-household="{poor.pk}"' in page and f'data-household="{other.pk}"' in page
    assert "车辆" in page and "商品房或门市" in page  # categories in words
    assert page.count('class="badge text-bg-danger veto"') == 1
    assert f'href="/procedures/{removal.pk}/"' in page and "已发起清退程序" in page


def test_the_list_shows_uploads_and_the_county_office_the_veto_settings(client, users, tree):
    services.comparison_upload(user=users["superuser"], region=tree[COUNTY], department="县车管所", file_name="a.csv",
                               content=unmatched(1))  # fmt: skip
    client.force_login(users["county_officer"])
    page = client.get(URL).content.decode()
    assert page.count('comparison-line"') == 1 and "县车管所" in page
    assert 'id="upload-form"' in page and 'id="category-settings"' in page
    assert 'data-category="vehicle"' in page and "设为一票否决" in page
    client.force_login(users["inspector"])
    page = client.get(URL).content.decode()
    assert page.count('comparison-line"') == 1
    assert 'id="upload-form"' not in page and 'id="category-settings"' not in page


def test_a_bad_row_refuses_the_whole_file_beside_the_field_keeping_what_was_typed(client, users, tree):
    poor = register(tree, users, sequence=3)
    before = written()
    client.force_login(users["county_officer"])
    response = client.post(UPLOAD, {
        "region": COUNTY, "department": "县市场监管局",
        "file": csv_file((head_number(poor), "车辆", ""), ("123", "车辆", "")),
    })  # fmt: skip
    assert response.status_code == 200
    html = response.content.decode()
    assert "第 3 行" in html and "请按行号改正文件后重新上传" in html
    assert 'value="县市场监管局"' in html  # nothing typed lost (a file must be chosen again, as the help says)
    assert written() == before


def test_the_same_file_twice_is_refused_with_what_to_do(client, users, tree):
    poor = register(tree, users, sequence=4)
    client.force_login(users["county_officer"])
    row = (head_number(poor), "车辆", "")
    client.post(UPLOAD, {"region": COUNTY, "department": "县公安局", "file": csv_file(row)})
    before = written()
    response = client.post(UPLOAD, {"region": COUNTY, "department": "县公安局", "file": csv_file(row)})
    assert response.status_code == 200
    assert "同一文件不会重复比对" in response.content.decode()
    assert written() == before


def test_missing_fields_are_marked_and_nothing_is_written(client, users, tree):
    client.force_login(users["county_officer"])
    response = client.post(UPLOAD, {"region": COUNTY, "department": ""})
    html = response.content.decode()
    assert response.status_code == 200 and html.count("is-invalid") >= 2
    assert not Comparison.objects.exists()


def test_deceased_cannot_be_a_veto_and_says_why(client, users, tree):
    client.force_login(users["county_officer"])
    response = client.post(CATEGORY, {"region": COUNTY, "category": "deceased", "veto": "on"}, follow=True)
    assert "死亡数据总是错误级别" in response.content.decode()
    assert not CategorySetting.objects.exists()


def test_scope_and_rights(client, users, tree):
    """Another county's list is 404; only the county office uploads or sets vetoes; a region outside it is 404."""
    far = services.comparison_upload(user=users["superuser"], region=tree[OTHER_COUNTY], department="邻县公安局",
                                     file_name="b.csv", content=unmatched(1)).comparison  # fmt: skip
    client.force_login(users["county_officer"])
    assert client.get(f"/comparisons/{far.pk}/").status_code == 404
    assert client.get(URL).content.decode().count('comparison-line"') == 0
    file = csv_file(("220821196203080011", "车辆", ""))
    assert client.post(UPLOAD, {"region": OTHER_COUNTY, "department": "x", "file": file}).status_code == 404
    assert client.post(CATEGORY, {"region": OTHER_COUNTY, "category": "vehicle", "veto": "on"}).status_code == 404
    client.force_login(users["township_reviewer"])
    assert client.post(UPLOAD, {"region": TOWN_A, "department": "x"}).status_code == 403
    assert client.post(CATEGORY, {"region": COUNTY, "category": "vehicle", "veto": "on"}).status_code == 403
    near = services.comparison_upload(user=users["superuser"], region=tree[COUNTY], department="县公安局",
                                      file_name="c.csv", content=unmatched(1)).comparison  # fmt: skip
    assert client.get(f"/comparisons/{near.pk}/").status_code == 404  # a county's list is wider than the township
    assert not CategorySetting.objects.exists() and Comparison.objects.count() == 2
    client.force_login(users["nobody"])
    assert client.get(URL).status_code == 404


@pytest.mark.parametrize("rows", [3, 30])
def test_the_pages_cost_the_same_for_any_number_of_rows(client, users, tree, rows, django_assert_num_queries):
    households = [register(tree, users, sequence=10 + n) for n in range(rows)]
    content = ("证件号码,类别\n" + "".join(f"{head_number(h)},property\n" for h in households)).encode()
    for n in range(rows):
        services.comparison_upload(user=users["superuser"], region=tree[COUNTY], department=f"部门{n}",
                                   file_name=f"{n}.csv", content=content if n == 0 else unmatched(n))  # fmt: skip
    first = Comparison.objects.order_by("id").first()
    client.force_login(users["county_officer"])
    client.get(URL)
    with django_assert_num_queries(6):  # session, user, grants, administered regions, page (no count), settings
        page = client.get(URL).content.decode()
    assert page.count('comparison-line"') == min(rows, 20)
    with django_assert_num_queries(6):  # session, user, grants, comparison, match counts, page (no count)
        page = client.get(f"/comparisons/{first.pk}/").content.decode()
    assert page.count('class="list-group-item match-line') == rows
