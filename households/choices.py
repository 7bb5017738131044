"""Coded lists of the register (docs/domain.md): stable English slugs, Chinese labels, national codes beside.

`NATIONAL_CODES` maps each list's slugs to the numeric codes of the national filing system
(全国扶贫开发信息系统) where it has them, so imports and exports can speak both.
"""

from django.db import models
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _


class IdentificationStandard(models.TextChoices):
    """识别标准"""

    NATIONAL = "national", _("国家标准")
    PROVINCIAL = "provincial", _("省定标准")
    MUNICIPAL = "municipal", _("市定标准")


class HouseholdAttribute(models.TextChoices):
    """贫困户属性 (the older 五保户 maps to tekun)"""

    GENERAL = "general", _("一般贫困户")
    DIBAO = "dibao", _("低保贫困户")
    TEKUN = "tekun", _("特困供养贫困户")


class PovertyCause(models.TextChoices):
    """致贫原因"""

    ILLNESS = "illness", _("因病")
    DISABILITY = "disability", _("因残")
    SCHOOLING = "schooling", _("因学")
    DISASTER = "disaster", _("因灾")
    LACK_LAND = "lack_land", _("缺土地")
    LACK_WATER = "lack_water", _("缺水")
    LACK_SKILLS = "lack_skills", _("缺技术")
    LACK_LABOUR = "lack_labour", _("缺劳力")
    LACK_FUNDS = "lack_funds", _("缺资金")
    POOR_TRANSPORT = "poor_transport", _("交通条件落后")
    LOW_MOTIVATION = "low_motivation", _("自身发展动力不足")
    OTHER = "other", _("其他")


class Stars(models.IntegerChoices):
    """星级 (Jilin's local classification)"""

    ONE = 1, _("一星：有劳动能力和收入来源")
    TWO = 2, _("二星：弱劳动能力")
    THREE = 3, _("三星：无劳动能力，兜底保障")


class RelocationMode(models.TextChoices):
    """易地扶贫搬迁方式"""

    WHOLE_VILLAGE = "whole_village", _("整村搬迁")
    WHOLE_NATURAL_VILLAGE = "whole_natural_village", _("整自然村搬迁")
    SINGLE_HOUSEHOLD = "single_household", _("分散搬迁")


class RelocationPlacement(models.TextChoices):
    """安置方式"""

    CENTRALIZED = "centralized", _("集中安置")
    DISPERSED = "dispersed", _("分散安置")


class RelocationSite(models.TextChoices):
    """安置地点"""

    COUNTY_TOWN = "county_town", _("县城")
    TOWNSHIP = "township", _("乡镇")
    INSIDE_VILLAGE = "inside_village", _("村内")
    OUTSIDE_VILLAGE = "outside_village", _("村外")


class IdType(models.TextChoices):
    """证件类型"""

    RESIDENT_ID = "resident_id", _("居民身份证")
    DISABILITY_CERT = "disability_cert", _("残疾人证")
    OTHER = "other", _("其他")


class Sex(models.TextChoices):
    """性别"""

    MALE = "male", _("男")
    FEMALE = "female", _("女")


class Relation(models.TextChoices):
    """与户主关系: the value is the national two-digit code"""

    HEAD = "01", _("户主")
    SPOUSE = "02", _("配偶")
    SON = "03", _("之子")
    DAUGHTER = "04", _("之女")
    DAUGHTER_IN_LAW = "05", _("之儿媳")
    SON_IN_LAW = "06", _("之女婿")
    GRANDSON = "07", _("之孙子")
    GRANDDAUGHTER = "08", _("之孙女")
    DAUGHTERS_SON = "09", _("之外孙子")
    DAUGHTERS_DAUGHTER = "10", _("之外孙女")
    FATHER = "11", _("之父")
    MOTHER = "12", _("之母")
    WIFES_FATHER = "13", _("之岳父")
    WIFES_MOTHER = "14", _("之岳母")
    HUSBANDS_FATHER = "15", _("之公公")
    HUSBANDS_MOTHER = "16", _("之婆婆")
    GRANDFATHER = "17", _("之祖父")
    GRANDMOTHER = "18", _("之祖母")
    MATERNAL_GRANDFATHER = "19", _("之外祖父")
    MATERNAL_GRANDMOTHER = "20", _("之外祖母")
    OTHER = "99", _("其他")


