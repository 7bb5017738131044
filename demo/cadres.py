"""The demo county's helpers (帮扶力量, docs/demo.md): units, cadres, village work teams, pairings, visits, logins.

Built on the register's plan (demo.register), in the same two layers: `plan_cadres` decides every fact in pure
Python from the seed (no database, frozen dataclasses), and `build_demo_cadres` writes the plan in bulk (COPY for
cadres, pairings and visits) under one history context; `delete_demo_cadres` removes it again, before the register.

The figures of the seed report as of 2017-12-31: 141 work teams (驻村工作队), one per village, with 528 resident
members (驻村干部); 6590 pairing cadres (包保干部) with a pairing active on that day, covering every household that
is poor or exited on it (包保责任全覆盖). The resident team members answer for their whole village and pair no
household themselves, so the two groups are distinct cadres. Pairings begin at identification (the county
approval) and end when a household closes (自然销户) or is removed (清退); a handful of households were handed over
when their cadre was transferred. Each team's first secretary (第一书记) signs in as `team_<village code>`.

Everything is synthetic: names, ID numbers (valid check digits; none equals a register member's), phones, texts.
"""

import math
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

import pghistory
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.db.models import ProtectedError

from cadres.choices import TeamRole, UnitLevel, VisitKind
from cadres.models import Cadre, Pairing, TeamMembership, Unit, Visit, WorkTeam
from core import regions as region_rules
from core.models import RoleGrant
from core.roles import Role
from demo.copy import copy_into
from demo.regions import DEMO_COUNTY

# The register's generator helpers, reused so that the county has one way of drawing names, dates and rows.
from demo.register import (
    MONGOL_TOWNSHIPS,
    REGISTERED_HOUSEHOLDS,
    REPORT_DATE,
    CountyPlan,
    PlannedHousehold,
    Planner,
    plan_county,
)
from households import rules
from households.models import Household
from lifecycle.choices import ProcedureKind

# The seed report's figures (docs/demo.md) that the plan reproduces exactly, active on the report date.
RESIDENT_CADRES = 528
PAIRING_CADRES = 6590
# Cadres transferred away in 2016–2017 whose households were handed over (交接) to another cadre.
HANDOVER_CADRES = 4
VISIT_YEARS = (2016, 2017)
# A household paired for this many days of a visit year had at least one visit in it.
MIN_VISITED_DAYS = 45
TEAM_LOGIN_PREFIX = "team_"

PROVINCE = "220000000000"
CITY = "220800000000"

