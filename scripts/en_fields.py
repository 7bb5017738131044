"""English for issue 14's register fields, insurance flags, monitoring object types and the monitoring inclusion test."""

FIELDS = {
    # households/choices.py
    "普通泥土路": "Dirt road",
    "砂石路": "Gravel road",
    "水泥路": "Cement road",
    "沥青路": "Asphalt road",
    "柴草": "Firewood and straw",
    "干畜粪": "Dried dung",
    "煤炭": "Coal",
    "清洁能源": "Clean energy",
    "生态护林员": "Forest ranger",
    "保洁员": "Cleaner",
    "护路员": "Road keeper",
    "水管员": "Water keeper",
    "其他公益岗位": "Other public-welfare post",
    # households/models.py
    "耕地面积（亩）": "Cultivated land (mu)",
    "有效灌溉面积（亩）": "Irrigated land (mu)",
    "林地面积（亩）": "Forest land (mu)",
    "退耕还林面积（亩）": "Farmland returned to forest (mu)",
    "入户路类型": "Road to the house",
    "主要燃料类型": "Main fuel",
    "距村主干路距离（公里）": "Distance to the main road (km)",
    "通生产用电": "Production electricity",
    "军烈属": "Military or martyr's family",
    "独生子女户": "One-child family",
    "双女户": "Two-daughter family",
    "已建档立卡的户须填写贫困户属性和主要致贫原因": "A registered household needs its poverty attribute and main cause",
    "参加城镇职工基本医疗保险": "Employee basic medical insurance",
    "参加城镇职工基本养老保险": "Employee basic pension insurance",
    "参加商业补充保险": "Commercial supplementary insurance",
    "享受大病医疗救助": "Serious-illness medical assistance",
    "现役军人": "In active military service",
    "务工地点或企业": "Workplace or employer",
    "公益岗位类型": "Public-welfare post",
    "公益岗位时间（月）": "Public-welfare post (months)",
    "自付医疗费用": "Self-paid medical costs",
    "自付教育费用": "Self-paid schooling costs",
    # households/admin.py
    "刚性支出（元）": "Rigid expenses (yuan)",
    "生产生活条件": "Production and living conditions",
    # households/services.py
    "填写公益岗位时间须先选择公益岗位类型": "Choose the public-welfare post before its months",
    # lifecycle/services.py
    "“%(type)s”不适用于当前状态为“%(status)s”的户：脱贫不稳定户须为已脱贫户，边缘易致贫户须为未建档或已清退的户": (
        "“%(type)s” does not fit a household whose status is “%(status)s”: an unstable exited household must have "
        "exited, a marginal household must be unregistered or removed"
    ),
    "建档立卡须先填写贫困户属性和主要致贫原因": "Enter the poverty attribute and main cause before registering the household",
    # lifecycle/eligibility.py
    "%(date)s %(low)s 至 %(high)s 周岁的成员未登记是否失学辍学：%(names)s": (
        "On %(date)s, members aged %(low)s to %(high)s have no dropout status entered: %(names)s"
    ),
    "有成员的医疗保险未登记：%(names)s": "Members' medical insurance not entered: %(names)s",
    "人均纯收入": "Per-capita net income",
    "%(year)s 年度监测线": "the %(year)s monitoring line",
    "无法判断是否纳入监测，缺少：%(items)s": "Cannot tell whether to monitor, missing: %(items)s",
    "人均纯收入 %(income)s 元，未高于监测线 %(line)s 元": (
        "Per-capita net income %(income)s yuan, not above the monitoring line of %(line)s yuan"
    ),
    "刚性支出 %(rigid)s 元，扣除后人均 %(left)s 元，未高于监测线 %(line)s 元（刚性支出致困）": (
        "Rigid expenses %(rigid)s yuan leave %(left)s yuan per person, not above the monitoring line of %(line)s "
        "yuan (hardship from rigid expenses)"
    ),
    "人均纯收入 %(income)s 元（扣除刚性支出后 %(left)s 元），高于监测线 %(line)s 元": (
        "Per-capita net income %(income)s yuan (%(left)s after rigid expenses), above the monitoring line of "
        "%(line)s yuan"
    ),
}
