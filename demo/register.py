"""The demo county's register (建档立卡, docs/demo.md): households, members, annual records, village profiles,
and the register's lifecycle (docs/workflows.md): procedures with their steps and notices, and the status changes.

Two layers, so that later generators (cadres, programs) extend the same county: `plan_county` decides every fact
in pure Python from one seed (no database, frozen dataclasses): this module; and `build_demo_register`
(demo.register_build) writes a plan in bulk.
The plan's fate and years (identification, exit, return, removal, closure) are recorded as the real services
would: an identification procedure for every household, exit, return and removal procedures, each ending in a
county approval that writes a dated status change, and a status change for every closure (自然销户).

Everything is synthetic: names, ID numbers (area 220821, valid check digits) and figures.
"""

import bisect
import csv
import functools
import itertools
import math
import random
from collections import Counter, defaultdict
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal

from core import regions as region_rules
from core.regions import RegionLevel
from core.roles import Role
from demo.regions import DEMO_COUNTY, DEMO_REGIONS
from households import choices, rules
from households.choices import RegistryStatus
from lifecycle import workflow
from lifecycle.choices import ProcedureKind, Step
from villages.choices import PovertyVillageStatus

REPORT_DATE = date(2017, 12, 31)
YEARS = (2014, 2015, 2016, 2017)
# The exit benchmark series (docs/domain.md; 2016 is 3146, not the statistics bureau's 2952), as the standards hold it.
POVERTY_LINES = {2014: Decimal(2800), 2015: Decimal(2855), 2016: Decimal(3146), 2017: Decimal(3335)}
VILLAGE_EXIT_THRESHOLD = Decimal("0.02")
AREA = DEMO_COUNTY[:6]

# The seed report's totals (docs/demo.md) that the plan reproduces exactly.
REGISTERED_HOUSEHOLDS = 19402
REGISTERED_PEOPLE = 37100
EXITED_PEOPLE = 28931
POVERTY_VILLAGES = 82
EXITED_VILLAGES = 49
# A later cattle-base program reaches 13186 poor people in the 59 non-poverty villages.
NON_POVERTY_VILLAGE_PEOPLE_MIN = 13500

FATES = ("poor", "exited", "returned", "removed", "closed")
REGISTERED_FATES = frozenset({"poor", "exited", "returned", "closed"})
# The generator picks a school level (学段) by age; the planned member stores the national grade of that level for the
# age (households.rules.school_grade), one of the 16 school statuses. IN_SCHOOL is the stored statuses at school.
_IN_SCHOOL_LEVELS = frozenset({"primary", "junior", "senior", "secondary_vocational", "higher_vocational", "college"})
IN_SCHOOL = choices.IN_SCHOOL

# Yearly per-person transfer standards of the demo county (yuan): basic pension 养老金, 低保金, 特困供养金.
_PENSION = {2014: 660, 2015: 840, 2016: 900, 2017: 1080}
_DIBAO = {2014: 1200, 2015: 1380, 2016: 1560, 2017: 1800}
_TEKUN = {2014: 2400, 2015: 2760, 2016: 3120, 2017: 3600}
# The Mongol townships (哈吐气蒙古族乡, 莫莫格蒙古族乡) by significant prefix.
MONGOL_TOWNSHIPS = ("220821200", "220821201")
# Safety margin under the 2 % threshold, so that a rate rounded to 4 places is still below it.
_INCIDENCE_TARGET = Decimal("0.0185")

# The lifecycle (docs/workflows.md). The demo's users, by the level they act at: the village work team takes every village
# step (application, proposal, appraisal, verification, consent, village notices), the township reviewer the township
# review and the township's notice, the county office the county approval; so no maker is ever a checker of the same procedure.
DEMO_USERS = {
    "village": ("demo_village", Role.VILLAGE_TEAM),
    "township": ("demo_township", Role.TOWNSHIP_REVIEWER),
    "county": ("demo_county", Role.COUNTY_OFFICER),
    # A second county officer: the county's announcement of a village exit 公告 is not taken by its reviewer.
    "county_head": ("demo_county_head", Role.COUNTY_OFFICER),
}
# Notice days (公示期) of the policy standard's default; the builder checks that the standards ask no more.
NOTICE_DAYS = 7
# Days before each step: after the previous step, or after the end of a notice when one precedes it (low, high).
_STEP_GAPS = {
    ProcedureKind.IDENTIFICATION: {
        Step.APPRAISAL: (3, 12),
        Step.VERIFICATION: (1, 5),
        Step.FIRST_NOTICE: (1, 3),
        Step.TOWNSHIP_REVIEW: (0, 4),
        Step.SECOND_NOTICE: (1, 4),
        Step.COUNTY_APPROVAL: (0, 5),
    },
    ProcedureKind.EXIT: {
        Step.APPRAISAL: (2, 6),
        Step.VERIFICATION: (1, 4),
        Step.CONSENT: (1, 3),
        Step.NOTICE: (1, 3),
        Step.TOWNSHIP_REVIEW: (0, 3),
        Step.COUNTY_APPROVAL: (1, 6),
    },
    ProcedureKind.RETURN: {
        Step.VERIFICATION: (2, 7),
        Step.APPRAISAL: (1, 5),
        Step.NOTICE: (1, 3),
        Step.TOWNSHIP_REVIEW: (0, 3),
        Step.COUNTY_APPROVAL: (1, 6),
    },
    ProcedureKind.REMOVAL: {
        Step.VERIFICATION: (2, 7),
        Step.NOTICE: (1, 3),
        Step.TOWNSHIP_REVIEW: (0, 3),
        Step.COUNTY_APPROVAL: (1, 6),
    },
}
_STEP_NOTES = {
    (ProcedureKind.IDENTIFICATION, Step.APPLICATION): "农户提出申请",
    (ProcedureKind.IDENTIFICATION, Step.APPRAISAL): "村民代表大会民主评议",
    (ProcedureKind.IDENTIFICATION, Step.VERIFICATION): "入户核实家庭收入和两不愁三保障情况，情况属实",
    (ProcedureKind.IDENTIFICATION, Step.TOWNSHIP_REVIEW): "乡镇审核通过",
    (ProcedureKind.IDENTIFICATION, Step.COUNTY_APPROVAL): "县扶贫开发领导小组审定，公告纳入建档立卡",
    (ProcedureKind.EXIT, Step.APPRAISAL): "村民代表大会民主评议",
    (ProcedureKind.EXIT, Step.VERIFICATION): "入户核实，收入和两不愁三保障达标",
    (ProcedureKind.EXIT, Step.CONSENT): "户主签字认可脱贫",
    (ProcedureKind.EXIT, Step.TOWNSHIP_REVIEW): "乡镇审核通过",
    (ProcedureKind.EXIT, Step.COUNTY_APPROVAL): "县级审定，公告脱贫退出",
    (ProcedureKind.RETURN, Step.VERIFICATION): "入户核实，因大病支出大、收入低于贫困线",
    (ProcedureKind.RETURN, Step.APPRAISAL): "村民代表大会民主评议",
    (ProcedureKind.RETURN, Step.TOWNSHIP_REVIEW): "乡镇审核通过",
    (ProcedureKind.RETURN, Step.COUNTY_APPROVAL): "县级审定，公告返贫",
    (ProcedureKind.REMOVAL, Step.VERIFICATION): "入户核实，情况属实",
    (ProcedureKind.REMOVAL, Step.TOWNSHIP_REVIEW): "乡镇审核通过",
    (ProcedureKind.REMOVAL, Step.COUNTY_APPROVAL): "县级审定，公告清退",
}
# The 2017 removals (清退) of the cross-check campaign: reason codes of docs/workflows.md and what the team found.
_REMOVAL_REASONS = {
    "wrongly_included": (40, "2017年数据比对核查：家庭收入明显高于贫困线，不符合识别标准"),
    "vehicle": (30, "2017年数据比对核查：家庭成员名下登记有小轿车"),
    "property": (15, "2017年数据比对核查：在县城购有商品房"),
    "business": (15, "2017年数据比对核查：家庭成员经营工商企业"),
}
_RETURN_NOTE = "家庭成员患大病，医疗支出大，收入低于贫困线，申请返贫"
# Votes against in a village appraisal (民主评议) of some 15 to 45 representatives: mostly none.
_VOTES_AGAINST = (0,) * 70 + (1,) * 18 + (2,) * 8 + (3,) * 4


# ---------------------------------------------------------------------------------------------------------------------
# The plan: frozen facts
# ---------------------------------------------------------------------------------------------------------------------


def _age_on(birth_date: date, day: date) -> int:
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def _member_on(member, day: date) -> bool:
    """A member of the household on that day (joined on or before it, not yet left), as Member.objects.active_on."""
    return (member.joined_on is None or member.joined_on <= day) and (member.left_on is None or member.left_on > day)


