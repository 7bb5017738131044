"""English for the lifecycle's strings (procedures, notices, eligibility); used by fill_en.py."""

LIFECYCLE = {
    "须给出年度，如 ?year=2017": "Give the year, e.g. ?year=2017",
    "line 须为 poverty 或 monitoring": "line must be poverty or monitoring",
    "日期格式应为 YYYY-MM-DD": "Dates are written YYYY-MM-DD",
    "识别中": "candidate", "未脱贫": "poor", "已脱贫": "exited", "自然销户": "closed",
    "未通过识别": "rejected", "贫困识别": "identification", "脱贫退出": "exit", "返贫": "return",
    "纳入监测": "monitoring inclusion", "风险消除": "risk elimination", "办理中": "open", "已审定": "approved",
    "未通过": "rejected", "农户申请": "application", "监测预警": "alert", "提出": "proposal",
    "民主评议": "appraisal", "入户核实": "verification", "农户认可签字": "consent", "村级公示": "village notice",
    "公示": "notice", "乡镇公示": "township notice", "县级审定公告": "county approval", "通过": "approve",
    "不通过": "reject", "异议成立，退回核实": "upheld: back to verification", "异议不成立": "dismissed",
    "脱贫不稳定户": "unstable exited household", "边缘易致贫户": "marginal household",
    "突发严重困难户": "sudden hardship household", "监测中": "monitored", "风险已消除": "risk eliminated",
    "农户自主申报": "self-report", "干部排查": "cadre screening", "部门筛查预警": "department alert",
    "不符合识别标准（错评）": "did not qualify (wrongly included)", "拥有车辆": "owns a vehicle",
    "拥有商品房或门市": "owns commercial housing or a shop", "经营工商企业": "runs a business",
    "财政供养人员": "on public payroll", "重复登记": "registered twice",
    "贫困线": "poverty line", "监测线": "monitoring line", "、": ", ",
    "基本医疗保险": "basic medical insurance", "大病保险": "serious-illness insurance",
    "村集体经济收入": "collective income",
    "没有 %(year)s 年度信息": "No annual record for %(year)s",
    "%(year)s 年度信息": "the annual record of %(year)s",
    "人均纯收入（年末人口 %(members)s 人）": "per-capita net income (%(members)s members at year end)",
    "%(year)s 年度政策标准": "the policy standard of %(year)s",
    "%(year)s 年度政策标准中的%(line_name)s": "the %(line_name)s in the policy standard of %(year)s",
    "无法判断收入，缺少：%(items)s": "Income cannot be judged; missing: %(items)s",
    "人均纯收入 %(income)s 元，高于%(line_name)s %(line)s 元": (
        "Per-capita net income %(income)s yuan is above the %(line_name)s of %(line)s yuan"
    ),
    "人均纯收入 %(income)s 元，未高于%(line_name)s %(line)s 元": (
        "Per-capita net income %(income)s yuan is not above the %(line_name)s of %(line)s yuan"
    ),
    "%(item)s：否": "%(item)s: no", "%(item)s：未登记": "%(item)s: not recorded", "%(item)s：是": "%(item)s: yes",
    "未填写原因": "no reason given",
    "%(name)s（%(age)s岁，%(reason)s）": "%(name)s (aged %(age)s, %(reason)s)",
    "%(date)s 有 %(low)s 至 %(high)s 周岁的成员失学辍学（非因病因残）：%(names)s": (
        "On %(date)s members aged %(low)s to %(high)s dropped out of school (not for illness or disability): %(names)s"
    ),
    "%(date)s 没有 %(low)s 至 %(high)s 周岁的成员失学辍学（因病因残除外）": (
        "On %(date)s no member aged %(low)s to %(high)s dropped out of school (illness or disability excepted)"
    ),
    "%(year)s 年末没有在册成员": "No current members at the end of %(year)s",
    "%(name)s（%(lacks)s）": "%(name)s (%(lacks)s)",
    "有成员未参加医疗保险：%(names)s": "Members without medical insurance: %(names)s",
    "全部 %(count)s 名成员均参加基本医疗保险和大病保险": (
        "All %(count)s members have basic medical and serious-illness insurance"
    ),
    "住房安全等级为 %(grade)s 级": "Housing safety grade %(grade)s",
    "已完成易地扶贫搬迁入住": "Relocated and moved in",
    "%(year)s 年度信息未登记住房安全等级": "The annual record of %(year)s has no housing safety grade",
    "住房安全等级为 %(grade)s 级（危房），已于 %(renovation_year)s 年完成危房改造": (
        "Housing grade %(grade)s (dilapidated), renovated in %(renovation_year)s"
    ),
    "住房安全等级为 %(grade)s 级（危房），危房改造年度为 %(renovation_year)s 年，晚于 %(year)s 年": (
        "Housing grade %(grade)s (dilapidated), renovation in %(renovation_year)s, after %(year)s"
    ),
    "住房安全等级为 %(grade)s 级（危房），未完成危房改造，也未搬迁入住": (
        "Housing grade %(grade)s (dilapidated), neither renovated nor relocated"
    ),
    "%(year)s 年村年度数据": "the village's figures for %(year)s",
    "%(year)s 年户籍农业人口": "the rural registered population of %(year)s",
    "无法计算贫困发生率，缺少：%(items)s": "Poverty incidence cannot be computed; missing: %(items)s",
    "贫困发生率 %(incidence)s（贫困人口 %(poor_people)s 人 ÷ 户籍农业人口 %(rural_population)s 人），低于出列标准 %(threshold)s": (
        "Poverty incidence %(incidence)s (%(poor_people)s poor people ÷ rural population %(rural_population)s) "
        "is below the exit threshold %(threshold)s"
    ),
    "贫困发生率 %(incidence)s（贫困人口 %(poor_people)s 人 ÷ 户籍农业人口 %(rural_population)s 人），未低于出列标准 %(threshold)s": (
        "Poverty incidence %(incidence)s (%(poor_people)s poor people ÷ rural population %(rural_population)s) "
        "is not below the exit threshold %(threshold)s"
    ),
    "村集体经济收入 %(income)s 元，高于 %(minimum)s 元": "Collective income %(income)s yuan is above %(minimum)s yuan",
    "村集体经济收入 %(income)s 元，未高于 %(minimum)s 元": "Collective income %(income)s yuan is not above %(minimum)s yuan",
    "没有 %(year)s 年村年度数据": "No village figures for %(year)s",
    "您的角色不能办理“%(step)s”这一步": "Your role cannot take the step “%(step)s”",
    "日期不能晚于今天": "The date cannot be after today",
    "日期不能早于上一步（%(date)s）": "The date cannot be before the previous step (%(date)s)",
    "民主评议须填写赞成票和反对票（非负整数）": "An appraisal needs votes for and against (whole numbers, not negative)",
    "公示须填写开始和结束日期": "A notice needs a start and an end date",
    "公示开始不能早于本步日期": "The notice cannot start before the step's date",
    "公示期不少于 %(days)s 天：结束日期最早为 %(date)s": "A notice runs at least %(days)s days: it can end on %(date)s at the earliest",
    "该户当前状态（%(status)s）不能发起“%(kind)s”程序": "A household that is %(status)s cannot start a “%(kind)s” procedure",
    "未识别": "not identified",
    "该户已有办理中的程序，须先办结": "The household has an open procedure; finish it first",
    "清退须选择原因：%(choices)s": "A removal needs a reason: %(choices)s",
    "纳入监测须选择监测对象类型": "Monitoring inclusion needs a monitoring type",
    "预警须注明来源：%(choices)s": "An alert needs its source: %(choices)s",
    "返贫须说明原因": "A return needs a reason",
    "退出评估未通过：%(checks)s": "The exit evaluation did not pass: %(checks)s",
    "程序已办结（%(state)s）": "The procedure is closed (%(state)s)",
    "下一步应为“%(expected)s”，不是“%(step)s”": "The next step is “%(expected)s”, not “%(step)s”",
    "决定须为 approve 或 reject": "The decision is approve or reject",
    "提出或核实本程序的人员不能审核或审定本程序": (
        "Whoever proposed or verified this procedure cannot review or approve it"
    ),
    "公示至 %(end)s 结束，结束前不能办理下一步": "The notice runs until %(end)s; the next step must wait for its end",
    "公示期间的异议尚未处理完毕": "Objections lodged during the notice are not all resolved",
    "程序已办结，不能再提出异议": "The procedure is closed; no more objections",
    "异议须在公示期内（%(start)s 至 %(end)s）提出": "Objections are lodged during the notice (%(start)s to %(end)s)",
    "须填写提出人和异议内容": "Give who objects and what",
    "该异议已处理": "This objection is resolved already",
    "处理结果须为 upheld 或 dismissed": "The outcome is upheld or dismissed",
    "须填写处理说明": "Give the resolution",
    "只有县扶贫办可以更正状态": "Only the county office can correct a status",
    "状态无效": "Invalid status",
    "登记状态": "registry status", "监测状态": "monitoring status", "程序类型": "procedure kind",
    "程序状态": "procedure state", "下一步序号": "next step position", "发起日期": "opened on",
    "办结日期": "decided on", "原因": "reason", "监测对象类型": "monitoring type", "未通过原因": "rejection reason",
    "退出评估": "exit evaluation", "程序": "procedure", "步骤": "step", "决定": "decision", "日期": "date",
    "说明": "note", "步骤数据": "step data", "办理人": "acted by", "程序步骤": "procedure step",
    "公示开始": "notice start", "公示结束": "notice end", "提出日期": "lodged on", "提出人": "lodged by",
    "异议内容": "objection", "登记人": "recorded by", "处理结果": "outcome", "处理日期": "resolved on",
    "处理说明": "resolution", "处理人": "resolved by", "异议": "objection", "生效日期": "effective on",
    "更正": "corrects", "记录时间": "recorded at", "记录人": "recorded by", "状态变更": "status change",
    "监测状态变更": "monitoring status change",
    "只有县扶贫办可以决定贫困村出列": "Only the county office decides a village's exit",
    "只有未出列的贫困村可以出列": "Only a poverty village that has not exited can exit",
    "出列决定日期不能早于评估年度，也不能晚于今天": "The decision date cannot be before the evaluated year or after today",
    "贫困村出列评估未通过：%(checks)s": "The village exit evaluation did not pass: %(checks)s",
    "查看": "Show", "打印": "Print", "公示期": "notice period", "当日没有公示": "No notice on this day",
    "公示期间如有异议，请向村扶贫工作队或乡镇反映。": (
        "Objections during the notice go to the village work team or the township."
    ),
}  # fmt: skip