# Sending and pairing units (帮扶单位): (level, kind, name). Kinds choose titles and how many cadres a unit pairs.
_UNITS_ABOVE = (
    (UnitLevel.CENTRAL, "enterprise", "中国石油吉林油田分公司"),
    (UnitLevel.PROVINCIAL, "office", "吉林省交通运输厅"),
    (UnitLevel.PROVINCIAL, "office", "吉林省水利厅"),
    (UnitLevel.PROVINCIAL, "office", "吉林省农业委员会"),
    (UnitLevel.PROVINCIAL, "office", "吉林省民政厅"),
    (UnitLevel.PROVINCIAL, "office", "吉林省卫生和计划生育委员会"),
    (UnitLevel.PROVINCIAL, "office", "吉林省林业厅"),
    (UnitLevel.MUNICIPAL, "office", "白城市财政局"),
    (UnitLevel.MUNICIPAL, "office", "白城市发展和改革委员会"),
    (UnitLevel.MUNICIPAL, "office", "白城市农业委员会"),
    (UnitLevel.MUNICIPAL, "office", "白城市水利局"),
    (UnitLevel.MUNICIPAL, "office", "白城市住房和城乡建设局"),
    (UnitLevel.MUNICIPAL, "office", "白城市人力资源和社会保障局"),
    (UnitLevel.MUNICIPAL, "office", "白城市教育局"),
    (UnitLevel.MUNICIPAL, "office", "白城市卫生和计划生育委员会"),
    (UnitLevel.MUNICIPAL, "office", "白城市扶贫开发办公室"),
    (UnitLevel.MUNICIPAL, "office", "白城市公安局"),
)
_COUNTY_UNITS = (
    ("office", "中共镇赉县委办公室"),
    ("office", "镇赉县人民政府办公室"),
    ("office", "中共镇赉县委组织部"),
    ("office", "中共镇赉县委宣传部"),
    ("office", "中共镇赉县委统战部"),
    ("office", "中共镇赉县纪律检查委员会"),
    ("office", "镇赉县人大常委会办公室"),
    ("office", "政协镇赉县委员会办公室"),
    ("office", "镇赉县发展和改革局"),
    ("office", "镇赉县财政局"),
    ("office", "镇赉县教育局"),
    ("office", "镇赉县公安局"),
    ("office", "镇赉县民政局"),
    ("office", "镇赉县司法局"),
    ("office", "镇赉县人力资源和社会保障局"),
    ("office", "镇赉县国土资源局"),
    ("office", "镇赉县住房和城乡建设局"),
    ("office", "镇赉县交通运输局"),
    ("office", "镇赉县水利局"),
    ("office", "镇赉县农业局"),
    ("office", "镇赉县畜牧业管理局"),
    ("office", "镇赉县林业局"),
    ("office", "镇赉县商务局"),
    ("office", "镇赉县文化广播电视新闻出版局"),
    ("office", "镇赉县卫生和计划生育局"),
    ("office", "镇赉县审计局"),
    ("office", "镇赉县统计局"),
    ("office", "镇赉县环境保护局"),
    ("office", "镇赉县安全生产监督管理局"),
    ("office", "镇赉县市场监督管理局"),
    ("office", "镇赉县扶贫开发办公室"),
    ("office", "镇赉县粮食局"),
    ("office", "镇赉县信访局"),
    ("office", "镇赉县工业和信息化局"),
    ("office", "镇赉县科学技术局"),
    ("office", "镇赉县城市管理行政执法局"),
    ("office", "镇赉县农村经济管理总站"),
    ("office", "镇赉县农业技术推广中心"),
    ("office", "镇赉县供销合作社联合社"),
    ("office", "镇赉县残疾人联合会"),
    ("office", "镇赉县妇女联合会"),
    ("office", "共青团镇赉县委员会"),
    ("office", "镇赉县总工会"),
    ("office", "镇赉县人民法院"),
    ("office", "镇赉县人民检察院"),
    ("hospital", "镇赉县人民医院"),
    ("hospital", "镇赉县中医院"),
    ("hospital", "镇赉县疾病预防控制中心"),
    ("school", "镇赉县第一中学"),
    ("school", "镇赉县第二中学"),
    ("school", "镇赉县职业技术教育中心"),
    ("school", "镇赉县实验小学"),
    ("enterprise", "国网镇赉县供电公司"),
    ("enterprise", "中国农业银行镇赉县支行"),
    ("enterprise", "镇赉县农村信用合作联社"),
    ("enterprise", "中国邮政集团公司镇赉县分公司"),
)
# How many pairing cadres a unit of a kind gives, relatively (schools and hospitals are the big employers).
_KIND_WEIGHT = {"office": 1.0, "hospital": 2.2, "school": 2.6, "enterprise": 0.9, "township": 3.0}
# Job titles (职务) by kind of unit, commoner first with their weights.
_TITLES = {
    "office_above": {"科员": 30, "副主任科员": 25, "主任科员": 20, "副科长": 12, "科长": 8, "副调研员": 5},
    "office": {"科员": 34, "办事员": 14, "副主任科员": 14, "股长": 14, "副股长": 10, "主任科员": 9, "副局长": 5},
    "hospital": {"医师": 38, "主治医师": 30, "护师": 18, "副主任医师": 10, "科主任": 4},
    "school": {"教师": 45, "一级教师": 30, "高级教师": 15, "教导主任": 6, "副校长": 4},
    "enterprise": {"职员": 50, "客户经理": 30, "部门经理": 15, "副经理": 5},
    "township": {"干事": 32, "科员": 24, "站长": 12, "副站长": 10, "包村干部": 14, "党委委员": 4, "副职": 4},
}
# A first secretary (第一书记) is an experienced cadre: the upper half of the unit's titles.
_SENIOR_TITLES = {
    "office_above": {"主任科员": 35, "副科长": 25, "科长": 25, "副调研员": 15},
    "office": {"主任科员": 30, "股长": 30, "副局长": 25, "副主任科员": 15},
    "hospital": {"副主任医师": 40, "科主任": 30, "主治医师": 30},
    "school": {"教导主任": 40, "副校长": 30, "高级教师": 30},
    "enterprise": {"部门经理": 55, "副经理": 45},
    "township": {"党委委员": 40, "副职": 40, "站长": 20},
}
_MOBILE_PREFIXES = ("130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152", "155", "156",
                    "157", "158", "159", "180", "182", "183", "185", "186", "187", "188", "189")  # fmt: skip