class Ethnicity(models.TextChoices):
    """民族 (GB/T 3304; the national code is in NATIONAL_CODES)"""

    HAN = "han", _("汉族")
    MONGOL = "mongol", _("蒙古族")
    HUI = "hui", _("回族")
    ZANG = "zang", _("藏族")
    UYGUR = "uygur", _("维吾尔族")
    MIAO = "miao", _("苗族")
    YI = "yi", _("彝族")
    ZHUANG = "zhuang", _("壮族")
    BUYEI = "buyei", _("布依族")
    CHOSEN = "chosen", _("朝鲜族")
    MAN = "man", _("满族")
    DONG = "dong", _("侗族")
    YAO = "yao", _("瑶族")
    BAI = "bai", _("白族")
    TUJIA = "tujia", _("土家族")
    HANI = "hani", _("哈尼族")
    KAZAK = "kazak", _("哈萨克族")
    DAI = "dai", _("傣族")
    LI = "li", _("黎族")
    LISU = "lisu", _("傈僳族")
    VA = "va", _("佤族")
    SHE = "she", _("畲族")
    GAOSHAN = "gaoshan", _("高山族")
    LAHU = "lahu", _("拉祜族")
    SUI = "sui", _("水族")
    DONGXIANG = "dongxiang", _("东乡族")
    NAXI = "naxi", _("纳西族")
    JINGPO = "jingpo", _("景颇族")
    KIRGIZ = "kirgiz", _("柯尔克孜族")
    TU = "tu", _("土族")
    DAUR = "daur", _("达斡尔族")
    MULAO = "mulao", _("仫佬族")
    QIANG = "qiang", _("羌族")
    BLANG = "blang", _("布朗族")
    SALAR = "salar", _("撒拉族")
    MAONAN = "maonan", _("毛南族")
    GELAO = "gelao", _("仡佬族")
    XIBE = "xibe", _("锡伯族")
    ACHANG = "achang", _("阿昌族")
    PUMI = "pumi", _("普米族")
    TAJIK = "tajik", _("塔吉克族")
    NU = "nu", _("怒族")
    UZBEK = "uzbek", _("乌孜别克族")
    RUSS = "russ", _("俄罗斯族")
    EWENKI = "ewenki", _("鄂温克族")
    DEANG = "deang", _("德昂族")
    BONAN = "bonan", _("保安族")
    YUGUR = "yugur", _("裕固族")
    GIN = "gin", _("京族")
    TATAR = "tatar", _("塔塔尔族")
    DERUNG = "derung", _("独龙族")
    OROQEN = "oroqen", _("鄂伦春族")
    HEZHEN = "hezhen", _("赫哲族")
    MONBA = "monba", _("门巴族")
    LHOBA = "lhoba", _("珞巴族")
    JINO = "jino", _("基诺族")
    OTHER = "other", _("其他")
    FOREIGN_ORIGIN = "foreign_origin", _("外国血统中国籍人士")


class Education(models.TextChoices):
    """文化程度"""

    ILLITERATE = "illiterate", _("文盲或半文盲")
    PRESCHOOL = "preschool", _("学龄前")
    PRIMARY = "primary", _("小学")
    JUNIOR = "junior", _("初中")
    SENIOR = "senior", _("高中")
    COLLEGE = "college", _("大专及以上")


class SchoolStatus(models.TextChoices):
    """在校生状况: the national list's 16 values, in the order of their codes 01–16 (one slug per grade)"""

    NOT_IN_SCHOOL = "not_in_school", _("非在校生")
    PRESCHOOL = "preschool", _("学前教育")
    PRIMARY = "primary", _("小学")
    JUNIOR_1 = "junior_1", _("七年级")
    JUNIOR_2 = "junior_2", _("八年级")
    JUNIOR_3 = "junior_3", _("九年级")
    SENIOR_1 = "senior_1", _("高中一年级")
    SENIOR_2 = "senior_2", _("高中二年级")
    SENIOR_3 = "senior_3", _("高中三年级")
    SECONDARY_VOCATIONAL_1 = "secondary_vocational_1", _("中职一年级")
    SECONDARY_VOCATIONAL_2 = "secondary_vocational_2", _("中职二年级")
    SECONDARY_VOCATIONAL_3 = "secondary_vocational_3", _("中职三年级")
    HIGHER_VOCATIONAL_1 = "higher_vocational_1", _("高职一年级")
    HIGHER_VOCATIONAL_2 = "higher_vocational_2", _("高职二年级")
    HIGHER_VOCATIONAL_3 = "higher_vocational_3", _("高职三年级")
    COLLEGE = "college", _("大专及以上")


# The school level (学段) of each school status: the rules that care about the level, not the grade (HH-7's
# plausible ages, the programs' vocational and college targeting, the demo's grants), read it from here.
SCHOOL_LEVEL: dict[str, str] = {
    value: value.rsplit("_", 1)[0] if value[-1].isdigit() else value for value in SchoolStatus.values
}
# The grades of each level, in order (first year first).
SCHOOL_GRADES: dict[str, tuple[str, ...]] = {
    level: tuple(value for value in SchoolStatus.values if SCHOOL_LEVEL[value] == level)
    for level in dict.fromkeys(SCHOOL_LEVEL.values())
}
IN_SCHOOL = frozenset(value for value in SchoolStatus.values if value not in {"not_in_school", "preschool"})
SECONDARY_VOCATIONAL = frozenset(SCHOOL_GRADES["secondary_vocational"])  # 中职, national 10–12
HIGHER_VOCATIONAL = frozenset(SCHOOL_GRADES["higher_vocational"])  # 高职, national 13–15


