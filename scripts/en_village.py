"""English for the village page /villages/<code>/ and the village exit in the browser (issue 16 point 2)."""

VILLAGE_PAGE = {
    # The page
    "农户名单": "Household list",
    "公示栏": "Notice board",
    "村情与出列": "Village and exit",
    "去办理": "Take it",
    "本村为未出列的贫困村，乡镇可以提出出列。": "This is a poverty village not yet exited: the township may propose its exit.",
    "提出出列": "Propose the exit",
    "%(year)s 年度贫困村出列办理中，下一步：%(step)s": "Village exit of %(year)s under way, next step: %(step)s",
    "%(y)s 年": "%(y)s",
    "%(year)s 年": "%(year)s",
    "村情 · %(year)s 年度": "The village · %(year)s",
    "乡镇": "Township",
    "贫困村状态": "Poverty village status",
    "识别为贫困村": "Identified as a poverty village",
    "%(count)s 人": "%(count)s people",
    "%(amount)s 元": "%(amount)s yuan",
    "未登记": "not recorded",
    "是": "yes",
    "否": "no",
    "没有 %(year)s 年村年度数据（户籍农业人口、基础设施、村集体经济收入）。": (
        "No village figures for %(year)s (rural registered population, infrastructure, collective income)."
    ),
    "农户（按当前登记状态）": "Households (by current status)",
    "共 %(n)s 户": "%(n)s households in all",
    "%(n)s 户": "%(n)s households",
    "%(year)s 年度出列评估": "Exit evaluation of %(year)s",
    "出列评估": "Exit evaluation",
    "出列标准：低于 %(rate)s": "exit standard: below %(rate)s",
    "贫困人口 %(poor)s 人 ÷ 户籍农业人口 %(people)s 人（%(year)s 年 12 月 31 日）": (
        "%(poor)s poor people ÷ %(people)s rural registered population (31 December %(year)s)"
    ),
    "年度须为 %(low)s 至 %(high)s 之间的四位数字；下面显示的是 %(year)s 年度。": (
        "The year must be four digits between %(low)s and %(high)s; shown below is %(year)s."
    ),
    # The procedure
    "贫困村出列程序": "Village exit procedure",
    "%(year)s 年度": "%(year)s",
    "%(day)s提出": "proposed %(day)s",
    "%(day)s办结": "closed %(day)s",
    "村内公示 %(start)s 至 %(end)s": "Village notice %(start)s to %(end)s",
    "公示中": "notice running",
    "公示已结束": "notice ended",
    "未通过原因": "Reason for refusal",
    "待办理": "to do",
    "未办理": "not taken",
    "本村还没有出列程序。": "The village has no exit procedure yet.",
    "本村不是贫困村，没有出列程序。": "The village is not a poverty village: it has no exit procedure.",
    "本村已于 %(year)s 年出列（出列程序不在本系统中）。": "The village exited in %(year)s (its exit procedure is not in this system).",
    "公示期间的异议": "Objections during the notice",
    "异议成立，退回县级审核": "Objection upheld, back to the county review",
    "处理异议": "Resolve the objection",
    "待处理": "to resolve",
    "登记公示期间的异议": "Record an objection lodged during the notice",
    "登记异议": "Record the objection",
    "下一步：%(step)s": "Next step: %(step)s",
    "公告通过后，本村即为已出列贫困村，出列年度为本程序的年度。": (
        "Once announced, the village is an exited poverty village, exited in this procedure's year."
    ),
    "发布村内公示": "Post the village notice",
    "提交“%(step)s”": "Submit “%(step)s”",
    "等待“%(step)s”：由有相应职责的人员办理。": "Waiting for “%(step)s”: taken by whoever holds that duty.",
    "乡镇提出出列": "Township proposal of the exit",
    "提出时按出列年度评估，须全部达标；之后由县级审核、村内公示、县级公告。": (
        "The exit year is evaluated at the proposal and every check must pass; then come the county review, the "
        "village notice and the county announcement."
    ),
    "贫困村出列由乡镇提出。": "A village exit is proposed by the township.",
    "出列程序记录在案的评估": "Evaluation on record with the procedure",
    "以往的出列程序": "Earlier exit procedures",
    "%(year)s 年度 · %(day)s提出": "%(year)s · proposed %(day)s",
    # Forms
    "决定": "Decision",
    "处理结果": "Outcome",
    "出列年度": "Exit year",
    "按该年度末的贫困人口和村年度数据评估": "Evaluated on the poor people at the year's end and the village's figures",
    "提出日期": "Proposal date",
    "说明": "Note",
    "办理日期": "Date",
    "公示开始": "Notice start",
    "公示结束": "Notice end",
    "意见或不通过原因": "Opinion or reason for refusal",
    "公示期不少于 %(days)s 天（政策标准）；已按开始日期建议结束日期": (
        "A notice runs at least %(days)s days (policy standard); the end is suggested from the start"
    ),
    "不通过时必须填写原因": "A refusal needs its reason",
    "公示须填写开始和结束日期": "A notice needs its start and end dates",
    "不通过须填写原因": "A refusal needs its reason",
    "无法识别提交的表单": "The submitted form is not recognised",
    "该村出列程序已有新进展（可能已由他人办理），没有保存。请查看下面的最新进度。": (
        "The village exit has moved on (someone else may have taken the step): nothing was saved. See where it "
        "stands below."
    ),
    # After a step, refusals and what to do
    "已提出 %(year)s 年度贫困村出列": "Village exit of %(year)s proposed",
    "“%(step)s”不通过，出列程序已办结": "“%(step)s” refused: the village exit is closed",
    "已办理“%(step)s”": "“%(step)s” taken",
    "县级公告已办理：本村为 %(year)s 年度出列的贫困村": "Announced: the village is a poverty village exited in %(year)s",
    "已登记异议": "Objection recorded",
    "已处理异议": "Objection resolved",
    "贫困村出列评估未通过：%(checks)s": "The village exit evaluation did not pass: %(checks)s",
    "请先补录或更正该村该年度的村年度数据（户籍农业人口、基础设施、村集体经济收入）和贫困户的脱贫程序，"
    "待各项达标后再提交；确不达标的，以“不通过”办结。": (
        "Record or correct the village's figures of the year (rural registered population, infrastructure, "
        "collective income) and the poor households' exits first, and submit once every check passes; if it truly "
        "does not qualify, close it as refused."
    ),
    "请由未提出或审核本出列程序的另一位县扶贫办人员办理。": (
        "Ask another county officer, one who neither proposed nor reviewed this exit, to take it."
    ),
    "请在公示期结束后再办理县级公告，日期不早于公示结束日。": (
        "Announce after the notice has ended, dated no earlier than its last day."
    ),
    "请先在下方处理每一条异议（成立或不成立），再办理县级公告。": (
        "Resolve every objection below first (upheld or dismissed), then announce."
    ),
    "请刷新页面，查看该村出列程序的最新进度。": "Reload the page to see where the village exit stands now.",
    "该年度报告已发布；请联系县扶贫办。": "That year's report is published; contact the county office.",
    # Evaluation and work queue
    "贫困发生率": "Poverty incidence",
    "通硬化路": "Hardened road",
    "安全饮水": "Safe drinking water",
    "通动力电": "Power grid",
    "通宽带": "Broadband",
    "标准化卫生室": "Standard clinic",
    "村集体经济收入": "Collective income",
    "贫困村出列评估（贫困发生率、基础设施、集体经济收入）": (
        "Village exit evaluation (poverty incidence, infrastructure, collective income)"
    ),
    "贫困村出列须贫困发生率低于 %(rate)s": "a village exits with a poverty incidence below %(rate)s",
    "贫困村出列待办": "Village exits waiting for me",
    "查看": "View",
    "年度": "Year",
}
