"""English for the cadres app's messages (units, cadres, work teams, pairings, visits); used by fill_en.py.

The models' verbose names and the coded lists are in en_crosscheck.py (CROSSCHECK).
"""

CADRES = {
    # Rights
    "您的角色不能在该区划办理此项": "Your role cannot do this in that region",
    "您的账号没有关联干部": "Your login is not linked to a cadre",
    "日期格式应为 YYYY-MM-DD": "Dates are written YYYY-MM-DD",
    # Units and cadres
    "该区划已有同名的帮扶单位": "The region already has a unit of that name",
    "该证件号已登记为其他干部": "This ID number is already registered for another cadre",
    "该登录账号已关联其他干部": "This login is already linked to another cadre",
    "单位名称包含": "unit name contains",
    "姓名包含": "name contains",
    # Periods
    "结束日期（%(end)s）须晚于开始日期（%(start)s）": "The end (%(end)s) must be after the start (%(start)s)",
    # Work teams
    "工作队须派驻到行政村": "A work team is sent to an administrative village",
    "工作队的驻村不能修改；请派驻新的工作队": "A team's village cannot be changed; send a new team",
    "成员开始日期不能早于工作队派驻开始（%(date)s）": "A member cannot start before the team's term (%(date)s)",
    "成员结束日期不能晚于工作队派驻结束（%(date)s）": "A member cannot serve beyond the team's term (%(date)s)",
    "有 %(count)s 名成员的任期超出新的派驻期，请先调整成员任期": (
        "%(count)s members serve outside the new term; change their periods first"
    ),
    "该干部在本工作队的任期与已有任期重叠": "The cadre's period in this team overlaps one they already have",
    "该干部同期已在其他工作队驻村，一名干部同一时间只能在一个村驻村": (
        "The cadre is already resident with another team then; a cadre lives in one village at a time"
    ),
    "工作队在 %(day)s 只有 %(count)s 名在岗成员，通常至少 %(min)s 名": (
        "On %(day)s the team has only %(count)s active members; at least %(min)s is usual"
    ),
    "派驻期（%(start)s 至 %(end)s）短于 %(years)s 年": "The term (%(start)s to %(end)s) is shorter than %(years)s years",
    "工作队在 %(day)s 有 %(count)s 名%(role)s，通常只有一名": "On %(day)s the team has %(count)s %(role)s; one is usual",
    "第一书记": "first secretary",
    "队长": "team leader",
    # Pairings and handover
    "该户登记状态为“%(status)s”，不在册，不能结对帮扶；可结对的是未脱贫户、已脱贫户和监测对象": (
        "The household's status is “%(status)s”: it is not in the register and cannot be paired; poor and exited "
        "households and households under monitoring can"
    ),
    "未识别": "not identified",
    "该户不在干部的帮扶区划（%(region)s）内": "The household is outside the cadre's region (%(region)s)",
    "该干部与该户的结对期与已有结对重叠": "The pairing overlaps one this cadre already has with the household",
    "结对开始日期不能晚于今天": "A pairing cannot start after today",
    "该干部在此日期之后还有走访记录，结对不能在走访之前结束": (
        "The cadre has visits after that day; the pairing cannot end before them"
    ),
    "交接日期不能晚于今天": "A handover cannot be dated after today",
    "该户在 %(day)s 没有可交接的结对帮扶": "The household has no pairing to hand over on %(day)s",
    "该户在 %(day)s 有多名结对干部，请指明交出的干部": (
        "The household has several pairing cadres on %(day)s; say which one hands over"
    ),
    "接手干部与交出干部是同一人": "The cadre taking over is the one handing over",
    "该结对帮扶从 %(day)s 才开始，不能在同一天交接；请直接修改该结对": (
        "The pairing only began on %(day)s and cannot be handed over the same day; change the pairing instead"
    ),
    "接手干部在交接日期已与该户结对": "The cadre taking over is already paired with the household on that day",
    "交出干部在交接日期之后还有走访记录，请核对交接日期": (
        "The cadre handing over has visits after that day; check the handover date"
    ),
    # Visits
    "请填写走访日期": "Give the visit's date",
    "走访日期不能晚于今天": "A visit cannot be dated after today",
    "该干部与该户没有结对帮扶关系": "The cadre is not paired with this household",
    "走访日期（%(day)s）早于结对帮扶开始（%(start)s）": "The visit (%(day)s) is before the pairing began (%(start)s)",
    "走访日期（%(day)s）不在该干部与该户的结对期内": (
        "The visit (%(day)s) is outside the cadre's pairings with this household"
    ),
}
