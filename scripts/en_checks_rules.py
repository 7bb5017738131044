"""English for the register rules' messages, the findings API and admin, and the rule runs; used by fill_en.py.

Strings the rules share with households.rules (ID-1, HH-1 sentences) are translated in en_register.py.
"""

CHECKS_RULES = {
    # Rule titles (checks.catalog, REGISTER_RULES)
    "证件号码校验": "ID number check",
    "一人多户": "one person in several households",
    "帮扶干部为建档立卡户成员": "pairing cadre is a registered member",
    "户主与家庭关系": "head and family relations",
    "致贫原因与成员状况": "poverty cause and members' condition",
    "贫困户属性与保障": "household attribute and assistance",
    "务工收入与务工状况": "wages and migrant work",
    "经营收支与人均收入": "business income, cost and per-capita income",
    "在校生状况与年龄": "school status and age",
    "贫困户无结对干部": "poor household without a pairing cadre",
    "疑似错退": "possible wrong exit",
    "无在册成员未销户": "no active member, not closed",
    # Messages
    "%(name)s 的证件号码 %(id_number)s 有误：%(problem)s": "ID number %(id_number)s of %(name)s is wrong: %(problem)s",
    "%(name)s（%(id_number)s）同时是户 %(other_number)s 的在册成员（%(level_label)s）": (
        "%(name)s (%(id_number)s) is also an active member of household %(other_number)s (%(level_label)s)"
    ),
    "结对帮扶干部 %(cadre)s 同时是本户在册成员 %(name)s（%(id_number)s），现结对帮扶 %(pairings)s 户": (
        "Pairing cadre %(cadre)s is this household's active member %(name)s (%(id_number)s) and is paired with "
        "%(pairings)s households"
    ),
    "家庭关系不一致：%(problem)s": "Family relations are inconsistent: %(problem)s",
    "主要致贫原因为“%(cause_label)s”，但没有%(needs_label)s的在册成员": (
        "The main poverty cause is “%(cause_label)s”, but no active member is %(needs_label)s"
    ),
    "贫困户属性为“%(attribute_label)s”，但%(problem)s": "The household attribute is “%(attribute_label)s”, but %(problem)s",
    "%(name)s 健康且 %(age)s 岁，却登记为丧失劳动力": "%(name)s is healthy and %(age)s years old, yet recorded as having lost labour capacity",
    "%(year)s 年度：%(problem)s": "%(year)s: %(problem)s",
    "%(name)s：%(problem)s": "%(name)s: %(problem)s",
    "未脱贫户没有在岗的结对帮扶干部": "The poor household has no active pairing cadre",
    "已脱贫户按 %(year)s 年度信息不再符合退出标准（疑似错退）：%(failing_label)s": (
        "By its %(year)s record the exited household no longer meets the exit standard (possible wrong exit): "
        "%(failing_label)s"
    ),
    "该户已无在册成员，尚未自然销户": "The household has no active member left and is not yet closed",
    # Words the messages derive from the facts
    "；": "; ",
    "这是15位旧身份证号，请改为18位新号码": "This is a 15-digit legacy ID number: change it to the 18-digit number",
    "同村": "same village",
    "本县其他村": "another village of the county",
    "外县": "another county",
    "患长期慢性病或大病": "chronically or seriously ill",
    "在校就读": "in school",
    "没有享受低保的在册成员": "no active member receives dibao",
    "没有享受特困供养的在册成员": "no active member receives tekun support",
    "有16至60岁、有普通或技能劳动力的成员：%(names)s": "members aged 16 to 60 have ordinary or skilled labour: %(names)s",
    "有工资性收入 %(wages)s 元，但没有外出务工的成员": "wages of %(wages)s yuan, but no member does migrant work",
    "%(names)s 外出务工，但工资性收入为 0": "%(names)s do migrant work, but wages are 0",
    "%(names)s 的务工时间不在 0 至 12 个月之内": "months worked by %(names)s are not within 0 to 12",
    "有生产经营性收入 %(business_income)s 元，但没有生产经营性支出": (
        "business income of %(business_income)s yuan, but no business cost"
    ),
    "人均纯收入 %(per_capita_income)s 元，不高于 0": "per-capita net income %(per_capita_income)s yuan is not above 0",
    "人均纯收入 %(per_capita_income)s 元，高于 %(ceiling)s 元": (
        "per-capita net income %(per_capita_income)s yuan is above %(ceiling)s yuan"
    ),
    "%(age)s 岁，正值义务教育年龄，却登记为非在校生且未登记失学辍学": (
        "%(age)s years old, of compulsory-school age, recorded as not in school without a recorded dropout"
    ),
    "%(age)s 岁，在校生状况为“%(school_status)s”，与年龄不符": (
        "%(age)s years old, school status “%(school_status)s” does not fit the age"
    ),
    "收入": "income",
    "义务教育": "compulsory education",
    "基本医疗": "basic medical care",
    "住房安全": "safe housing",
    # API, filters and admin
    "区划不存在或不在您的范围内": "No such region in your scope",
    "您的角色不能在该区划运行规则校验": "Your role cannot run the register rules in this region",
    "规则代码，可重复：?rule=ID-1&rule=HH-1": "Rule code, may repeat: ?rule=ID-1&rule=HH-1",
    "12位区划代码：该区划内各村的问题": "12-digit region code: findings of the villages in its subtree",
    "12位区划代码：该区划内的规则校验": "12-digit region code: rule runs over regions in its subtree",
    "触发方式：api、command、import、step、demo": "Trigger: api, command, import, step, demo",
    "户 id": "household id",
    "成员 id": "member id",
    "规则名称": "rule title",
    "整改": "rectification",
    "该问题已关闭，不能再次关闭": "The finding is already closed",
}