class DropoutReason(models.TextChoices):
    """失学辍学原因 (only illness_or_disability is accepted by the education guarantee)"""

    ILLNESS_OR_DISABILITY = "illness_or_disability", _("因病因残")
    FINANCIAL = "financial", _("经济困难")
    LEARNING = "learning", _("厌学或学习困难")
    OTHER = "other", _("其他")


class Health(models.TextChoices):
    """健康状况"""

    HEALTHY = "healthy", _("健康")
    CHRONIC = "chronic", _("长期慢性病")
    SERIOUS_ILLNESS = "serious_illness", _("患有大病")
    DISABLED = "disabled", _("残疾")


class DisabilityCategory(models.TextChoices):
    """残疾类别 (the digit in a disability certificate number is in NATIONAL_CODES)"""

    VISUAL = "visual", _("视力残疾")
    HEARING = "hearing", _("听力残疾")
    SPEECH = "speech", _("言语残疾")
    PHYSICAL = "physical", _("肢体残疾")
    INTELLECTUAL = "intellectual", _("智力残疾")
    MENTAL = "mental", _("精神残疾")
    MULTIPLE = "multiple", _("多重残疾")


class DisabilityGrade(models.IntegerChoices):
    """残疾等级"""

    ONE = 1, _("一级")
    TWO = 2, _("二级")
    THREE = 3, _("三级")
    FOUR = 4, _("四级")


class Labour(models.TextChoices):
    """劳动能力"""

    ORDINARY = "ordinary", _("普通劳动力")
    SKILLED = "skilled", _("技能劳动力")
    WEAK = "weak", _("弱劳动力或半劳动力")
    LOST = "lost", _("丧失劳动力")
    NONE = "none", _("无劳动力")


class MigrantWork(models.TextChoices):
    """务工状况"""

    NONE = "none", _("未务工")
    IN_TOWNSHIP = "in_township", _("乡内务工")
    IN_COUNTY = "in_county", _("乡外县内务工")
    IN_PROVINCE = "in_province", _("县外省内务工")
    OUT_OF_PROVINCE = "out_of_province", _("省外务工")


class JoinReason(models.TextChoices):
    """成员加入原因"""

    REGISTRATION = "registration", _("建档登记")
    BIRTH = "birth", _("出生")
    MARRIAGE = "marriage", _("婚入")
    MOVED_IN = "moved_in", _("迁入")
    OTHER = "other", _("其他")


class LeftReason(models.TextChoices):
    """成员减少原因"""

    DECEASED = "deceased", _("死亡")
    MOVED_OUT = "moved_out", _("迁出")
    MARRIED_OUT = "married_out", _("嫁出")
    REMOVED = "removed", _("清退")
    OTHER = "other", _("其他")


class HousingGrade(models.TextChoices):
    """住房安全等级 (C and D are dilapidated 危房)"""

    A = "A", _("A级")
    B = "B", _("B级")
    C = "C", _("C级（危房）")
    D = "D", _("D级（危房）")


def _in_order(choices, *, width: int = 2) -> dict[str, str]:
    """The national codes of a list kept in the national order: 1, 2, … (zero-padded to `width`)."""
    return {value: f"{index:0{width}d}" for index, value in enumerate(choices.values, start=1)}


# Numeric codes of the national filing system (全国扶贫开发信息系统), by list. The lists above are kept in the national
# order, so most codes are the position in the list; the exceptions are spelled out.
NATIONAL_CODES: dict[type, dict[str, str]] = {
    IdentificationStandard: _in_order(IdentificationStandard, width=1),
    HouseholdAttribute: {"general": "1", "dibao": "2", "tekun": "3"},
    PovertyCause: _in_order(PovertyCause),
    Relation: {value: value for value in Relation.values},  # stored as its national code
    Education: {
        "illiterate": "01",
        "primary": "02",
        "junior": "03",
        "senior": "04",
        "college": "05",
        "preschool": "06",
    },
    SchoolStatus: _in_order(SchoolStatus),
    Health: _in_order(Health, width=1),
    Labour: _in_order(Labour, width=1),
    MigrantWork: _in_order(MigrantWork, width=1),
    Sex: {"male": "1", "female": "2"},
    Ethnicity: {
        **{value: f"{index:02d}" for index, value in enumerate(Ethnicity.values[:56], start=1)},
        "other": "97",
        "foreign_origin": "98",
    },
    DisabilityCategory: {value: str(index) for index, value in enumerate(DisabilityCategory.values, start=1)},
}