# What a visit found (了解情况) and agreed (商定措施), by the household's causes (致贫原因) and state.
_FOUND = {
    "illness": (
        "户主患慢性病，长期服药，医疗支出较大",
        "家中病人已按时复查，病情稳定",
        "老人患高血压、糖尿病，按时服药，生活能够自理",
        "家庭成员住院治疗，已按政策报销",
    ),
    "disability": (
        "家中残疾人生活基本能够自理，由家人照料",
        "残疾人两项补贴按月发放到位",
        "残疾人有就业意愿，身体条件有限",
    ),
    "lack_labour": (
        "老人年龄大、缺劳动力，土地已流转",
        "家中无劳动力，主要靠转移性收入生活",
        "独居老人身体尚可，吃穿不愁",
    ),
    "schooling": ("孩子在校就读，学习费用压力较大", "学生已享受助学金和免学费政策", "孩子在外读大学，家庭开支较大"),
    "lack_funds": ("缺少发展资金，有养牛意愿", "想扩大庭院种植，缺少启动资金", "家里想养羊，资金不足"),
    "lack_skills": ("劳动力缺乏技术，外出务工收入不稳定", "户主有务工意愿，但没有一技之长"),
    "lack_land": ("家中耕地少，收入来源单一",),
    "disaster": ("今年受旱灾影响，玉米减产", "雨季过后庄稼受损，收入减少"),
    "poor_transport": ("屯里道路不便，农产品不好卖",),
    "low_motivation": ("户主发展意愿不强，需要多做思想工作",),
    "other": ("家中生活基本稳定",),
}
_FOUND_COMMON = (
    "吃穿不愁，住房和饮水安全有保障",
    "家中生活稳定，收入较去年有所增加",
    "核对家庭收入，与帮扶手册一致",
    "了解家庭成员近况，无新增困难",
)
_FOUND_EXITED = (
    "已脱贫，收入稳定，两不愁三保障持续达标",
    "脱贫后产业收益稳定，无返贫风险",
    "家中劳动力外出务工，收入稳定",
)
_FOUND_PHONE = ("电话了解近况，家中一切正常", "电话询问老人身体情况，无异常", "电话了解务工收入情况")
_FOUND_OTHER = ("在村委会召开帮扶对象座谈会时了解情况", "在村里集中宣讲政策时了解家庭近况")
_AGREED = {
    "illness": (
        "协助办理慢病门诊卡，落实先诊疗后付费",
        "联系乡卫生院家庭医生定期随访",
        "帮助整理医疗票据，办理大病保险报销",
    ),
    "disability": ("协助申请残疾人两项补贴", "联系县残联适配辅具", "推荐安排公益岗位"),
    "lack_labour": ("协助土地流转，落实光伏收益分红", "落实低保兜底政策", "安排邻里结对照料"),
    "schooling": ("协助申请雨露计划补助", "落实助学金和免学费政策", "联系社会助学资金"),
    "lack_funds": ("协助申请扶贫小额信贷", "帮助加入合作社，落实入股分红", "联系肉牛养殖基地托养"),
    "lack_skills": ("推荐参加县里的技能培训", "帮助联系县城务工岗位", "推荐担任护林员公益岗位"),
    "lack_land": ("帮助发展庭院经济", "协调入股合作社"),
    "disaster": ("协助申请农业保险理赔", "落实临时救助"),
    "poor_transport": ("反映道路硬化需求，纳入村里项目",),
    "low_motivation": ("宣讲扶贫政策，鼓励发展庭院种植",),
    "other": ("宣讲扶贫政策，填写明白卡",),
}
_AGREED_COMMON = ("宣讲扶贫政策，更新明白卡", "核实收入台账，更新帮扶手册", "帮助打扫庭院，改善居住环境")
_AGREED_EXITED = ("脱贫不脱政策，继续落实各项帮扶措施", "继续跟踪帮扶，巩固脱贫成效")
_AGREED_PHONE = ("约定下次入户时间", "提醒按时缴纳医疗保险")
_VISIT_KINDS = {VisitKind.HOME: 85, VisitKind.PHONE: 11, VisitKind.OTHER: 4}
_CONFIRMED = {VisitKind.HOME: 0.96, VisitKind.PHONE: 0.6, VisitKind.OTHER: 0.8}
# Visits in a whole year (expected): more while the household is poor than after it exited.
_VISITS_PER_YEAR = {"poor": 1.6, "exited": 0.9}


def team_login(village_code: str) -> str:
    """The user name a village's work team signs in with: the first secretary's login (team_<village code>)."""
    return f"{TEAM_LOGIN_PREFIX}{village_code}"


# ---------------------------------------------------------------------------------------------------------------------
# The plan: frozen facts
# ---------------------------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PlannedUnit:
    """A planned unit (帮扶单位): name, level, the region it sits in, and its kind (office, school, township …)."""

    name: str
    level: str
    region_code: str
    kind: str

    @property
    def key(self) -> tuple[str, str]:
        return (self.region_code, self.name)


@dataclass(frozen=True, slots=True)
class PlannedCadre:
    """A planned cadre (干部): identity, unit, title, the village they work in, and their login if any."""

    name: str
    sex: str
    birth_date: date
    id_number: str
    phone: str
    unit: tuple[str, str]
    title: str
    region_code: str
    login: str = ""


@dataclass(frozen=True, slots=True)
class PlannedMembership:
    """A planned place in a work team (工作队成员): the cadre (by ID number), role, resident, period."""

    cadre: str
    role: str
    resident: bool
    starts_on: date
    ends_on: date | None


@dataclass(frozen=True, slots=True)
class PlannedTeam:
    """A planned village work team (驻村工作队): village, sending unit, term, members."""

    village_code: str
    unit: tuple[str, str]
    starts_on: date
    ends_on: date | None
    members: tuple[PlannedMembership, ...]

    @property
    def first_secretary(self) -> PlannedMembership:
        return next(member for member in self.members if member.role == TeamRole.FIRST_SECRETARY)


@dataclass(frozen=True, slots=True)
class PlannedPairing:
    """A planned pairing (结对帮扶): the cadre (by ID number) and household (by number) over [starts_on, ends_on)."""

    cadre: str
    household: str
    starts_on: date
    ends_on: date | None

    def active_on(self, day: date) -> bool:
        return self.starts_on <= day and (self.ends_on is None or self.ends_on > day)


@dataclass(frozen=True, slots=True)
class PlannedVisit:
    """A planned visit (走访记录) by the cadre paired with the household on that day."""

    cadre: str
    household: str
    date: date
    kind: str
    found: str
    agreed: str
    confirmed: bool