@dataclass(frozen=True, slots=True)
class PlannedMember:
    """A planned household member (家庭成员) with every field the register stores."""

    name: str
    sex: str
    birth_date: date
    relation: str
    id_number: str
    ethnicity: str
    education: str
    school_status: str
    dropout: bool
    dropout_reason: str
    health: str
    disability_category: str
    disability_grade: int | None
    labour: str
    migrant_work: str
    migrant_months: int
    medical_insurance: bool
    serious_illness_insurance: bool
    pension_insurance: bool
    receives_dibao: bool
    receives_tekun: bool
    joined_on: date | None
    join_reason: str
    left_on: date | None
    left_reason: str
    id_type: str = "resident_id"
    # The demo's villagers are rural residents: none is in the employees' scheme (entered as no, not unknown).
    employee_medical_insurance: bool = False

    def active_on(self, day: date) -> bool:
        """A member of the household on that day (joined on or before it, not yet left), as Member.active_on."""
        return _member_on(self, day)

    def age_on(self, day: date) -> int:
        return _age_on(self.birth_date, day)


@dataclass(frozen=True, slots=True)
class PlannedRecord:
    """A planned annual record (年度信息): income items, derived income and living conditions (两不愁三保障)."""

    year: int
    wages: Decimal
    business_income: Decimal
    business_cost: Decimal
    property_income: Decimal
    dibao: Decimal
    tekun: Decimal
    pension: Decimal
    eco_compensation: Decimal
    family_planning: Decimal
    other_transfer: Decimal
    uncounted_income: Decimal
    transfer_income: Decimal
    net_income: Decimal
    members_counted: int
    per_capita_income: Decimal | None
    food_secure: bool | None
    clothing_secure: bool | None
    housing_grade: str
    renovation_year: int | None
    relocation_done: bool
    water_safe: bool | None
    water_access_ok: bool | None
    electricity: bool | None
    sanitary_toilet: bool | None
    house_area: Decimal | None


@dataclass(frozen=True, slots=True)
class PlannedStep:
    """A planned procedure step (程序步骤), always approved: the date, who acts (village, township, county), its data."""

    step: str
    on: date
    actor: str
    note: str = ""
    votes_for: int | None = None
    votes_against: int | None = None
    participants: int | None = None
    notice_start: date | None = None
    notice_end: date | None = None

    @property
    def is_notice(self) -> bool:
        return self.step in workflow.NOTICE_STEPS

    @property
    def data(self) -> dict:
        """The step data as the lifecycle stores it: appraisal votes, notice dates (ISO strings)."""
        if self.step == Step.APPRAISAL:
            return {"votes_for": self.votes_for, "votes_against": self.votes_against, "participants": self.participants}
        if self.is_notice:
            return {"start": self.notice_start.isoformat(), "end": self.notice_end.isoformat()}
        return {}


@dataclass(frozen=True, slots=True)
class PlannedProcedure:
    """A planned procedure (程序) run to its county approval: kind, reason, the year it evaluates, its steps."""

    kind: str
    year: int
    reason: str
    steps: tuple[PlannedStep, ...]

    @property
    def opened_on(self) -> date:
        return self.steps[0].on

    @property
    def decided_on(self) -> date:
        """The county approval's date: the procedure's decision and its status change's effective date."""
        return self.steps[-1].on

    @property
    def outcome(self) -> tuple[str, bool]:
        """The registry status the approval writes and the returned flag (workflow.outcome)."""
        _track, status, returned = workflow.outcome(self.kind)
        return str(status), returned


@dataclass(frozen=True, slots=True)
class PlannedStatusChange:
    """A planned status change (状态变更): written by a procedure's county approval, or by a closure (no procedure)."""

    status: str
    returned: bool
    effective_on: date
    procedure_kind: str


@dataclass(frozen=True, slots=True)
class PlannedHousehold:
    """A planned household (贫困户): register facts, its registry life (fate and years), members and records."""

    number: str
    village_code: str
    sequence: int
    villager_group: str
    address: str
    identification_standard: str
    attribute: str
    main_cause: str
    other_causes: tuple[str, ...]
    stars: int | None
    relocated: bool
    relocation_mode: str
    relocation_placement: str
    relocation_site: str
    identified_year: int
    identified_on: date
    fate: str
    exit_year: int | None
    return_year: int | None
    removed_year: int | None
    closed_on: date | None
    members: tuple[PlannedMember, ...]
    records: tuple[PlannedRecord, ...]
    procedures: tuple[PlannedProcedure, ...] = ()

    @property
    def registered(self) -> bool:
        """Counted as registered (建档立卡) by the summaries: every fate but removed (清退)."""
        return self.fate in REGISTERED_FATES

    def active_members(self, day: date) -> list[PlannedMember]:
        return [member for member in self.members if member.active_on(day)]

    def status_at_end_of(self, year: int) -> str | None:
        """Registry status on Dec 31 of the year (poor, exited, removed, closed); None before identification."""
        if year < self.identified_year:
            return None
        if self.closed_on is not None and self.closed_on.year <= year:
            return "closed"
        if self.removed_year is not None and self.removed_year <= year:
            return "removed"
        if self.return_year is not None and self.return_year <= year:
            return "poor"
        if self.exit_year is not None and self.exit_year <= year:
            return "exited"
        return "poor"

    def intended_exit_pass(self, year: int) -> bool | None:
        """What the exit evaluation must say for the year: True/False, None where the design leaves it open."""
        if self.fate in ("closed", "removed"):
            return None
        if self.fate == "returned":
            return year == self.exit_year
        if self.fate == "exited":
            return year >= self.exit_year
        return False

    def record(self, year: int) -> PlannedRecord | None:
        return next((record for record in self.records if record.year == year), None)

    def status_changes(self) -> tuple[PlannedStatusChange, ...]:
        """The episodes in date order: one per approved procedure, and the closure (自然销户) when there is one."""
        changes = [
            PlannedStatusChange(*procedure.outcome, effective_on=procedure.decided_on, procedure_kind=procedure.kind)
            for procedure in self.procedures
        ]
        if self.closed_on is not None:
            changes.append(PlannedStatusChange(RegistryStatus.CLOSED.value, False, self.closed_on, ""))
        return tuple(sorted(changes, key=lambda change: change.effective_on))

    def status_on(self, day: date) -> PlannedStatusChange | None:
        """The status change in force on the day (as statuses_as_of reads it), None before the first decision."""
        current = None
        for change in self.status_changes():
            if change.effective_on <= day:
                current = change
        return current


@dataclass(frozen=True, slots=True)
class PlannedVillageYear:
    """A village's figures for one year (村年度数据): rural population, infrastructure, collective income."""

    year: int
    rural_population: int
    hardened_road: bool
    safe_water: bool
    power_grid: bool
    broadband: bool
    clinic: bool
    culture_room: bool
    collective_income: Decimal


@dataclass(frozen=True, slots=True)
class PlannedVillage:
    """A planned administrative village (行政村): poverty-village status (贫困村) and exit year (出列), groups, years."""

    code: str
    name: str
    township_code: str
    township_name: str
    poverty_status: str
    identified_year: int | None
    exit_year: int | None
    villager_groups: tuple[str, ...]
    years: tuple[PlannedVillageYear, ...]

    @property
    def profile_status(self) -> str:
        """The village profile's current status: exited villages are 已出列."""
        return PovertyVillageStatus.EXITED if self.exit_year else self.poverty_status

    def year(self, year: int) -> PlannedVillageYear:
        return next(item for item in self.years if item.year == year)


@dataclass(frozen=True, slots=True)
class CountyPlan:
    """The whole demo county (镇赉县) as planned from one seed: villages and households, in number order."""

    seed: int
    villages: tuple[PlannedVillage, ...]
    households: tuple[PlannedHousehold, ...]

    def registered_households(self) -> list[PlannedHousehold]:
        return [household for household in self.households if household.registered]

    def people(self, *, day: date = REPORT_DATE, fates=REGISTERED_FATES, village_codes=None) -> int:
        """Members active on the day in households of these fates (the summaries' people), optionally by village."""
        return sum(
            len(household.active_members(day))
            for household in self.households
            if household.fate in fates and (village_codes is None or household.village_code in village_codes)
        )

    def poor_people_by_village(self, year: int) -> Counter:
        """People of households poor on Dec 31 of the year (the numerator of poverty incidence), by village."""
        year_end = date(year, 12, 31)
        counts = Counter()
        for household in self.households:
            if household.status_at_end_of(year) == "poor":
                counts[household.village_code] += len(household.active_members(year_end))
        return counts

    def poverty_incidence(self, *, village_code: str, year: int) -> Decimal:
        """Poverty incidence (贫困发生率) = poor people at the year's end ÷ rural registered population."""
        village = next(item for item in self.villages if item.code == village_code)
        population = village.year(year).rural_population
        return Decimal(self.poor_people_by_village(year)[village_code]) / Decimal(population)