# The fields of the register (households and members) whose values have national codes, with their lists: the
# `codes=national` option of the API's reads and of the exports gives these codes instead of the English values.
NATIONAL_FIELDS: dict[str, type] = {
    "identification_standard": IdentificationStandard,
    "attribute": HouseholdAttribute,
    "main_cause": PovertyCause,
    "other_causes": PovertyCause,
    "sex": Sex,
    "relation": Relation,
    "ethnicity": Ethnicity,
    "education": Education,
    "school_status": SchoolStatus,
    "health": Health,
    "disability_category": DisabilityCategory,
    "labour": Labour,
    "migrant_work": MigrantWork,
}
CODES_SLUGS, CODES_NATIONAL = "slugs", "national"  # the values of the `codes` option (slugs: the default)


def national_value(field: str, value):
    """The national code of a stored value of `field` (a list: each of its items); anything without a national
    code — another field, an empty or unknown value — comes back as it is."""
    codes = NATIONAL_CODES.get(NATIONAL_FIELDS.get(field), {})
    if isinstance(value, list | tuple):
        return [codes.get(item, item) for item in value]
    return codes.get(value, value) if isinstance(value, str) else value

# The statuses the lifecycle keeps on the household (workflows.md) -------------------------------


class RegistryStatus(models.TextChoices):
    """登记状态: read from the county decisions (status changes), never typed in"""

    CANDIDATE = "candidate", _("识别中")
    POOR = "poor", _("未脱贫")
    EXITED = "exited", _("已脱贫")
    REMOVED = "removed", _("清退")
    CLOSED = "closed", _("自然销户")
    REJECTED = "rejected", _("未通过识别")


# The status sets every figure counts by (docs/reports.md, Summaries), defined once.
# 建档立卡户 registered = poor + exited + closed (a removed household never qualified).
REGISTERED_STATUSES = frozenset({RegistryStatus.POOR.value, RegistryStatus.EXITED.value, RegistryStatus.CLOSED.value})
# Poor and exited households: the ones the policies still reach, and the ones a removal (清退) can take.
ENTITLED_STATUSES = frozenset({RegistryStatus.POOR.value, RegistryStatus.EXITED.value})


class MonitoringStatus(models.TextChoices):
    MONITORED = "monitored", _("监测中")
    RISK_ELIMINATED = "risk_eliminated", _("风险已消除")


# Land, road and fuel of the household; public-welfare posts of members (issue 14, the county's form) ---------------


class RoadType(models.TextChoices):
    """入户路类型"""

    DIRT = "dirt", _("普通泥土路")
    GRAVEL = "gravel", _("砂石路")
    CEMENT = "cement", _("水泥路")
    ASPHALT = "asphalt", _("沥青路")


class Fuel(models.TextChoices):
    """主要燃料类型"""

    FIREWOOD = "firewood", _("柴草")
    DUNG = "dung", _("干畜粪")
    COAL = "coal", _("煤炭")
    CLEAN = "clean", _("清洁能源")
    OTHER = "other", _("其他")


class WelfarePost(models.TextChoices):
    """公益岗位类型"""

    FOREST_RANGER = "forest_ranger", _("生态护林员")
    CLEANER = "cleaner", _("保洁员")
    ROAD_KEEPER = "road_keeper", _("护路员")
    WATER_KEEPER = "water_keeper", _("水管员")
    OTHER = "other", _("其他公益岗位")


# The year-end adjustment report (年度动态调整, reports.rules): its two stocks and the figures of each, in the
# report's order. The register's list filters by a household figure (the households counted there).


# Not a coded list (nothing stores it): the two stocks of the report, 年度动态调整的两类存量.
ANNUAL_STOCKS = {"poor": _("未脱贫户"), "on_register": _("在册建档立卡户")}


ANNUAL_HOUSEHOLD_FIGURES = {
    "start": _("年初"),
    "identified": _("新识别"),
    "returned": _("返贫"),
    "other_in": _("其他增加"),
    "exited": _("脱贫退出"),
    "removed": _("清退"),
    "closed": _("自然销户"),
    "other_out": _("其他减少"),
    "end": _("年末"),
}
ANNUAL_PEOPLE_CHANGES = {
    "births": _("出生"),
    "married_in": _("婚入"),
    "moved_in": _("迁入"),
    "deaths": _("死亡"),
    "married_out": _("婚出"),
    "moved_out": _("迁出"),
    "other_left": _("其他减员"),
}
# The figures a stock's report holds (on the register, an exit and a return are moves inside the stock).
ANNUAL_FIGURE_CHOICES = [
    (f"{stock}.{key}", format_lazy("{}：{}", stock_label, label))
    for stock, stock_label in ANNUAL_STOCKS.items()
    for key, label in ANNUAL_HOUSEHOLD_FIGURES.items()
]