@dataclass(frozen=True, slots=True)
class CadresPlan:
    """The demo county's helpers as planned from one seed: units, cadres, teams, pairings, visits."""

    seed: int
    units: tuple[PlannedUnit, ...]
    cadres: tuple[PlannedCadre, ...]
    teams: tuple[PlannedTeam, ...]
    pairings: tuple[PlannedPairing, ...]
    visits: tuple[PlannedVisit, ...]

    def pairing_cadres(self, day: date = REPORT_DATE) -> set[str]:
        """ID numbers of the cadres with a pairing active on the day (包保干部)."""
        return {pairing.cadre for pairing in self.pairings if pairing.active_on(day)}

    def handovers(self) -> int:
        """Pairings that begin on the day another pairing of the same household ends (交接)."""
        ends = {(pairing.household, pairing.ends_on) for pairing in self.pairings if pairing.ends_on is not None}
        return sum((pairing.household, pairing.starts_on) in ends for pairing in self.pairings)


# ---------------------------------------------------------------------------------------------------------------------
# The planner
# ---------------------------------------------------------------------------------------------------------------------


def identification_decided_on(household: PlannedHousehold) -> date:
    """The county approval of the household's identification: from then on it is registered and paired."""
    procedure = household.procedures[0]
    if procedure.kind != ProcedureKind.IDENTIFICATION:
        raise ValueError(f"household {household.number} does not begin with its identification")
    return procedure.decided_on


def pairing_end(household: PlannedHousehold) -> date | None:
    """When the household's pairing ends: on closure (自然销户) or removal (清退), never for poor and exited ones."""
    if household.closed_on is not None:
        return household.closed_on
    if household.removed_year is not None:
        return next(
            procedure.decided_on for procedure in household.procedures if procedure.kind == ProcedureKind.REMOVAL
        )
    return None