def passes_exit_checks(record_facts, members, year) -> bool:
    """Whether a household passes every exit check (两不愁三保障 + income, docs/workflows.md, Eligibility checks) for the year, on plan facts."""
    # The reference the eligibility engine is tested against. `record_facts` is the year's annual record (anything
    # with PlannedRecord's fields); `members` every member the household ever had (planned or stored): those
    # active on Dec 31 count.
    year_end = date(year, 12, 31)
    active = [member for member in members if _member_on(member, year_end)]
    # Income: per-capita net income, which never includes uncounted income, strictly above the poverty line.
    if record_facts.per_capita_income is None or record_facts.per_capita_income <= POVERTY_LINES[year]:
        return False
    if record_facts.food_secure is not True or record_facts.clothing_secure is not True:
        return False
    # Compulsory education (义务教育): a pupil aged 6–15 out of school only for illness or disability.
    if any(
        6 <= _age_on(member.birth_date, year_end) <= 15
        and member.dropout
        and member.dropout_reason != "illness_or_disability"
        for member in active
    ):
        return False
    if not all(member.medical_insurance and member.serious_illness_insurance for member in active):
        return False
    housing_safe = (
        record_facts.housing_grade in ("A", "B")
        or (
            record_facts.housing_grade in ("C", "D")
            and record_facts.renovation_year is not None
            and record_facts.renovation_year <= year
        )
        or record_facts.relocation_done
    )
    if not housing_safe:
        return False
    return record_facts.water_safe is True and record_facts.water_access_ok is True


# ---------------------------------------------------------------------------------------------------------------------
# Names (姓名)
# ---------------------------------------------------------------------------------------------------------------------

_SURNAMES = (
    "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟"
    "谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严武戴孔汤常温康施文牛樊葛邢安齐"
    "乔庞颜倪聂鲁岳翟殷申耿关兰焦左柳祝包宁尚纪梅童毕单季裴霍成苗谷盛曲骆路辛靳管柴鲍华祁房滕屈解牟艾尤时穆司"
    "车连芦窦景宫卜冷席卫米柏佟臧边卞隋商刁荣郎甄丛仲敖巩迟"
)
# Surname frequency falls off steeply (王, 李, 张 … are far commoner than 迟).
_SURNAME_CUMULATIVE = tuple(itertools.accumulate(1 / (rank + 6) for rank in range(len(_SURNAMES))))
_ETHNIC_SURNAMES = {
    "mongol": "包白韩吴宝敖金云鲍乌",
    "man": "关佟那富赵肇金索何",
    "hui": "马丁白哈杨李",
}
_MONGOL_GIVEN = {
    "male": (
        "巴特尔",
        "那日苏",
        "苏和",
        "朝鲁",
        "宝音",
        "额尔敦",
        "阿拉坦",
        "孟和",
        "巴雅尔",
        "布和",
        "达来",
        "吉日嘎拉",
    ),
    "female": ("其木格", "乌云", "斯琴", "图雅", "萨仁", "格日勒", "高娃", "塔娜", "娜仁", "乌兰", "哈斯", "托娅"),
}
_GIVEN = {
    ("male", "old"): "福贵德林长海振山宝财玉志广庆发文武树春生明有才仁义金永喜顺富占青",
    ("male", "mid"): "国建军海明伟志刚强东春立平勇辉斌红波峰杰文成兵亮磊新华涛忠卫庆",
    ("male", "young"): "浩宇轩博涛鑫磊鹏昊晨阳子泽俊睿航天一铭皓凯然旭嘉文豪翔宏",
    ("female", "old"): "秀英兰凤桂珍芬玉淑荣琴云芝霞华香翠贞素花梅彩金惠",
    ("female", "mid"): "丽艳红梅华霞玲燕娟敏静芳萍莉春杰颖冬雪秀晶波辉洁丹",
    ("female", "young"): "婷雪悦欣琪佳雨涵萱怡妍思梦诗馨彤可一宁月晨瑶钰欢蕊",
}
_GROUP_NAMES = ("一组", "二组", "三组", "四组", "五组", "六组", "七组", "八组")

# Main causes (主要致贫原因) by kind of household: illness and disability lead everywhere.
_CAUSES_ELDER = {
    "illness": 50,
    "disability": 14,
    "lack_labour": 22,
    "lack_funds": 6,
    "disaster": 3,
    "lack_skills": 2,
    "lack_land": 2,
    "other": 1,
}
_CAUSES_ADULT = {
    "illness": 40,
    "disability": 22,
    "lack_skills": 12,
    "lack_funds": 12,
    "lack_labour": 3,
    "low_motivation": 4,
    "disaster": 3,
    "lack_land": 3,
    "poor_transport": 1,
}
_CAUSES_FAMILY = {
    "illness": 34,
    "disability": 12,
    "schooling": 20,
    "lack_funds": 12,
    "lack_skills": 10,
    "lack_labour": 3,
    "disaster": 4,
    "lack_land": 3,
    "poor_transport": 1,
    "low_motivation": 1,
}
_OTHER_CAUSES = {
    "lack_funds": 30,
    "lack_skills": 20,
    "illness": 15,
    "lack_labour": 12,
    "disability": 6,
    "disaster": 6,
    "lack_land": 5,
    "poor_transport": 3,
    "low_motivation": 3,
}
_DISABILITY_CATEGORIES = {
    "physical": 45,
    "visual": 12,
    "hearing": 10,
    "speech": 3,
    "intellectual": 12,
    "mental": 10,
    "multiple": 8,
}
# Household size on the report date (家庭人口): mostly one to three people.
_SIZE_WEIGHTS = {1: 37, 2: 42, 3: 12, 4: 6, 5: 2.4, 6: 0.6}


def _read_villages() -> list[tuple[str, str, str, str]]:
    """(code, name, township code, township name) of the demo county's villages, from the regions file."""
    with DEMO_REGIONS.open(encoding="utf-8") as handle:
        rows = [(row["code"], row["name"]) for row in csv.DictReader(handle)]
    names = dict(rows)
    villages = []
    for code, name in rows:
        if code.startswith(AREA) and region_rules.level_of(code) == RegionLevel.VILLAGE:
            township = region_rules.parent_code(code)
            villages.append((code, name, township, names[township]))
    return sorted(villages)


# ---------------------------------------------------------------------------------------------------------------------
# The planner (mutable drafts, frozen at the end)
# ---------------------------------------------------------------------------------------------------------------------


class _Person:
    """A member while being planned; frozen into PlannedMember at the end."""

    __slots__ = (
        "birth_date",
        "departed",
        "disability",
        "dropout",
        "health",
        "id_number",
        "join_reason",
        "joined_on",
        "labour",
        "left_on",
        "left_reason",
        "medical",
        "migrant_months",
        "migrant_work",
        "name",
        "pension",
        "receives_dibao",
        "receives_tekun",
        "relation",
        "school_status",
        "serious_insured",
        "sex",
        "student",
        "surname",
    )

    def __init__(self, *, relation, sex, birth_date, surname):
        self.relation = relation
        self.sex = sex
        self.birth_date = birth_date
        self.surname = surname
        self.health = "healthy"
        self.disability = None
        self.dropout = None
        self.student = False
        self.school_status = "not_in_school"
        self.labour = "none"
        self.migrant_work = "none"
        self.migrant_months = 0
        self.medical = True
        self.serious_insured = True
        self.pension = False
        self.receives_dibao = False
        self.receives_tekun = False
        self.joined_on = None
        self.join_reason = "registration"
        self.left_on = None
        self.left_reason = ""
        self.departed = False
        self.name = ""
        self.id_number = ""

    @property
    def age(self) -> int:
        """Age on the report date."""
        return _age_on(self.birth_date, REPORT_DATE)


class _Draft:
    """A household while being planned."""

    __slots__ = (
        "attribute",
        "cause",
        "closed_on",
        "ethnicity",
        "exit_year",
        "fail_mode",
        "fate",
        "group",
        "identified_on",
        "kind",
        "members",
        "other_causes",
        "relocation",
        "removed_year",
        "return_year",
        "size",
        "stars",
        "village",
    )

    def __init__(self, *, village, fate):
        self.village = village
        self.fate = fate
        self.exit_year = None
        self.return_year = None
        self.removed_year = None
        self.closed_on = None
        self.identified_on = None
        self.size = 0
        self.members: list[_Person] = []
        self.kind = ""
        self.cause = ""
        self.other_causes: tuple[str, ...] = ()
        self.attribute = "general"
        self.stars = None
        self.ethnicity = "han"
        self.fail_mode = ""
        self.relocation = None
        self.group = ""

    @property
    def identified_year(self) -> int:
        return self.identified_on.year

    def head(self) -> _Person:
        return next(person for person in self.members if person.relation == rules.HEAD)


def allocate(total: int, weights: dict) -> dict:
    """Split a whole total over keys in proportion to weights, exactly (largest remainders, ties in key order)."""
    keys = sorted(weights)
    whole = sum(weights.values())
    shares = {key: total * weights[key] / whole for key in keys}
    counts = {key: int(shares[key]) for key in keys}
    rest = total - sum(counts.values())
    for key in sorted(keys, key=lambda key: (counts[key] - shares[key], key))[:rest]:
        counts[key] += 1
    return counts


