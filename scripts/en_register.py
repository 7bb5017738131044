"""English for the register's strings (households, villages, personal-data log); used by fill_en.py."""

ETHNICITIES = {
    "汉族": "Han", "蒙古族": "Mongol", "回族": "Hui", "藏族": "Tibetan", "维吾尔族": "Uyghur", "苗族": "Miao",
    "彝族": "Yi", "壮族": "Zhuang", "布依族": "Buyei", "朝鲜族": "Korean", "满族": "Manchu", "侗族": "Dong",
    "瑶族": "Yao", "白族": "Bai", "土家族": "Tujia", "哈尼族": "Hani", "哈萨克族": "Kazakh", "傣族": "Dai",
    "黎族": "Li", "傈僳族": "Lisu", "佤族": "Va", "畲族": "She", "高山族": "Gaoshan", "拉祜族": "Lahu",
    "水族": "Sui", "东乡族": "Dongxiang", "纳西族": "Naxi", "景颇族": "Jingpo", "柯尔克孜族": "Kyrgyz",
    "土族": "Tu", "达斡尔族": "Daur", "仫佬族": "Mulao", "羌族": "Qiang", "布朗族": "Blang", "撒拉族": "Salar",
    "毛南族": "Maonan", "仡佬族": "Gelao", "锡伯族": "Xibe", "阿昌族": "Achang", "普米族": "Pumi",
    "塔吉克族": "Tajik", "怒族": "Nu", "乌孜别克族": "Uzbek", "俄罗斯族": "Russian", "鄂温克族": "Evenki",
    "德昂族": "De'ang", "保安族": "Bonan", "裕固族": "Yugur", "京族": "Gin", "塔塔尔族": "Tatar",
    "独龙族": "Derung", "鄂伦春族": "Oroqen", "赫哲族": "Hezhen", "门巴族": "Monba", "珞巴族": "Lhoba",
    "基诺族": "Jino", "外国血统中国籍人士": "Chinese citizen of foreign origin",
}  # fmt: skip