class _CadrePlanner:
    """Plans the helpers from the county's plan; every draw goes through one random source seeded from the seed."""

    def __init__(self, county: CountyPlan):
        self.county = county
        # The register planner's helpers (pick, allocate, day_between, names) on a generator of their own, so that
        # the register's facts do not depend on this plan.
        self.draw = Planner(f"cadres:{county.seed}")
        self.rng = self.draw.rng
        self.used_ids = {member.id_number for household in county.households for member in household.members}
        self.used_phones: set[str] = set()
        self.cadres: list[PlannedCadre] = []

    # -- units -------------------------------------------------------------------------------------------------------

    def plan_units(self) -> list[PlannedUnit]:
        units = [
            PlannedUnit(
                name=name, level=level, region_code=PROVINCE if level != UnitLevel.MUNICIPAL else CITY, kind=kind
            )
            for level, kind, name in _UNITS_ABOVE
        ]
        units += [
            PlannedUnit(name=name, level=UnitLevel.COUNTY, region_code=DEMO_COUNTY, kind=kind)
            for kind, name in _COUNTY_UNITS
        ]
        townships = sorted({(village.township_code, village.township_name) for village in self.county.villages})
        units += [
            PlannedUnit(name=f"{name}人民政府", level=UnitLevel.TOWNSHIP, region_code=code, kind="township")
            for code, name in townships
        ]
        return units

    # -- cadres ------------------------------------------------------------------------------------------------------

    def phone(self) -> str:
        while True:
            number = self.rng.choice(_MOBILE_PREFIXES) + f"{self.rng.randrange(10**8):08d}"
            if number not in self.used_phones:
                self.used_phones.add(number)
                return number

    def id_number(self, *, area: str, birth_date: date, sex: str) -> str:
        """A valid resident ID of the area that no register member and no other cadre has (ID-3 never fires)."""
        while True:
            number = rules.make_resident_id(
                area=area, birth_date=birth_date, sequence=self.rng.randint(0, 499), sex=sex
            )
            if number not in self.used_ids:
                self.used_ids.add(number)
                return number

    def cadre(self, unit: PlannedUnit, *, village: str, ages=(24, 58, 40), male=0.58, senior=False, login=""):
        """A new cadre of the unit working in the village; IDs carry the area code of the unit's region."""
        draw = self.draw
        sex = "male" if self.rng.random() < male else "female"
        age = round(self.rng.triangular(*ages))
        birth_date = draw.birth_date(age)
        ethnicity = "han"
        if village.startswith(MONGOL_TOWNSHIPS) and self.rng.random() < 0.3:
            ethnicity = "mongol"  # the Mongol townships' own cadres
        name = draw.surname_for(ethnicity) + draw.given_name(sex=sex, birth_year=birth_date.year, ethnicity=ethnicity)
        pool = "office_above" if unit.kind == "office" and unit.level != UnitLevel.COUNTY else unit.kind
        title = draw.pick((_SENIOR_TITLES if senior else _TITLES)[pool])
        if title == "副职":
            title = "副乡长" if unit.name.endswith("乡人民政府") else "副镇长"
        cadre = PlannedCadre(
            name=name,
            sex=sex,
            birth_date=birth_date,
            id_number=self.id_number(area=unit.region_code[:6], birth_date=birth_date, sex=sex),
            phone=self.phone(),
            unit=unit.key,
            title=title,
            region_code=village,
            login=login,
        )
        self.cadres.append(cadre)
        return cadre

    # -- the plan ----------------------------------------------------------------------------------------------------

    def plan(self) -> CadresPlan:
        units = self.plan_units()
        villages = sorted(self.county.villages, key=lambda village: village.code)
        township_office = {unit.region_code: unit for unit in units if unit.level == UnitLevel.TOWNSHIP}
        county_units = [unit for unit in units if unit.level == UnitLevel.COUNTY]
        offices = [unit for unit in county_units if unit.kind == "office"]
        senders = self.plan_senders(villages=villages, units=units, offices=offices, township_office=township_office)
        # Each village is also helped by a county unit that pairs many of its cadres there (包村单位).
        helper = {
            village.code: self.rng.choices(county_units, weights=[_KIND_WEIGHT[unit.kind] for unit in county_units])[0]
            for village in villages
        }
        teams = self.plan_teams(villages=villages, senders=senders, township_office=township_office, helper=helper)
        pairings = self.plan_pairings(
            villages=villages,
            senders=senders,
            township_office=township_office,
            helper=helper,
            county_units=county_units,
        )
        visits = self.plan_visits(pairings)
        return CadresPlan(
            seed=self.county.seed,
            units=tuple(units),
            cadres=tuple(self.cadres),
            teams=tuple(teams),
            pairings=tuple(pairings),
            visits=tuple(visits),
        )

    def plan_senders(self, *, villages, units, offices, township_office) -> dict[str, PlannedUnit]:
        """The unit that sends each village's team: the units above the county take poverty villages, county
        departments the rest of them and half the others, township governments their own remaining villages."""
        rng = self.rng
        poverty = [village.code for village in villages if village.identified_year is not None]
        others = [village.code for village in villages if village.identified_year is None]
        rng.shuffle(poverty)
        rng.shuffle(others)
        above = [unit for unit in units if unit.level not in (UnitLevel.COUNTY, UnitLevel.TOWNSHIP)]
        departments = offices[:]
        rng.shuffle(departments)
        queue = above + departments * 3
        senders = {}
        for code in poverty:
            senders[code] = queue.pop(0)
        for index, code in enumerate(others):
            if index % 2 == 0:
                senders[code] = queue.pop(0)
            else:
                senders[code] = township_office[region_rules.parent_code(code)]
        return senders

    def plan_teams(self, *, villages, senders, township_office, helper) -> list[PlannedTeam]:
        """One team per village with 3, 4 or 5 resident members, 528 in all; bigger teams in poverty villages."""
        rng, draw = self.rng, self.draw
        extra = RESIDENT_CADRES - 3 * len(villages)
        fives = rng.randint(extra // 7, extra // 4)
        fours = extra - 2 * fives
        threes = len(villages) - fours - fives
        if min(fours, threes) < 0:
            raise ValueError(f"{RESIDENT_CADRES} resident members cannot fill {len(villages)} teams of 3 to 5")
        ranked = sorted(villages, key=lambda village: (village.identified_year is not None) + 0.8 * rng.random())
        sizes = [5] * fives + [4] * fours + [3] * threes
        size_of = {village.code: size for village, size in zip(reversed(ranked), sizes, strict=True)}
        teams = []
        for village in villages:
            code = village.code
            sender = senders[code]
            township = township_office[region_rules.parent_code(code)]
            if village.identified_year is not None:
                # First secretaries went to the poverty villages in the 2015 dispatch, the other villages in 2016.
                starts_on = draw.day_between(start=date(2015, 3, 1), end=date(2015, 7, 31))
            else:
                starts_on = draw.day_between(start=date(2016, 2, 15), end=date(2016, 6, 30))
            ends_on = None if rng.random() < 0.55 else date(starts_on.year + 3, starts_on.month, 1)
            first = self.cadre(sender, village=code, ages=(30, 54, 42), male=0.82, senior=True, login=team_login(code))
            leader_unit = sender if sender.level == UnitLevel.TOWNSHIP or rng.random() < 0.6 else township
            leader = self.cadre(leader_unit, village=code, ages=(28, 56, 40), male=0.7)
            members = [
                PlannedMembership(first.id_number, TeamRole.FIRST_SECRETARY, True, starts_on, ends_on),
                PlannedMembership(leader.id_number, TeamRole.LEADER, True, starts_on, ends_on),
            ]
            late = size_of[code] >= 4 and rng.random() < 0.4
            for index in range(size_of[code] - 2):
                unit = draw.pick(_weights((sender, 40), (township, 35), (helper[code], 25)))
                cadre = self.cadre(unit, village=code, ages=(23, 52, 32), male=0.6)
                joined = starts_on
                if late and index == size_of[code] - 3:
                    # A member who joined the team later in its term (补充队员).
                    joined = draw.day_between(start=starts_on + timedelta(days=120), end=date(2017, 9, 30))
                members.append(PlannedMembership(cadre.id_number, TeamRole.MEMBER, True, joined, ends_on))
            teams.append(PlannedTeam(code, sender.key, starts_on, ends_on, tuple(members)))
        return teams

    def plan_pairings(self, *, villages, senders, township_office, helper, county_units) -> list[PlannedPairing]:
        """Every registered household paired from identification; 6590 cadres hold those poor or exited on the
        report date, a few households each, in their village; closed and removed households' pairings end then."""
        rng, draw = self.rng, self.draw
        by_village = defaultdict(list)
        for household in self.county.households:
            by_village[household.village_code].append(household)
        current = {code: [h for h in households if pairing_end(h) is None] for code, households in by_village.items()}
        for households in current.values():
            for household in households:
                status = household.status_on(REPORT_DATE)
                if status is None or status.status not in ("poor", "exited"):
                    raise ValueError(f"household {household.number} has no pairing end but is {status}")
        counts = self.cadres_by_village(current)
        county_weights = [_KIND_WEIGHT[unit.kind] for unit in county_units]
        pairings = []
        holder: dict[str, str] = {}
        for village in villages:
            code = village.code
            households = current.get(code, [])
            if not households and by_village.get(code):
                counts[code] = 1  # a village whose households all went still had a cadre for them until then
            township = township_office[region_rules.parent_code(code)]
            sender = senders[code]
            above = sender.level in (UnitLevel.CENTRAL, UnitLevel.PROVINCIAL, UnitLevel.MUNICIPAL)
            # The township government, the village's county unit, the team's unit; None: any county unit.
            mix = _weights((township, 32), (helper[code], 30), (sender, 8 if above else 20), (None, 20))
            cadres, capacity = [], []
            for _ in range(counts.get(code, 0)):
                unit = draw.pick(mix) or rng.choices(county_units, weights=county_weights)[0]
                cadres.append(self.cadre(unit, village=code))
                capacity.append(_KIND_WEIGHT["township"] / 2 if unit.kind == "township" else rng.uniform(0.6, 1.4))
            order = households[:]
            rng.shuffle(order)
            portfolios = [[household] for household in order[: len(cadres)]]
            for household in order[len(cadres) :] if cadres else ():
                portfolios[rng.choices(range(len(cadres)), weights=capacity)[0]].append(household)
            for cadre, portfolio in zip(cadres, portfolios, strict=False):  # a village whose households all went
                for household in portfolio:
                    holder[household.number] = cadre.id_number
            # Closed and removed households were paired with one of the village's cadres until they went.
            for household in by_village.get(code, []):
                if household.number not in holder:
                    holder[household.number] = rng.choice(cadres).id_number
        handed = self.plan_handovers(
            villages=villages, current=current, township_office=township_office, county_units=county_units
        )
        for household in self.county.households:
            starts_on, ends_on = identification_decided_on(household), pairing_end(household)
            if household.number in handed:
                former, day = handed[household.number]
                pairings.append(PlannedPairing(former, household.number, starts_on, day))
                starts_on = day
            if ends_on is not None and ends_on <= starts_on:
                raise ValueError(f"household {household.number} would be paired for no day")
            pairings.append(PlannedPairing(holder[household.number], household.number, starts_on, ends_on))
        return pairings

    def cadres_by_village(self, current: dict[str, list]) -> dict[str, int]:
        """How many pairing cadres each village has: 6590 for the seed report's county, spread by households; a
        county of another size (a smaller plan in tests, benchmarks) keeps the same households per cadre."""
        total = sum(len(households) for households in current.values())
        if total == 0:
            return dict.fromkeys(current, 0)
        exact = len(self.county.registered_households()) == REGISTERED_HOUSEHOLDS
        target = PAIRING_CADRES if exact else max(1, round(total * PAIRING_CADRES / REGISTERED_HOUSEHOLDS))
        counts = self.draw.allocate(
            total=target, weights={code: len(households) for code, households in current.items()}
        )
        for code, households in current.items():
            if households and not 1 <= counts[code] <= len(households):
                if exact:
                    raise ValueError(f"village {code}: {counts[code]} cadres for {len(households)} households")
                counts[code] = min(max(counts[code], 1), len(households))
        return counts

    def plan_handovers(self, *, villages, current, township_office, county_units) -> dict[str, tuple[str, date]]:
        """A few cadres transferred in 2016–2017: each held two or three households of a village until the handover
        day, when the village's cadre now holding them took over (交接: one pairing ends as the next begins)."""
        rng, draw = self.rng, self.draw
        eligible = [
            village.code
            for village in villages
            if sum(household.identified_year == 2014 for household in current.get(village.code, [])) >= 6
        ]
        handed = {}
        for code in sorted(rng.sample(eligible, min(HANDOVER_CADRES, len(eligible)))):
            if rng.random() < 0.5:
                unit = township_office[region_rules.parent_code(code)]
            else:
                unit = rng.choice([unit for unit in county_units if unit.kind == "office"])
            former = self.cadre(unit, village=code)
            day = draw.day_between(start=date(2016, 3, 1), end=date(2017, 10, 31))
            candidates = sorted(
                (household for household in current[code] if household.identified_year == 2014),
                key=lambda household: household.number,
            )
            for household in rng.sample(candidates, rng.randint(2, 3)):
                handed[household.number] = (former.id_number, day)
        return handed

    def plan_visits(self, pairings) -> list[PlannedVisit]:
        """Visits through 2016–2017 while each pairing runs: more while the household is poor, mostly at home."""
        households = {household.number: household for household in self.county.households}
        changes = {}
        visits = []
        for pairing in pairings:
            household = households[pairing.household]
            if household.number not in changes:
                changes[household.number] = household.status_changes()
            last = REPORT_DATE if pairing.ends_on is None else min(REPORT_DATE, pairing.ends_on - timedelta(days=1))
            for year in VISIT_YEARS:
                start = max(pairing.starts_on, date(year, 1, 1))
                end = min(last, date(year, 12, 31))
                if start > end:
                    continue
                visits += self.visits_in(
                    pairing, household=household, changes=changes[household.number], start=start, end=end
                )
        return visits

    def visits_in(self, pairing, *, household, changes, start: date, end: date) -> list[PlannedVisit]:
        """The visits of one pairing between two days of a year; `changes` are the household's status changes."""
        rng, draw = self.rng, self.draw
        days = (end - start).days + 1
        middle = start + timedelta(days=days // 2)
        status = next((change.status for change in reversed(changes) if change.effective_on <= middle), "poor")
        state = "exited" if status == "exited" else "poor"
        expected = _VISITS_PER_YEAR[state] * days / 365 * rng.uniform(0.6, 1.5)
        count = min(days, math.floor(expected + rng.random()))
        if count == 0 and days >= MIN_VISITED_DAYS:
            count = 1  # every household paired for six weeks or more of the year was visited in it
        causes = (household.main_cause, *household.other_causes)
        visits = []
        for offset in sorted(rng.sample(range(days), count)):
            kind = draw.pick(_VISIT_KINDS)
            if kind == VisitKind.PHONE:
                found, agreed = rng.choice(_FOUND_PHONE), rng.choice(_AGREED_PHONE)
            elif state == "exited" and rng.random() < 0.6:
                found, agreed = rng.choice(_FOUND_EXITED), rng.choice(_AGREED_EXITED)
            elif rng.random() < 0.65:
                cause = rng.choice(causes)
                found = rng.choice(_FOUND.get(cause, _FOUND["other"]))
                agreed = rng.choice(_AGREED.get(cause, _AGREED["other"]))
            else:
                found, agreed = rng.choice(_FOUND_COMMON), rng.choice(_AGREED_COMMON)
            if kind == VisitKind.OTHER:
                found = f"{rng.choice(_FOUND_OTHER)}：{found}"
            visits.append(
                PlannedVisit(
                    cadre=pairing.cadre,
                    household=pairing.household,
                    date=start + timedelta(days=offset),
                    kind=str(kind),
                    found=found,
                    agreed=agreed,
                    confirmed=rng.random() < _CONFIRMED[kind],
                )
            )
        return visits


def _weights(*pairs) -> dict:
    """Weights by key, adding up those of a key named twice (a team's unit may also be the village's helper)."""
    weights = Counter()
    for key, weight in pairs:
        weights[key] += weight
    return dict(weights)


# The helpers planned for a county plan, by the plan's id (the plan is kept, so that its id stays its own).
_PLANNED: dict[int, tuple[CountyPlan, CadresPlan]] = {}


def plan_cadres_for(county: CountyPlan) -> CadresPlan:
    """Plan the helpers of a planned county (no database), once per plan: the same plan gives the same units,
    cadres, teams, pairings and visits."""
    planned = _PLANNED.get(id(county))
    if planned is None or planned[0] is not county:
        planned = _PLANNED[id(county)] = (county, _CadrePlanner(county).plan())
    return planned[1]


def plan_cadres(*, seed: int = 2017) -> CadresPlan:
    """Plan the demo county's helpers from a seed, on the register plan_county(seed) plans."""
    return plan_cadres_for(plan_county(seed=seed))


# ---------------------------------------------------------------------------------------------------------------------
# Writing a plan
# ---------------------------------------------------------------------------------------------------------------------


def build_demo_cadres(*, plan: CountyPlan, command: str = "seed_demo") -> dict:
    """Write the helpers of a planned county (帮扶力量) in bulk and return how many rows of each kind.

    Units, teams and memberships by bulk_create; cadres, pairings and visits by COPY, all under one history
    context. The register must be written (demo.register_build.build_demo_register) and the helpers must not.
    """
    helpers = plan_cadres_for(plan)
    prefix = region_rules.significant_prefix(DEMO_COUNTY)
    with transaction.atomic(), pghistory.context(command=command), connection.cursor() as cursor:
        if Cadre.objects.filter(region__code__startswith=prefix).exists():
            raise ValueError("the demo county already has cadres; delete them first")
        households = dict(Household.objects.filter(village__code__startswith=prefix).values_list("number", "pk"))
        if len(households) != len(plan.households):
            raise ValueError(f"the demo register is not there ({len(households)} of {len(plan.households)} households)")
        units = _write_units(helpers.units)
        logins = _write_logins(helpers.teams)
        copy_into(
            cursor,
            model=Cadre,
            rows=(
                {
                    "name": cadre.name,
                    "sex": cadre.sex,
                    "id_number": cadre.id_number,
                    "phone": cadre.phone,
                    "unit_id": units[cadre.unit],
                    "title": cadre.title,
                    "region_id": cadre.region_code,
                    "user_id": logins.get(cadre.login),
                }
                for cadre in helpers.cadres
            ),
        )
        cadres = dict(Cadre.objects.filter(region__code__startswith=prefix).values_list("id_number", "pk"))
        teams = WorkTeam.objects.bulk_create(
            [
                WorkTeam(
                    village_id=team.village_code,
                    unit_id=units[team.unit],
                    starts_on=team.starts_on,
                    ends_on=team.ends_on,
                )
                for team in helpers.teams
            ]
        )
        memberships = TeamMembership.objects.bulk_create(
            [
                TeamMembership(
                    team_id=row.pk,
                    cadre_id=cadres[member.cadre],
                    role=member.role,
                    resident=member.resident,
                    starts_on=member.starts_on,
                    ends_on=member.ends_on,
                )
                for row, team in zip(teams, helpers.teams, strict=True)
                for member in team.members
            ]
        )
        pairings = copy_into(
            cursor,
            model=Pairing,
            rows=(
                {
                    "cadre_id": cadres[pairing.cadre],
                    "household_id": households[pairing.household],
                    "starts_on": pairing.starts_on,
                    "ends_on": pairing.ends_on,
                }
                for pairing in helpers.pairings
            ),
        )
        visits = copy_into(
            cursor,
            model=Visit,
            rows=(
                {
                    "cadre_id": cadres[visit.cadre],
                    "household_id": households[visit.household],
                    "date": visit.date,
                    "kind": visit.kind,
                    "found": visit.found,
                    "agreed": visit.agreed,
                    "confirmed": visit.confirmed,
                }
                for visit in helpers.visits
            ),
        )
    return {
        "units": len(units),
        "cadres": len(cadres),
        "work_teams": len(teams),
        "resident_members": sum(member.resident for member in memberships),
        "pairing_cadres": len(helpers.pairing_cadres()),
        "pairings": pairings,
        "handovers": helpers.handovers(),
        "visits": visits,
        "team_logins": len(logins),
    }


def _write_units(planned) -> dict[tuple[str, str], int]:
    """The units by (region, name), made where missing (a unit above the county may outlive a reset)."""
    wanted = {unit.key: unit for unit in planned}
    found = {
        (region, name): pk
        for pk, region, name in Unit.objects.filter(
            region_id__in={region for region, _name in wanted}, name__in={name for _region, name in wanted}
        ).values_list("pk", "region_id", "name")
        if (region, name) in wanted
    }
    made = Unit.objects.bulk_create(
        [
            Unit(name=unit.name, level=unit.level, region_id=unit.region_code)
            for key, unit in wanted.items()
            if key not in found
        ]
    )
    found.update({(unit.region_id, unit.name): unit.pk for unit in made})
    return found


def _write_logins(teams) -> dict[str, int]:
    """The teams' logins (team_<village code>): unusable passwords (no hashing) and a village_team grant over the
    team's village each; a login that survived a reset is reused. Returns user ids by user name."""
    user_model = get_user_model()
    villages = {team_login(team.village_code): team.village_code for team in teams}
    found = dict(user_model.objects.filter(username__in=villages).values_list("username", "pk"))
    made = user_model.objects.bulk_create(
        [user_model(username=name, password=make_password(None)) for name in villages if name not in found]
    )
    found.update({user.username: user.pk for user in made})
    RoleGrant.objects.bulk_create(
        [RoleGrant(user_id=found[name], role=Role.VILLAGE_TEAM, region_id=code) for name, code in villages.items()],
        ignore_conflicts=True,
    )
    return found


def delete_demo_cadres(*, command: str = "seed_demo") -> dict:
    """Delete the demo county's helpers: visits, pairings, teams and their members, cadres, the team logins, and
    the units left with no cadre and no team (those above the county only when the demo made them)."""
    prefix = region_rules.significant_prefix(DEMO_COUNTY)
    in_county = {"household__village__code__startswith": prefix}
    deleted = {}
    with transaction.atomic(), pghistory.context(command=command):
        # The team logins by name (team_<village code>), also one that someone unlinked from its cadre.
        logins = list(
            get_user_model().objects.filter(username__startswith=team_login(prefix)).values_list("pk", flat=True)
        )
        for label, queryset in (
            ("visits", Visit.objects.filter(**in_county)),
            ("pairings", Pairing.objects.filter(**in_county)),
            ("team_memberships", TeamMembership.objects.filter(team__village__code__startswith=prefix)),
            ("work_teams", WorkTeam.objects.filter(village__code__startswith=prefix)),
            ("cadres", Cadre.objects.filter(region__code__startswith=prefix)),
        ):
            deleted[label] = queryset.only("pk").delete()[0]
        deleted["team_logins"] = _delete_team_logins(logins, prefix=prefix)
        demo_units = {(PROVINCE if level != UnitLevel.MUNICIPAL else CITY, name) for level, _kind, name in _UNITS_ABOVE}
        unused = Unit.objects.filter(cadres__isnull=True, work_teams__isnull=True)
        candidates = [
            pk
            for pk, region, name in unused.values_list("pk", "region_id", "name")
            if region.startswith(prefix) or (region, name) in demo_units
        ]
        deleted["units"] = _delete_each_unprotected(Unit.objects.filter(pk__in=candidates))
    return deleted


def _delete_team_logins(user_ids, *, prefix: str) -> int:
    """The team logins lose their grants over the county and go unless someone gave them a password or other
    grants, or other records refer to them (then they stay, without the grants)."""
    RoleGrant.objects.filter(user_id__in=user_ids, region__code__startswith=prefix).delete()
    users = get_user_model().objects.filter(pk__in=user_ids, role_grants__isnull=True)
    keep = [user.pk for user in users if user.has_usable_password()]
    return _delete_each_unprotected(users.exclude(pk__in=keep))


def _delete_each_unprotected(queryset) -> int:
    """Delete the rows at once, or one by one when some are protected (those stay); returns how many went."""
    label = queryset.model._meta.label
    try:
        with transaction.atomic():
            return queryset.delete()[1].get(label, 0)
    except ProtectedError:
        pass
    count = 0
    for row in queryset:
        try:
            with transaction.atomic():
                row.delete()
            count += 1
        except ProtectedError:
            pass
    return count