class Planner:
    """Plans the county step by step from one random.Random(seed); every draw goes through self.rng, in order."""

    def __init__(self, seed: int):
        self.seed = seed
        self.rng = random.Random(seed)  # noqa: S311 - synthetic demo data
        self.used_ids: set[str] = set()

    # -- small random helpers ----------------------------------------------------------------------------------------

    def pick(self, weights: dict):
        """A key drawn with the given weights (the lists are short: a linear walk beats random.choices)."""
        point = self.rng.random() * sum(weights.values())
        for key, weight in weights.items():
            point -= weight
            if point < 0:
                return key
        return key

    def day_between(self, *, start: date, end: date) -> date:
        return start + timedelta(days=self.rng.randint(0, (end - start).days))

    def birth_date(self, age: int) -> date:
        """A birth date giving this age on the report date (Dec 31: the age is 2017 minus the birth year)."""
        year = REPORT_DATE.year - age
        return self.day_between(start=date(year, 1, 1), end=date(year, 12, 31))

    def allocate(self, *, total: int, weights: dict) -> dict:
        return allocate(total, weights)

    # -- villages ----------------------------------------------------------------------------------------------------

    def plan(self) -> CountyPlan:
        rng = self.rng
        villages = _read_villages()
        codes = [code for code, *_ in villages]
        self.village_info = {code: (name, township, township_name) for code, name, township, township_name in villages}
        poverty = sorted(rng.sample(codes, POVERTY_VILLAGES))
        weight = {code: rng.uniform(0.7, 1.3) for code in codes}
        # Exits are concentrated in the bigger poverty villages: weighted sampling without replacement.
        exited = sorted(sorted(poverty, key=lambda code: rng.random() ** (1 / weight[code] ** 4))[-EXITED_VILLAGES:])
        exit_2016 = set(rng.sample(exited, 20))
        self.village_exit = {code: (2016 if code in exit_2016 else 2017) for code in exited}
        self.poverty = set(poverty)
        category = {
            code: "exited" if code in self.village_exit else "poverty" if code in self.poverty else "non_poverty"
            for code in codes
        }
        factor = {"exited": 1.15, "poverty": 0.95, "non_poverty": 1.0}
        households_by_village = self.allocate(
            total=REGISTERED_HOUSEHOLDS, weights={code: weight[code] * factor[category[code]] for code in codes}
        )

        drafts = self.plan_fates(codes=codes, category=category, households_by_village=households_by_village)
        self.plan_sizes(drafts)
        for draft in drafts:
            self.compose(draft)
        self.assign_ids(drafts)
        groups = {code: _GROUP_NAMES[: rng.randint(3, 8)] for code in codes}
        for draft in drafts:
            draft.group = rng.choice(groups[draft.village])
        households = self.freeze_households(drafts)
        # The lifecycle draws from its own generator, so that the register's facts do not depend on it.
        households = _LifecyclePlanner(self.seed).plan(households)
        planned_villages = self.plan_villages(codes=codes, groups=groups, households=households)
        return CountyPlan(seed=self.seed, villages=planned_villages, households=households)

    def plan_fates(self, *, codes, category, households_by_village) -> list[_Draft]:
        """Every household's fate and years: few poor left in exited villages, the rest spread by size."""
        rng = self.rng
        closed_total = rng.randint(110, 150)
        returned_total = rng.randint(8, 15)
        removed_total = rng.randint(6, 12)
        new_by_year = {year: rng.randint(15, 30) for year in (2015, 2016, 2017)}
        # Households poor on the report date: sized so that their mean size is near the county's.
        poor_total = round((REGISTERED_PEOPLE - EXITED_PEOPLE) / 1.91)

        closed = Counter(rng.choices(codes, weights=[households_by_village[code] for code in codes], k=closed_total))
        poor = {code: rng.randint(2, 8) for code in codes if category[code] == "exited"}
        others = [code for code in codes if category[code] != "exited"]
        poor.update(
            self.allocate(
                total=poor_total - sum(poor.values()),
                weights={
                    code: households_by_village[code] * (1.3 if category[code] == "poverty" else 1.0) for code in others
                },
            )
        )
        drafts = []
        for code in codes:
            count = households_by_village[code]
            fates = ["closed"] * closed[code] + ["poor"] * poor[code]
            fates += ["exited"] * (count - len(fates))
            for fate in fates:
                draft = _Draft(village=code, fate=fate)
                if fate == "exited":
                    village_exit = self.village_exit.get(code)
                    if village_exit == 2016:
                        draft.exit_year = 2016 if rng.random() < 0.985 else 2017
                    else:
                        draft.exit_year = 2016 if rng.random() < 0.42 else 2017
                drafts.append(draft)
        # Returned and newly identified households are poor at the end, outside the exited villages.
        other_villages = set(others)
        poor_elsewhere = [draft for draft in drafts if draft.fate == "poor" and draft.village in other_villages]
        chosen = rng.sample(poor_elsewhere, returned_total + sum(new_by_year.values()))
        for draft in chosen[:returned_total]:
            draft.fate, draft.exit_year, draft.return_year = "returned", 2016, 2017
        new_years = [year for year, count in new_by_year.items() for _ in range(count)]
        for draft, year in zip(chosen[returned_total:], new_years, strict=True):
            draft.identified_on = self.day_between(start=date(year, 5, 1), end=date(year, 11, 30))
        for _ in range(removed_total):
            code = rng.choice(sorted(code for code in others if category[code] == "non_poverty"))
            draft = _Draft(village=code, fate="removed")
            draft.removed_year = 2017
            drafts.append(draft)
        for draft in drafts:
            if draft.identified_on is None:
                # The 2014 registration drive (建档立卡) ran from spring to autumn.
                draft.identified_on = self.day_between(start=date(2014, 4, 10), end=date(2014, 10, 31))
            if draft.fate == "closed":
                draft.closed_on = self.day_between(start=date(2015, 1, 1), end=date(2017, 12, 20))
        return drafts

    def plan_sizes(self, drafts):
        """Household sizes on the report date, adjusted so that the exact people totals hold."""
        rng = self.rng
        groups = {"exited": [], "poor": []}
        for draft in drafts:
            if draft.fate == "closed":
                draft.size = 0
            elif draft.fate == "removed":
                draft.size = rng.randint(2, 4)
            else:
                draft.size = self.pick(_SIZE_WEIGHTS)
                groups["exited" if draft.fate == "exited" else "poor"].append(draft)
        targets = {"exited": EXITED_PEOPLE, "poor": REGISTERED_PEOPLE - EXITED_PEOPLE}
        for group, members in groups.items():
            total = sum(draft.size for draft in members)
            while total != targets[group]:
                draft = rng.choice(members)
                if total < targets[group] and draft.size < 6:
                    draft.size += 1
                    total += 1
                elif total > targets[group] and draft.size > 1:
                    draft.size -= 1
                    total -= 1

    # -- members -----------------------------------------------------------------------------------------------------

    def ethnicity_for(self, village: str) -> str:
        if village.startswith(MONGOL_TOWNSHIPS):
            return self.pick({"mongol": 45, "han": 50, "man": 3, "hui": 2})
        return self.pick({"han": 92, "mongol": 4, "man": 3, "hui": 1})

    def surname_for(self, ethnicity: str) -> str:
        if ethnicity in _ETHNIC_SURNAMES and self.rng.random() < 0.7:
            return self.rng.choice(_ETHNIC_SURNAMES[ethnicity])
        return _SURNAMES[bisect.bisect(_SURNAME_CUMULATIVE, self.rng.random() * _SURNAME_CUMULATIVE[-1])]

    def given_name(self, *, sex: str, birth_year: int, ethnicity: str) -> str:
        rng = self.rng
        if ethnicity == "mongol" and rng.random() < 0.35:
            return rng.choice(_MONGOL_GIVEN[sex])
        era = "old" if birth_year < 1960 else "mid" if birth_year < 1990 else "young"
        pool = _GIVEN[(sex, era)]
        first = rng.choice(pool)
        if rng.random() < 0.25:
            return first
        second = rng.choice(pool)
        while second == first:
            second = rng.choice(pool)
        return first + second

    def person(self, draft, *, relation, sex, age, surname=None):
        person = _Person(relation=relation, sex=sex, birth_date=self.birth_date(max(age, 0)), surname=surname)
        draft.members.append(person)
        return person

    def compose(self, draft):
        """Who lives in the household (家庭成员构成), their health, labour, schooling and the household's causes."""
        rng = self.rng
        draft.ethnicity = self.ethnicity_for(draft.village)
        family = self.surname_for(draft.ethnicity)
        if draft.fate == "closed":
            self.compose_closed(draft, family=family)
        elif draft.fate == "removed":
            self.compose_removed(draft, family=family)
        else:
            self.compose_living(draft, family=family)
        self.add_departures(draft, family=family)
        self.settle_memberships(draft)
        for person in draft.members:
            self.assign_school(person)
        self.assign_cause(draft)
        self.assign_health(draft)
        for person in draft.members:
            self.assign_labour(person)
        self.assign_support(draft)
        for person in draft.members:
            if person.surname is None:
                person.surname = self.surname_for(draft.ethnicity)
            person.name = person.surname + self.given_name(
                sex=person.sex, birth_year=person.birth_date.year, ethnicity=draft.ethnicity
            )
        if draft.fate == "poor" and draft.identified_year == 2014:
            draft.fail_mode = self.pick({"income": 85, "housing": 8, "insurance": 7})
        else:
            draft.fail_mode = "income"
        if draft.fail_mode == "insurance":
            draft.head().serious_insured = False
        if draft.fate == "exited" and rng.random() < 0.012:
            draft.relocation = (
                draft.exit_year,
                self.pick({"single_household": 60, "whole_natural_village": 40}),
                self.pick({"centralized": 70, "dispersed": 30}),
                self.pick({"township": 40, "inside_village": 35, "county_town": 15, "outside_village": 10}),
            )

    def compose_closed(self, draft, *, family):
        """A closed household (自然销户): an elderly person, maybe an elderly couple, all died by closed_on."""
        rng = self.rng
        draft.kind = "closed"
        sex = "male" if rng.random() < 0.45 else "female"
        head_age = rng.randint(68, 92)
        head = self.person(draft, relation=rules.HEAD, sex=sex, age=head_age, surname=family if sex == "male" else None)
        head.left_on, head.left_reason = draft.closed_on, "deceased"
        if rng.random() < 0.3 and draft.closed_on > date(2015, 3, 1):
            spouse = self.person(
                draft,
                relation=rules.SPOUSE,
                sex=_other(sex),
                age=head_age + rng.randint(-4, 4),
                surname=family if sex == "female" else None,
            )
            spouse.left_on = self.day_between(start=date(2015, 1, 1), end=draft.closed_on - timedelta(days=30))
            spouse.left_reason = "deceased"

    def compose_removed(self, draft, *, family):
        """A household removed in 2017 (清退): a working family that never qualified."""
        draft.kind = "removed"
        head_age = self.rng.randint(35, 55)
        self.person(draft, relation=rules.HEAD, sex="male", age=head_age, surname=family)
        self.person(draft, relation=rules.SPOUSE, sex="female", age=head_age - self.rng.randint(0, 5))
        for _ in range(draft.size - 2):
            self.child(draft, family=family, parent_age=head_age)

    def child(self, draft, *, family, parent_age, relation_base=("03", "04"), min_age=0, max_age=None):
        rng = self.rng
        sex = "male" if rng.random() < 0.52 else "female"
        if max_age is None:
            # Born to a parent aged 21 to 38.
            low, high = max(min_age, parent_age - 38), parent_age - 21
        else:
            low, high = min_age, max_age
        age = rng.randint(min(low, high), high) if high >= 0 else 0
        relation = relation_base[0] if sex == "male" else relation_base[1]
        surname = family if relation in ("03", "04", "07", "08") else None
        return self.person(draft, relation=relation, sex=sex, age=max(age, 0), surname=surname)

    def compose_living(self, draft, *, family):
        """A household with members on the report date: its kind follows its size."""
        rng = self.rng
        size = draft.size
        kinds = {
            1: {"single_elder": 78, "single_adult": 22},
            2: {"elder_couple": 60, "couple": 15, "parent_child": 16, "grandparent_child": 9},
            3: {
                "couple_child": 55,
                "elder_couple_son": 15,
                "grandparents_child": 12,
                "parent_children": 10,
                "couple_parent": 8,
            },
            4: {"couple_children": 45, "couple_child_parent": 30, "three_generations": 25},
            5: {"couple_children": 20, "couple_child_parent": 40, "three_generations": 40},
            6: {"couple_child_parent": 50, "three_generations": 50},
        }[size]
        kind = draft.kind = self.pick(kinds)
        elder_age = int(rng.triangular(60, 90, 68))
        if kind in ("single_elder", "elder_couple", "elder_couple_son", "grandparents_child", "grandparent_child"):
            head_age = elder_age if kind != "grandparent_child" else rng.randint(55, 80)
        elif kind == "three_generations":
            head_age = rng.randint(52, 76)
        elif kind == "single_adult":
            head_age = rng.randint(30, 59)
        else:
            head_age = rng.randint(30, 58)
        single = kind in ("single_elder", "single_adult", "parent_child", "grandparent_child", "parent_children")
        if single:
            female_share = {"single_elder": 0.55, "single_adult": 0.25}.get(kind, 0.55)
            sex = "female" if rng.random() < female_share else "male"
        else:
            sex = "male" if rng.random() < 0.93 else "female"
        head = self.person(draft, relation=rules.HEAD, sex=sex, age=head_age, surname=family if sex == "male" else None)
        if not single:
            gap = rng.randint(-6, 2) if sex == "male" else rng.randint(-2, 6)
            self.person(
                draft,
                relation=rules.SPOUSE,
                sex=_other(sex),
                age=head_age + gap,
                surname=family if sex == "female" else None,
            )
        if head.sex == "female" and head.surname is None:
            # A widow heads the household; the children carry their late father's surname.
            head.surname = self.surname_for(draft.ethnicity)
        if kind in ("parent_child", "couple_child"):
            self.child(draft, family=family, parent_age=head_age)
        elif kind in ("parent_children", "couple_children"):
            for _ in range(size - (1 if kind == "parent_children" else 2)):
                self.child(draft, family=family, parent_age=head_age)
        elif kind in ("grandparent_child", "grandparents_child"):
            via_son = rng.random() < 0.85
            self.child(
                draft,
                family=family,
                parent_age=head_age,
                relation_base=("07", "08") if via_son else ("09", "10"),
                min_age=3,
                max_age=17,
            )
        elif kind == "elder_couple_son":
            son = self.person(draft, relation="03", sex="male", age=head_age - rng.randint(24, 34), surname=family)
            son.health = "flag"  # an adult son at home is usually ill or disabled; settled in assign_health
        elif kind == "couple_parent":
            self.parent(draft, family=family, head_age=head_age, head_sex=sex)
        elif kind == "couple_child_parent":
            children = size - 3 if size < 6 else 2
            for _ in range(children):
                self.child(draft, family=family, parent_age=head_age)
            for _ in range(size - 2 - children):
                self.parent(draft, family=family, head_age=head_age, head_sex=sex)
        elif kind == "three_generations":
            son_age = max(head_age - rng.randint(22, 30), 20)
            self.person(draft, relation="03", sex="male", age=son_age, surname=family)
            self.person(draft, relation="05", sex="female", age=son_age - rng.randint(-2, 4))
            for _ in range(size - 4):
                self.child(
                    draft, family=family, parent_age=son_age, relation_base=("07", "08"), max_age=min(son_age - 20, 17)
                )

    def parent(self, draft, *, family, head_age, head_sex):
        present = {person.relation for person in draft.members}
        relation = "12" if "12" not in present else "11"
        if relation == "11" and "11" in present:
            return None
        age = min(head_age + self.rng.randint(22, 34), 96)
        surname = family if relation == "11" and head_sex == "male" else None
        return self.person(
            draft, relation=relation, sex="male" if relation == "11" else "female", age=age, surname=surname
        )

    def add_departures(self, draft, *, family):
        """A few deaths (死亡) and marriages out (嫁出) during 2015–2017, beside the members counted at the end."""
        rng = self.rng
        if draft.fate in ("closed", "removed"):
            return
        head = draft.head()
        relations = {person.relation for person in draft.members}
        start = max(date(2015, 1, 1), draft.identified_on + timedelta(days=30))
        if start >= date(2017, 12, 1):
            return
        if rng.random() < 0.028:
            if rules.SPOUSE not in relations and head.age >= 58:
                person = self.person(
                    draft,
                    relation=rules.SPOUSE,
                    sex=_other(head.sex),
                    age=head.age + rng.randint(-3, 6),
                    surname=family if head.sex == "female" else None,
                )
            elif head.age <= 58 and "11" not in relations:
                person = self.person(
                    draft,
                    relation="11",
                    sex="male",
                    age=min(head.age + rng.randint(24, 34), 95),
                    surname=family if head.sex == "male" else None,
                )
            else:
                person = None
            if person is not None:
                person.left_on, person.left_reason = self.day_between(start=start, end=REPORT_DATE), "deceased"
        if 44 <= head.age <= 68 and rng.random() < 0.012:
            person = self.person(
                draft, relation="04", sex="female", age=min(rng.randint(21, 29), head.age - 20), surname=family
            )
            person.left_on, person.left_reason = self.day_between(start=start, end=REPORT_DATE), "married_out"

    def settle_memberships(self, draft):
        """Joined dates: registration on the identification day, or birth (出生) when born after it."""
        for person in draft.members:
            if person.birth_date > draft.identified_on:
                if person.birth_date.year == draft.identified_on.year or person.left_on is not None:
                    # Born in the registration year: registered with the household, not a later birth.
                    person.birth_date = draft.identified_on - timedelta(days=self.rng.randint(1, 60))
                    person.joined_on = draft.identified_on
                else:
                    person.joined_on, person.join_reason = person.birth_date, "birth"
            else:
                person.joined_on = draft.identified_on
            person.departed = person.left_on is not None

    def assign_school(self, person):
        """School status (在校生状况) on the report date, by age."""
        rng = self.rng
        age = person.age
        if person.departed:
            return
        if 3 <= age <= 5:
            person.school_status = "preschool" if rng.random() < 0.7 else "not_in_school"
        elif 6 <= age <= 11:
            person.school_status = "primary"
        elif 12 <= age <= 14:
            person.school_status = "junior"
        elif age == 15:
            person.school_status = self.pick({"senior": 65, "secondary_vocational": 35})
        elif 16 <= age <= 17:
            person.school_status = self.pick({"senior": 55, "secondary_vocational": 30, "not_in_school": 15})
        elif 18 <= age <= 22:
            person.school_status = self.pick({"college": 38, "higher_vocational": 22, "not_in_school": 40})
        person.student = person.school_status in _IN_SCHOOL_LEVELS

    def assign_cause(self, draft):
        """Main cause (主要致贫原因) by kind of household, and up to two other causes none equal to it."""
        students = [person for person in draft.members if person.student and not person.departed]
        if draft.fate == "removed":
            draft.cause = "lack_funds"
        elif draft.kind in ("single_elder", "elder_couple", "closed", "elder_couple_son"):
            draft.cause = self.pick(_CAUSES_ELDER)
        elif students:
            draft.cause = self.pick(_CAUSES_FAMILY)
        else:
            draft.cause = self.pick(_CAUSES_ADULT)
        others = []
        for _ in range(self.pick({0: 40, 1: 42, 2: 18})):
            cause = self.pick(_OTHER_CAUSES)
            if cause != draft.cause and cause not in others and (cause != "schooling" or students):
                others.append(cause)
        draft.other_causes = tuple(others)
        if draft.cause == "schooling" and not any(person.school_status in ("senior", "college") for person in students):
            # 因学: an older pupil or a student costs the family most; make the eldest one such.
            eldest = max(students, key=lambda person: person.age)
            if eldest.age >= 18:
                eldest.school_status = self.pick({"college": 60, "higher_vocational": 40})
            elif eldest.age >= 15:
                eldest.school_status = "senior"

    def assign_health(self, draft):
        """Health (健康状况) by age, then made to agree with the causes: 因病 someone ill, 因残 someone disabled."""
        rng = self.rng
        for person in draft.members:
            flagged = person.health == "flag"
            person.health = "healthy"
            age = person.age
            roll = rng.random()
            if flagged:
                person.health = self.pick({"disabled": 55, "chronic": 30, "serious_illness": 15})
            elif age >= 60:
                person.health = "chronic" if roll < 0.38 else "serious_illness" if roll < 0.45 else "healthy"
            elif age >= 35:
                person.health = "chronic" if roll < 0.12 else "serious_illness" if roll < 0.15 else "healthy"
            if rng.random() < 0.025:
                person.health = "disabled"
        living = [person for person in draft.members if not person.departed] or draft.members
        adults = [person for person in living if person.age >= 18] or living

        def ill():
            return any(person.health in ("chronic", "serious_illness") for person in living)

        def disabled():
            return any(person.health == "disabled" for person in living)

        # The main cause last, so that it wins when one person cannot carry both; an other cause left unmet goes.
        for cause in (*draft.other_causes, draft.cause):
            if cause == "illness" and not ill():
                rng.choice(adults).health = self.pick({"chronic": 60, "serious_illness": 40})
            if cause == "disability" and not disabled():
                rng.choice(living).health = "disabled"
        met = {"illness": ill(), "disability": disabled()}
        draft.other_causes = tuple(cause for cause in draft.other_causes if met.get(cause, True))
        causes = (draft.cause, *draft.other_causes)
        if draft.fate == "returned":
            # Returned in 2017 because a serious illness (大病) struck someone (not the disabled member 因残 names).
            candidates = [person for person in adults if person.health != "disabled"]
            if candidates:
                candidates[0].health = "serious_illness"
                if "illness" not in causes:
                    draft.other_causes = (*draft.other_causes[:1], "illness")
        for person in draft.members:
            if person.health == "disabled":
                category = self.pick(_DISABILITY_CATEGORIES)
                person.disability = (category, self.pick({1: 15, 2: 30, 3: 30, 4: 25}))
                schooling = "schooling" in (draft.cause, *draft.other_causes)
                if 6 <= person.age <= 15 and person.disability[1] <= 2 and not schooling and rng.random() < 0.5:
                    # Severely disabled pupils may be out of school: the one accepted dropout reason.
                    person.school_status, person.student = "not_in_school", False
                    person.dropout = "illness_or_disability"

    def assign_labour(self, person):
        """Labour capacity (劳动能力) and migrant work (务工) by age, health and schooling."""
        rng = self.rng
        age = person.age
        grade = person.disability[1] if person.disability else None
        if age < 16 or person.student:
            person.labour = "none"
        elif person.health == "serious_illness" or (grade is not None and grade <= 2):
            person.labour = "lost"
        elif person.health == "chronic" or grade is not None:
            person.labour = "weak" if age < 75 else "lost"
        elif age >= 75:
            person.labour = "none"
        elif age >= 70:
            person.labour = "weak"
        elif age >= 60:
            person.labour = "weak" if rng.random() < 0.6 else "ordinary"
        else:
            person.labour = "skilled" if rng.random() < 0.15 else "ordinary"
        if person.labour in ("ordinary", "skilled") and 18 <= age <= 55 and rng.random() < 0.45:
            person.migrant_work = self.pick(
                {"in_township": 20, "in_county": 25, "in_province": 35, "out_of_province": 20}
            )
            person.migrant_months = rng.randint(3, 11)
        person.pension = age >= 16 and not person.student and rng.random() < 0.93

    def assign_support(self, draft):
        """Attribute (贫困户属性) with its 低保/特困 recipients, and stars (星级) from labour capacity."""
        rng = self.rng
        living = [person for person in draft.members if not person.departed] or draft.members
        labours = {person.labour for person in living}
        no_working_adult = not any(
            16 <= person.age <= 60 and person.labour in ("ordinary", "skilled") for person in living
        )
        no_young = all(person.relation in (rules.HEAD, rules.SPOUSE) for person in living)
        if draft.fate == "removed":
            draft.attribute = "general"
        elif no_working_adult and no_young and len(living) <= 2 and rng.random() < 0.14:
            draft.attribute = "tekun"
            for person in living:
                person.receives_tekun = True
        elif rng.random() < (0.45 if draft.cause in ("illness", "disability") or labours <= {"none", "lost"} else 0.12):
            draft.attribute = "dibao"
            draft.head().receives_dibao = True
            for person in living:
                if person.relation != rules.HEAD and rng.random() < 0.5:
                    person.receives_dibao = True
        if labours & {"ordinary", "skilled"}:
            draft.stars = 1
        elif "weak" in labours:
            draft.stars = 2
        else:
            draft.stars = 3

    # -- IDs, numbers and freezing -----------------------------------------------------------------------------------

    def assign_ids(self, drafts):
        """Resident ID numbers (居民身份证号): area 220821, the birth date, the sex in the 17th digit, all distinct."""
        rng = self.rng
        for draft in drafts:
            for person in draft.members:
                while True:
                    number = rules.make_resident_id(
                        area=AREA, birth_date=person.birth_date, sequence=rng.randint(0, 499), sex=person.sex
                    )
                    if number not in self.used_ids:
                        break
                self.used_ids.add(number)
                person.id_number = number

    def freeze_households(self, drafts) -> tuple[PlannedHousehold, ...]:
        """Number the households in registration order per village (户编号 = village code + 0001 …) and freeze them."""
        rng = self.rng
        by_village = defaultdict(list)
        for draft in drafts:
            by_village[draft.village].append((draft.identified_on, rng.random(), draft))
        households = []
        for code in sorted(by_village):
            name, township, township_name = self.village_info[code]
            for sequence, (_day, _tie, draft) in enumerate(sorted(by_village[code], key=lambda item: item[:2]), 1):
                members = tuple(self.freeze_member(person, draft=draft) for person in draft.members)
                _check_entry_rules(members)
                records = self.plan_records(draft, members=members)
                mode, placement, site = draft.relocation[1:] if draft.relocation else ("", "", "")
                households.append(
                    PlannedHousehold(
                        number=f"{code}{sequence:04d}",
                        village_code=code,
                        sequence=sequence,
                        villager_group=draft.group,
                        address=f"{township_name}{name}{draft.group}",
                        identification_standard="national",
                        attribute=draft.attribute,
                        main_cause=draft.cause,
                        other_causes=draft.other_causes,
                        stars=draft.stars,
                        relocated=draft.relocation is not None,
                        relocation_mode=mode,
                        relocation_placement=placement,
                        relocation_site=site,
                        identified_year=draft.identified_year,
                        identified_on=draft.identified_on,
                        fate=draft.fate,
                        exit_year=draft.exit_year,
                        return_year=draft.return_year,
                        removed_year=draft.removed_year,
                        closed_on=draft.closed_on,
                        members=members,
                        records=records,
                    )
                )
        return tuple(households)

    def freeze_member(self, person, *, draft) -> PlannedMember:
        age = person.age
        category, grade = person.disability or ("", None)
        if person.school_status in _IN_SCHOOL_LEVELS:
            education = {
                "primary": "primary",
                "junior": "junior",
                "senior": "senior",
                "secondary_vocational": "senior",
                "higher_vocational": "college",
                "college": "college",
            }[person.school_status]
        elif age <= 5:
            education = "preschool"
        elif category == "intellectual":
            education = "illiterate"
        else:
            born = person.birth_date.year
            if born < 1946:
                weights = {"illiterate": 45, "primary": 50, "junior": 5}
            elif born < 1961:
                weights = {"illiterate": 15, "primary": 55, "junior": 27, "senior": 3}
            elif born < 1981:
                weights = {"primary": 30, "junior": 58, "senior": 10, "college": 2}
            else:
                weights = {"primary": 8, "junior": 62, "senior": 22, "college": 8}
            education = self.pick(weights)
        ethnicity = draft.ethnicity
        if person.relation in (rules.SPOUSE, "05", "06") and self.rng.random() < 0.2:
            ethnicity = "han"
        return PlannedMember(
            name=person.name,
            sex=person.sex,
            birth_date=person.birth_date,
            relation=person.relation,
            id_number=person.id_number,
            ethnicity=ethnicity,
            education=education,
            school_status=rules.school_grade(person.school_status, age),
            dropout=person.dropout is not None,
            dropout_reason=person.dropout or "",
            health=person.health,
            disability_category=category,
            disability_grade=grade,
            labour=person.labour,
            migrant_work=person.migrant_work,
            migrant_months=person.migrant_months,
            medical_insurance=person.medical,
            serious_illness_insurance=person.serious_insured,
            pension_insurance=person.pension,
            receives_dibao=person.receives_dibao,
            receives_tekun=person.receives_tekun,
            joined_on=person.joined_on,
            join_reason=person.join_reason,
            left_on=person.left_on,
            left_reason=person.left_reason,
        )

    # -- annual records ----------------------------------------------------------------------------------------------

    def record_years(self, draft) -> list[int]:
        """Years the household had members at the year's end since its identification."""
        last = draft.closed_on.year - 1 if draft.closed_on else REPORT_DATE.year
        return list(range(draft.identified_year, last + 1))

    def income_levels(self, draft, *, years) -> dict[int, int]:
        """Per-capita net income in thousandths of each year's poverty line: below 1000 where the exit must fail."""
        rng = self.rng
        levels = {}
        below = rng.randint(500, 850)
        above = rng.randint(1060, 1600)
        for year in years:
            if draft.fate == "removed":
                passes = True
                above = max(above, 1800)
            elif draft.fate in ("exited", "returned"):
                passes = year >= draft.exit_year and not (draft.return_year and year >= draft.return_year)
            elif draft.fail_mode in ("housing", "insurance"):
                # Income alone would do from 2016; the house or the insurance keeps them poor.
                passes = year >= 2016 and rng.random() < 0.5
            else:
                passes = False
            if draft.return_year and year >= draft.return_year:
                levels[year] = rng.randint(450, 800)
            elif passes:
                levels[year] = above
                above += rng.randint(0, 120)
            else:
                levels[year] = below
                below = min(950, below + rng.randint(0, 60))
        return levels

    def plan_records(self, draft, *, members) -> tuple[PlannedRecord, ...]:
        """Annual records (年度信息) whose exit checks come out as the household's fate requires."""
        rng = self.rng
        years = self.record_years(draft)
        levels = self.income_levels(draft, years=years)
        designed_pass = {year: draft.fate != "removed" and levels[year] > 1000 for year in years}
        # Living conditions that stay with the house.
        if draft.fate == "removed":
            grade, renovated = self.pick({"A": 50, "B": 50}), None
        elif draft.fate in ("exited", "returned"):
            grade = self.pick({"A": 30, "B": 45, "C": 22, "D": 3})
            renovated = None
            if grade in ("C", "D"):
                renovated = rng.randint(2015, draft.exit_year) if rng.random() < 0.5 else draft.exit_year
        else:
            grade = "C" if draft.fail_mode == "housing" else self.pick({"A": 15, "B": 50, "C": 30, "D": 5})
            renovated = None
            if grade in ("C", "D") and draft.fail_mode != "housing" and rng.random() < 0.55:
                renovated = rng.randint(2015, 2017)
        if draft.relocation:
            grade, renovated = "D", None
        area = _yuan(rng.randint(30, 95))
        eco = rng.randint(80, 400) if rng.random() < 0.2 else 0
        family_planning = rng.choice((720, 960, 1440)) if rng.random() < 0.06 else 0
        dividend = rng.randint(300, 1000) if rng.random() < 0.4 else 0
        land_rent = rng.randint(600, 2500) if rng.random() < 0.35 else 0
        toilet_year = rng.choice((2013, 2015, 2016, 2017, 2017, None, None, None))
        records = []
        for year in years:
            year_end = date(year, 12, 31)
            active = [member for member in members if member.active_on(year_end)]
            counted = len(active)
            line = POVERTY_LINES[year]
            # Whole yuan in integer arithmetic: the design's margins (≥ 5 % of the line) dwarf the rounding.
            net = int(line) * levels[year] * counted // 1000
            # On Dec 31 a member's age is the year minus the birth year.
            elders = [member for member in active if year - member.birth_date.year >= 60]
            fixed = {
                "pension": _PENSION[year] * sum(member.pension_insurance for member in elders),
                "dibao": _DIBAO[year] * sum(member.receives_dibao for member in active),
                "tekun": _TEKUN[year] * sum(member.receives_tekun for member in active),
                "eco_compensation": eco,
                "family_planning": family_planning,
                "property_income": land_rent + (dividend if year >= 2016 else 0),
            }
            fixed_total = sum(fixed.values())
            if fixed_total * 100 > net * 92:
                # Part-year payments: the fixed items never exceed the income the design allows.
                fixed = {key: value * net * 92 // (fixed_total * 100) for key, value in fixed.items()}
            rest = net - sum(fixed.values())
            migrant = any(member.migrant_months for member in active)
            farmer = any(
                member.labour in ("ordinary", "skilled", "weak") and year - member.birth_date.year < 75
                for member in active
            )
            wages = rest * rng.randint(450, 850) // 1000 if migrant else 0
            business_net = (rest - wages) * rng.randint(500, 950) // 1000 if farmer else 0
            if business_net < 100:
                business_net = 0  # a plot too small to report: what little it gave counts among other income
            other = rest - wages - business_net
            business_cost = business_net * rng.randint(500, 1200) // 1000
            uncounted = 0
            if draft.return_year and year >= draft.return_year:
                uncounted = rng.randint(8000, 30000)  # medical reimbursement of the serious illness
            elif not designed_pass[year] and draft.fate == "poor" and counted and rng.random() < 0.1:
                # Relief and reimbursement that would lift them over the line if it were (wrongly) counted.
                uncounted = int((line * Decimal("1.05") - Decimal(net) / counted) * counted) + rng.randint(200, 2000)
            elif draft.cause == "illness" and rng.random() < 0.3:
                uncounted = rng.randint(300, 6000)
            business_income = business_net + business_cost
            transfer = sum(fixed[key] for key in ("dibao", "tekun", "pension", "eco_compensation", "family_planning"))
            transfer += other
            # 纯收入 = wages + business income − business cost + property + transfers (uncounted income stays out).
            net_income = wages + business_income - business_cost + fixed["property_income"] + transfer
            passing = designed_pass[year]
            records.append(
                PlannedRecord(
                    year=year,
                    wages=_yuan(wages),
                    business_income=_yuan(business_income),
                    business_cost=_yuan(business_cost),
                    property_income=_yuan(fixed["property_income"]),
                    dibao=_yuan(fixed["dibao"]),
                    tekun=_yuan(fixed["tekun"]),
                    pension=_yuan(fixed["pension"]),
                    eco_compensation=_yuan(fixed["eco_compensation"]),
                    family_planning=_yuan(fixed["family_planning"]),
                    other_transfer=_yuan(other),
                    uncounted_income=_yuan(uncounted),
                    transfer_income=_yuan(transfer),
                    net_income=_yuan(net_income),
                    members_counted=counted,
                    per_capita_income=rules.per_capita_income(net=_yuan(net_income), members=counted),
                    food_secure=passing or year > 2014 or rng.random() > 0.04,
                    clothing_secure=passing or year > 2014 or rng.random() > 0.03,
                    housing_grade=grade,
                    renovation_year=renovated if renovated and renovated <= year else None,
                    relocation_done=bool(draft.relocation) and year >= draft.relocation[0],
                    water_safe=passing or rng.random() > 0.08,
                    water_access_ok=passing or rng.random() > 0.05,
                    electricity=True,
                    sanitary_toilet=toilet_year is not None and toilet_year <= year,
                    house_area=area,
                )
            )
        return tuple(records)

    # -- villages ----------------------------------------------------------------------------------------------------

    def plan_villages(self, *, codes, groups, households) -> tuple[PlannedVillage, ...]:
        """Village profiles and years: populations that put every exited village under 2 % in its exit year."""
        rng = self.rng
        registered_2014 = Counter()
        poor_by_year = {year: Counter() for year in YEARS}
        for household in households:
            for year in YEARS:
                if household.status_at_end_of(year) == "poor":
                    poor_by_year[year][household.village_code] += len(household.active_members(date(year, 12, 31)))
            if household.identified_year == 2014:
                registered_2014[household.village_code] += len(household.active_members(date(2014, 12, 31)))
        villages = []
        for code in codes:
            name, township, township_name = self.village_info[code]
            poverty = code in self.poverty
            exit_year = self.village_exit.get(code)
            share = rng.uniform(0.15, 0.26) if poverty else rng.uniform(0.08, 0.13)
            populations = {2014: min(3000, max(600, round(registered_2014[code] / share)))}
            for year in YEARS[1:]:
                drift = round(populations[year - 1] * rng.uniform(-0.008, 0.002))
                populations[year] = min(3000, populations[year - 1] + drift)
            if exit_year:
                needed = math.ceil(Decimal(poor_by_year[exit_year][code]) / _INCIDENCE_TARGET)
                shortfall = needed - populations[exit_year]
                if shortfall > 0:
                    populations = {year: value + shortfall for year, value in populations.items()}
                if max(populations.values()) > 3000:
                    raise ValueError(f"village {code} would need {max(populations.values())} people to exit")
            villages.append(
                PlannedVillage(
                    code=code,
                    name=name,
                    township_code=township,
                    township_name=township_name,
                    poverty_status=PovertyVillageStatus.POVERTY if poverty else PovertyVillageStatus.NON_POVERTY,
                    identified_year=2014 if poverty else None,
                    exit_year=exit_year,
                    villager_groups=groups[code],
                    years=self.village_years(populations, poverty=poverty, exit_year=exit_year),
                )
            )
        return tuple(villages)

    def village_years(self, populations, *, poverty, exit_year) -> tuple[PlannedVillageYear, ...]:
        """Infrastructure built by some year (all of it by the exit year; a clinic everywhere by 2017)."""
        rng = self.rng
        built = {}
        for item in ("hardened_road", "safe_water", "power_grid", "broadband", "clinic", "culture_room"):
            choices = (2013, 2013, 2014, 2015, 2016, 2017, None) if poverty else (2013, 2013, 2013, 2014, 2015, 2016)
            year = rng.choice(choices)
            if exit_year:
                year = min(year or exit_year, exit_year)
            if item == "clinic":
                year = min(year or 2017, 2017)
            built[item] = year
        income = rng.randint(0, 300) * 100 if poverty else rng.randint(200, 2500) * 100
        years = []
        for year in YEARS:
            if exit_year and year >= exit_year:
                income = max(income, rng.randint(500, 1500) * 100)
            income += rng.randint(0, 120) * 100
            years.append(
                PlannedVillageYear(
                    year=year,
                    rural_population=populations[year],
                    collective_income=_yuan(income),
                    **{item: built_year is not None and built_year <= year for item, built_year in built.items()},
                )
            )
        return tuple(years)


class _LifecyclePlanner:
    """Plans every household's procedures (docs/workflows.md) from the fate and years the register plan decided."""

    def __init__(self, seed: int):
        self.rng = random.Random(f"lifecycle:{seed}")  # noqa: S311 - synthetic demo data

    def day_between(self, start: date, end: date) -> date:
        return start + timedelta(days=self.rng.randint(0, (end - start).days))

    def plan(self, households) -> tuple[PlannedHousehold, ...]:
        return tuple(replace(household, procedures=self.procedures(household)) for household in households)

    def procedures(self, household: PlannedHousehold) -> tuple[PlannedProcedure, ...]:
        """Identification in the identified year; exit in the exit year; the 2017 return or removal."""
        year = household.identified_year
        procedures = [
            self.procedure(
                ProcedureKind.IDENTIFICATION, year=year, start=household.identified_on, deadline=date(year, 12, 31)
            )
        ]
        if household.exit_year is not None:
            # Exits are proposed in the autumn adjustment window, with the year's annual record, and announced
            # before the year ends.
            year = household.exit_year
            record = household.record(year)
            note = (
                f"{year}年人均纯收入{record.per_capita_income}元，高于贫困线{POVERTY_LINES[year]}元，"
                "两不愁三保障达标，拟退出"
            )
            procedures.append(
                self.procedure(
                    ProcedureKind.EXIT,
                    year=year,
                    start=self.day_between(date(year, 10, 8), date(year, 11, 20)),
                    deadline=date(year, 12, 28),
                    first_note=note,
                )
            )
        if household.return_year is not None:
            year = household.return_year
            procedures.append(
                self.procedure(
                    ProcedureKind.RETURN,
                    year=year,
                    start=self.day_between(date(year, 4, 1), date(year, 8, 31)),
                    deadline=date(year, 12, 28),
                    reason="illness",
                    first_note=_RETURN_NOTE,
                )
            )
        if household.removed_year is not None:
            year = household.removed_year
            reasons = sorted(_REMOVAL_REASONS)
            reason = self.rng.choices(reasons, weights=[_REMOVAL_REASONS[key][0] for key in reasons])[0]
            procedures.append(
                self.procedure(
                    ProcedureKind.REMOVAL,
                    year=year,
                    start=self.day_between(date(year, 5, 1), date(year, 9, 30)),
                    deadline=date(year, 12, 28),
                    reason=reason,
                    first_note=_REMOVAL_REASONS[reason][1],
                )
            )
        return tuple(procedures)

    def procedure(self, kind, *, year, start, deadline, reason="", first_note="") -> PlannedProcedure:
        """The steps of workflow.STEPS[kind], a few days apart, notices of NOTICE_DAYS, done by the deadline."""
        rng = self.rng
        steps = workflow.STEPS[kind]
        gaps = [rng.randint(*_STEP_GAPS[kind][step]) for step in steps[1:]]
        # (those taking part, votes against): everyone there votes, so the votes for are the rest (a clear majority).
        votes = (rng.randint(15, 45), rng.choice(_VOTES_AGAINST))
        days = self._dates(steps, start=start, gaps=gaps)
        if days[-1] > deadline:
            # A late start: the shortest gap of each step, so that the county still decides within the year.
            days = self._dates(steps, start=start, gaps=[_STEP_GAPS[kind][step][0] for step in steps[1:]])
            if days[-1] > deadline:
                raise ValueError(f"a {kind} procedure opened on {start} cannot be decided by {deadline}")
        planned = []
        for index, (step, on) in enumerate(zip(steps, days, strict=True)):
            extra = {}
            if step == Step.APPRAISAL:
                extra = {"votes_for": votes[0] - votes[1], "votes_against": votes[1], "participants": votes[0]}
            elif step in workflow.NOTICE_STEPS:
                extra = {"notice_start": on, "notice_end": on + timedelta(days=NOTICE_DAYS)}
            note = first_note if index == 0 and first_note else _STEP_NOTES.get((kind, step), "")
            planned.append(PlannedStep(step=str(step), on=on, actor=_actor_of(step), note=note, **extra))
        return PlannedProcedure(kind=str(kind), year=year, reason=reason, steps=tuple(planned))

    @staticmethod
    def _dates(steps, *, start: date, gaps) -> list[date]:
        """Step dates: each step the gap after the previous one, or after the end of the notice it follows."""
        days = [start]
        for previous, gap in zip(steps[:-1], gaps, strict=True):
            after = days[-1] + timedelta(days=NOTICE_DAYS) if previous in workflow.NOTICE_STEPS else days[-1]
            days.append(after + timedelta(days=gap))
        return days


def _actor_of(step: str) -> str:
    """Which demo user takes a step: the township reviewer (its review and its notice 乡镇公示), the county office or
    (every village step) the team."""
    return {Step.TOWNSHIP_REVIEW: "township", Step.SECOND_NOTICE: "township", Step.COUNTY_APPROVAL: "county"}.get(
        step, "village"
    )


def _check_entry_rules(members: tuple[PlannedMember, ...]) -> None:
    """The rules of real entry (ID-1 identity, HH-1 composition) hold for a planned household, or ValueError."""
    for member in members:
        rules.check_identity(
            id_type=member.id_type,
            id_number=member.id_number,
            sex=member.sex,
            birth_date=member.birth_date,
            today=REPORT_DATE,
        )
    facts = [
        rules.MemberFacts(key=str(index), relation=member.relation, sex=member.sex, active=member.left_on is None)
        for index, member in enumerate(members)
    ]
    # A closed household (自然销户) has nobody left, so no head either.
    if any(fact.active for fact in facts) and (violations := rules.composition_violations(facts)):
        raise ValueError(f"planned household breaks HH-1: {[str(violation.message) for violation in violations]}")


def _other(sex: str) -> str:
    return "female" if sex == "male" else "male"


@functools.cache
def _yuan(amount: int) -> Decimal:
    """Whole yuan as a money amount with two places (1234 → Decimal("1234.00"))."""
    return Decimal(amount * 100).scaleb(-2)


@functools.cache
def plan_county(*, seed: int = 2017) -> CountyPlan:
    """Plan the demo county's register from a seed (no database): the same seed gives the same county."""
    return Planner(seed).plan()