REGISTER = {
    **ETHNICITIES,
    # personal-data log
    "时间": "time", "请求编号": "request id", "路径": "path", "数据类型": "record type", "记录": "records",
    "字段": "fields", "个人信息查看记录": "personal data read", "查看完整个人信息": "full personal data read",
    # admin sections
    "健康、劳动与教育": "Health, labour and education", "保险与救助": "Insurance and assistance",
    "成员变动": "Membership", "证件号码": "ID number", "收入（元）": "Income (yuan)",
    "两不愁三保障": "Food, clothing, education, health care, housing and water", "识别信息": "Identification",
    "易地扶贫搬迁": "Relocation", "银行账户": "Bank account", "户主": "Head", "在册人数": "Current members",
    # coded lists
    "国家标准": "national standard", "省定标准": "provincial standard", "市定标准": "municipal standard",
    "一般贫困户": "general poor household", "低保贫困户": "minimum-living-allowance household",
    "特困供养贫困户": "extreme-poverty support household",
    "因病": "illness", "因残": "disability", "因学": "schooling costs", "因灾": "disaster",
    "缺土地": "lack of land", "缺水": "lack of water", "缺技术": "lack of skills", "缺劳力": "lack of labour",
    "缺资金": "lack of funds", "交通条件落后": "poor transport", "自身发展动力不足": "low motivation", "其他": "other",
    "一星：有劳动能力和收入来源": "one star: has labour and an income source",
    "二星：弱劳动能力": "two stars: weak labour capacity",
    "三星：无劳动能力，兜底保障": "three stars: no labour capacity, relies on the safety net",
    "整村搬迁": "whole village", "整自然村搬迁": "whole natural village", "分散搬迁": "single household",
    "集中安置": "centralized", "分散安置": "dispersed", "县城": "county town", "村内": "inside the village",
    "村外": "outside the village", "居民身份证": "resident ID card", "残疾人证": "disability certificate",
    "男": "male", "女": "female", "男性": "male", "女性": "female",
    "配偶": "spouse", "之子": "son", "之女": "daughter", "之儿媳": "daughter-in-law", "之女婿": "son-in-law",
    "之孙子": "grandson", "之孙女": "granddaughter", "之外孙子": "daughter's son", "之外孙女": "daughter's daughter",
    "之父": "father", "之母": "mother", "之兄弟姐妹": "sibling", "之祖父母": "grandparent",
    "文盲或半文盲": "illiterate or semi-literate", "学龄前": "preschool age", "小学": "primary school",
    "初中": "junior secondary", "高中": "senior secondary", "大专及以上": "college or above",
    "非在校生": "not in school", "学前教育": "preschool", "中职": "secondary vocational", "高职": "higher vocational",
    "因病因残": "illness or disability", "经济困难": "financial hardship", "厌学或学习困难": "learning difficulties",
    "健康": "healthy", "长期慢性病": "chronic illness", "患有大病": "serious illness", "残疾": "disabled",
    "视力残疾": "visual", "听力残疾": "hearing", "言语残疾": "speech", "肢体残疾": "physical",
    "智力残疾": "intellectual", "精神残疾": "mental", "多重残疾": "multiple",
    "一级": "grade 1", "二级": "grade 2", "三级": "grade 3", "四级": "grade 4",
    "普通劳动力": "ordinary labour", "技能劳动力": "skilled labour", "弱劳动力或半劳动力": "weak or partial labour",
    "丧失劳动力": "lost labour capacity", "无劳动力": "no labour capacity",
    "未务工": "no migrant work", "乡内务工": "within the township", "乡外县内务工": "within the county",
    "县外省内务工": "within the province", "省外务工": "outside the province",
    "建档登记": "registration", "出生": "birth", "婚入": "marriage", "迁入": "moved in",
    "死亡": "deceased", "迁出": "moved out", "嫁出": "married out", "清退": "removed (wrongly included)",
    "A级": "grade A", "B级": "grade B", "C级（危房）": "grade C (dilapidated)", "D级（危房）": "grade D (dilapidated)",
    "户编号（开头）或户主姓名": "household number (start) or head's name",
    # field names
    "户编号": "household number", "村民小组": "villager group", "住址": "address", "联系电话": "phone",
    "识别标准": "identification standard", "贫困户属性": "household attribute", "主要致贫原因": "main poverty cause",
    "其他致贫原因": "other poverty causes", "星级": "stars", "搬迁方式": "relocation mode",
    "安置方式": "placement", "安置地点": "placement site", "开户银行": "bank", "银行账号": "bank account",
    "户": "household", "姓名": "name", "证件类型": "ID type", "性别": "sex", "出生日期": "birth date",
    "与户主关系": "relation to head", "民族": "ethnicity", "文化程度": "education", "在校生状况": "school status",
    "失学辍学": "dropped out", "辍学原因": "dropout reason", "健康状况": "health", "残疾类别": "disability category",
    "残疾等级": "disability grade", "劳动能力": "labour capacity", "务工状况": "migrant work",
    "务工时间（月）": "months of migrant work", "参加城乡居民基本医疗保险": "basic medical insurance",
    "参加大病保险": "serious-illness insurance", "参加城乡居民基本养老保险": "basic pension insurance",
    "享受低保": "receives minimum living allowance", "享受特困供养": "receives extreme-poverty support",
    "加入日期": "joined on", "加入原因": "join reason", "减少日期": "left on", "减少原因": "reason for leaving",
    "家庭成员": "member", "年度": "year", "工资性收入": "wages", "生产经营性收入": "business income",
    "生产经营性支出": "business cost", "财产性收入": "property income", "低保金": "minimum living allowance",
    "特困供养金": "extreme-poverty support", "养老金": "pension", "生态补偿金": "ecological compensation",
    "计划生育金": "family-planning allowance", "其他转移性收入": "other transfers",
    "不计入稳定收入的收入": "income not counted for exit",
    "一次性救助、捐赠、借贷、医疗报销等，不计入脱贫收入": (
        "one-off relief, donations, loans, medical reimbursements …: not counted toward exit income"
    ),
    "转移性收入": "transfer income", "纯收入": "net income", "年末人口": "members at year end",
    "人均纯收入": "per-capita net income", "不愁吃": "food secure", "不愁穿": "clothing secure",
    "住房安全等级": "housing safety grade", "危房改造年度": "renovation year", "已搬迁入住": "relocation done",
    "饮水安全": "safe drinking water", "取水方便": "water access not difficult", "通生活用电": "electricity",
    "卫生厕所": "sanitary toilet", "住房面积（平方米）": "house area (m²)", "年度信息": "annual record",
    "适用区划": "region", "留空表示全国默认": "empty for the nationwide default",
    "贫困线（元/人·年）": "poverty line (yuan per person per year)",
    "监测线（元/人·年）": "monitoring line (yuan per person per year)",
    "贫困村出列贫困发生率上限": "village exit incidence threshold", "公示天数": "notice days",
    "异议处理天数": "objection handling days", "政策标准": "policy standard", "全国": "nationwide",
    "贫困户": "household", "行政村": "village",
    # rule messages (households.rules)
    "这是15位旧身份证号，请改为18位新号码：%(upgraded)s": (
        "This is an old 15-digit ID number; please change it to the new 18-digit number: %(upgraded)s"
    ),
    "身份证号应为18位，实为 %(length)s 位": "The ID number must have 18 characters; it has %(length)s",
    "身份证号第 %(position)s 位“%(character)s”不允许：前17位只能是半角数字，最后一位可以是数字或 X": (
        "Character %(position)s of the ID number, “%(character)s”, is not allowed: the first 17 must be "
        "half-width digits, and the last may be a digit or X"
    ),
    "身份证号中的出生日期 %(date)s 不存在": "The birth date %(date)s in the ID number does not exist",
    "身份证号中的出生日期 %(date)s 早于1900年1月1日": "The birth date %(date)s in the ID number is before 1 January 1900",
    "身份证号中的出生日期 %(date)s 晚于今天（%(today)s）": (
        "The birth date %(date)s in the ID number is after today (%(today)s)"
    ),
    "身份证号校验位错误：按前17位应为 %(expected)s，实为 %(actual)s": (
        "Wrong check character in the ID number: the first 17 digits require %(expected)s, but it is %(actual)s"
    ),
    "性别与身份证号不符：身份证号第17位表示%(sex)s": "Sex does not match the ID number: its 17th digit means %(sex)s",
    "出生日期与身份证号不符：身份证号为 %(date)s": "Birth date does not match the ID number: the ID number says %(date)s",
    "残疾人证号应为20位（18位身份证号加残疾类别、残疾等级各1位），实为 %(length)s 位": (
        "The disability certificate number must have 20 characters (the 18-character ID number plus one digit "
        "each for disability category and grade); it has %(length)s"
    ),
    "残疾人证号最后两位应为残疾类别（1至7）和残疾等级（1至4），实为 %(suffix)s": (
        "The last two digits of the disability certificate number must be the disability category (1 to 7) "
        "and grade (1 to 4); they are %(suffix)s"
    ),
    "证件号码不能为空": "The document number must not be empty",
    "户内没有户主：须有且只有一名在册成员登记为户主": (
        "The household has no head: exactly one current member must be recorded as head"
    ),
    "户内有 %(count)s 名户主：只能有一名": "The household has %(count)s heads: there can be only one",
    "户内有 %(count)s 名配偶：最多只能有一名": "The household has %(count)s spouses: there can be at most one",
    "与户主关系为“%(relation)s”的成员应为%(expected)s，此处登记为%(actual)s": (
        "A member whose relation to the head is “%(relation)s” should be %(expected)s but is recorded as %(actual)s"
    ),
    "配偶与户主同为%(sex)s：配偶的性别应与户主不同": (
        "The spouse and the head are both %(sex)s: the spouse's sex must differ from the head's"
    ),
    # service messages (households.services)
    "该村户编号已用尽（9999）": "This village has used all household numbers (9999)",
    "户必须属于行政村，而不是%(level)s": "A household belongs to a village, not to a %(level)s",
    "其他致贫原因最多两项": "At most two other poverty causes",
    "其他致贫原因不能重复": "Other poverty causes must not repeat",
    "其他致贫原因不能与主要致贫原因相同": "Other poverty causes must differ from the main cause",
    "未搬迁的户不填搬迁信息": "A household that was not relocated has no relocation details",
    "村民小组不属于该村": "The villager group does not belong to this village",
    "失学辍学须填写原因": "A dropout needs a reason",
    "未辍学时不填辍学原因": "No dropout reason without a dropout",
    "残疾成员须填写残疾类别": "A disabled member needs a disability category",
    "非残疾成员不填残疾类别和等级": "No disability category or grade for a member who is not disabled",
    "未外出务工时务工月数应为0": "Months of migrant work must be 0 without migrant work",
    "减少日期和减少原因须同时填写": "Give both the date and the reason of leaving",
    "减少日期不能早于加入日期": "The date of leaving cannot be before the date of joining",
    "加入日期不能早于出生日期": "The date of joining cannot be before the birth date",
    "减少日期不能晚于今天": "The date of leaving cannot be after today",
    "该证件号已在户 %(number)s（%(village)s）登记为在册成员": (
        "This ID number is already a current member of household %(number)s (%(village)s)"
    ),
    "该证件号已在其他户登记为在册成员": "This ID number is already a current member of another household",
    "同一证件号在本次录入中出现两次（另见 %(other)s）": "The same ID number appears twice in this entry (see also %(other)s)",
    "一户只能有一名在册户主": "A household can have only one current head",
    "户至少要有一名成员": "A household needs at least one member",
    "该户已进入认定程序，不能删除；请走清退或销户程序": (
        "This household has entered a procedure and cannot be deleted; use the removal or closing procedure"
    ),
    "成员不属于该户": "The member does not belong to this household",
    "新增成员不能同时减少": "A new member cannot leave at the same time",
    "新户主须是本户另一名在册成员": "The new head must be another current member of this household",
    "只有户主减少时才指定新户主": "Name a new head only when the head leaves",
    "该成员已不在册，不能迁移": "This person is no longer a member and cannot be moved",
    "目标户与原户相同": "The target household is the same as the current one",
    "户主迁出前须先为原户指定新户主": "Name a new head for the household before its head moves out",
    "迁移日期须在加入日期之后且不晚于今天": "The move date must be after joining and not after today",
    "危房改造年度不能晚于下一年度": "The renovation year cannot be later than the next year",
    "目标户不存在或不在您的录入范围内": "The target household does not exist or is outside your data entry scope",
    "年度须为整数": "The year must be a whole number",
    "只能为您管理范围内的区划设置标准（全国默认标准由系统管理员设置）": (
        "You can set standards only for regions you manage (administrators set the nationwide defaults)"
    ),
    "年度和区划不能修改；请新增一条标准": "Year and region cannot change; add a new standard instead",
    # villages
    "非贫困村": "non-poverty village", "贫困村": "poverty village", "已出列": "exited",
    "贫困村状态": "poverty-village status", "识别年度": "identification year", "出列年度": "exit year",
    "村情": "village profile", "户籍农业人口": "rural registered population", "通硬化路": "hardened road",
    "安全饮水": "safe water supply", "通动力电": "power grid", "通宽带": "broadband",
    "标准化卫生室": "standardized clinic", "文化活动室": "culture room",
    "村集体经济收入（元）": "collective income (yuan)", "村年度数据": "village year",
    # later additions
    "%(number)s 的变更记录": "History of %(number)s",
    "区划代码无效（须为12位统计用区划代码）：%(reason)s": "Invalid region code (12-digit statistical code needed): %(reason)s",
    "身份号码": "person number",
    "该区划该年度的标准已存在，请修改原标准": "A standard for this region and year exists already; change that one",
    "Home": "Home", "History": "History", "对象": "record", "操作": "action", "变更": "changes",
    "没有变更记录": "No changes recorded",
}  # fmt: skip
