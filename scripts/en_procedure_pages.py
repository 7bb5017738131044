"""English for the work queue, the procedure pages, the notice board and the findings page (issue 15)."""

PROCEDURE_PAGES = {
    # Work queue 待办
    "我的待办": "My work",
    "您的角色没有待办事项。": "Nothing waits for your roles.",
    "程序与公示": "Procedures and notices",
    "没有待您办理的程序步骤": "No procedure step waits for you",
    "%(step)s · %(kind)s": "%(step)s · %(kind)s",
    "%(days)s 天内结束的公示": "Notices ending within %(days)s days",
    "待处理的异议": "Objections to resolve",
    "监测满半年、待风险评估的监测对象": "Monitored for half a year or more: due for a risk review",
    "%(year)s 年度信息未录入的户": "Households without a %(year)s annual record",
    "问题整改": "Findings to rectify",
    "待整改的错误（阻止办理程序）": "Errors to rectify (they block procedures)",
    "待核实的提示": "Warnings to verify",
    "结对走访": "Paired visits",
    "我结对的户本季度尚未走访": "My paired households not visited this quarter",
    "辖区内结对户本季度尚未走访": "Paired households in my area not visited this quarter",
    "本季度自 %(day)s 起": "this quarter, since %(day)s",
    "%(day)s起": "since %(day)s",
    "共 %(n)s 项": "%(n)s in all",
    # Status words
    "一般农户": "Rural household (never registered)",
    "贫困户（未脱贫）": "Poor household (not exited)",
    "已清退": "Removed",
    "已销户": "Closed",
    "监测对象": "Monitored",
    # Evaluations
    "义务教育有保障": "Compulsory education assured",
    "基本医疗有保障": "Basic medical care assured",
    "住房安全有保障": "Safe housing assured",
    "饮水安全有保障": "Safe drinking water assured",
    "纳入监测条件": "Monitoring criteria",
    "达标": "met",
    "未达标": "not met",
    "未填": "not entered",
    "全部达标": "All met",
    "未全部达标": "Not all met",
    "所用标准": "Standard used",
    "%(year)s 年度": "year %(year)s",
    "%(year)s 年度没有政策标准": "No policy standard for %(year)s",
    "贫困线 %(amount)s 元": "poverty line %(amount)s yuan",
    "监测线 %(amount)s 元": "monitoring line %(amount)s yuan",
    "%(year)s 年%(kind)s：%(lines)s": "%(year)s, %(kind)s: %(lines)s",
    "脱贫退出评估（两不愁三保障及收入）": "Exit evaluation (two assurances, three guarantees and income)",
    "风险消除评估（两不愁三保障及收入，按监测线）": "Risk elimination evaluation (against the monitoring line)",
    "识别收入核对": "Income check for identification",
    "返贫收入核对": "Income check for return",
    "纳入监测条件核对": "Monitoring inclusion check",
    "现在的评估（本步据此决定）": "Evaluation today (this step decides on it)",
    "记录在案的评估": "Evaluation on record",
    # Refusals: what to do
    "请先在“问题”页整改这些错误（修改户信息或办理相应程序），再办理本步骤。": (
        "Rectify these errors on the Findings page (edit the household or take the procedure named) before this step."
    ),
    "请在公示期结束后再办理下一步，日期不早于公示结束日。": (
        "Take the next step once the notice has ended, dated no earlier than its last day."
    ),
    "请先在公示下方处理每一条异议（成立或不成立），再办理下一步。": (
        "Resolve every objection below the notice (upheld or dismissed) before the next step."
    ),
    "异议已逾期未处理，本程序只能以“不通过”办结。": (
        "An objection was left past its deadline: this procedure can only end as not passed."
    ),
    "请补录或更正该户的年度信息，待各项达标后再提交；未达标的项目见下方清单。": (
        "Enter or correct the household's annual record and submit again once every check is met; the checks not met are listed below."
    ),
    "请由未参与提出或核实本程序的另一位人员审核或审定。": (
        "Another officer, who neither proposed nor verified this procedure, must review or approve it."
    ),
    "该年度报告已发布；状态有误的，请联系县扶贫办更正。": (
        "That year's report is published; ask the county office to correct a wrong status."
    ),
    "请先办理成员减少，户内无在册成员后再自然销户。": "Record the members leaving first; close the household once none is left.",
    "请选择适用于该户当前状态的监测对象类型。": "Choose a monitoring type that fits the household's status.",
    "这一步须由有相应职责的人员办理。": "This step is taken by someone holding the role for it.",
    "请先在户信息中填写贫困户属性和主要致贫原因。": "Enter the poverty attribute and the main cause in the household first.",
    "只有监测中的户可以办理风险消除": "Only a monitored household can have its risk eliminated",
    "该户已是监测对象": "The household is already monitored",
    "识别和返贫办理至 %(year)s 年：只能补录 %(year)s 年及以前日期的程序；此后请纳入防返贫监测": (
        "Identification and return ran until %(year)s: only procedures dated %(year)s or earlier can be recorded; "
        "since then, include the household in monitoring"
    ),
    # Start a procedure
    "发起程序": "Start a procedure",
    "发起“%(kind)s”程序": "Start “%(kind)s”",
    "可以发起的程序": "Procedures the household may enter",
    "该户已有办理中的程序：": "The household has a procedure under way:",
    "第一步：%(step)s": "First step: %(step)s",
    "发起%(kind)s": "Start %(kind)s",
    "“%(step)s”由村扶贫工作队或县扶贫办办理，您的角色不能发起。": (
        "“%(step)s” is taken by the village work team or the county office: your role cannot start it."
    ),
    "已发起“%(kind)s”程序": "“%(kind)s” started",
    "评估年度": "Year evaluated",
    "按该年度的年度信息核对收入和两不愁三保障": "Income and the two assurances and three guarantees are checked on this year's record",
    "清退原因": "Removal reason",
    "返贫原因": "Reason for the return",
    "收入高于贫困线，或清退户再次识别时须填写": "Required when the income is above the line, or a removed household is identified again",
    "预警来源": "Alert source",
    # A procedure and its steps
    "%(day)s发起": "started %(day)s",
    "%(day)s办结": "decided %(day)s",
    "计入 %(year)s 年度脱贫计划": "counts in the %(year)s exit plan",
    "办理步骤": "Steps",
    "待办理": "due",
    "未办理": "not yet",
    "%(step)s：%(start)s 至 %(end)s": "%(step)s: %(start)s to %(end)s",
    "公示中": "running",
    "公示已结束": "ended",
    "登记异议": "Record an objection",
    "异议登记": "Objection register",
    "待处理": "to resolve",
    "处理异议": "Resolve",
    "已登记异议": "Objection recorded",
    "已处理异议": "Objection resolved",
    "下一步：%(step)s": "Next step: %(step)s",
    "提交“%(step)s”": "Submit “%(step)s”",
    "等待“%(step)s”：由有相应职责的人员办理。": "Waiting for “%(step)s”: taken by someone holding the role for it.",
    "赞成票多于反对票且超过参加人数一半，评议方可通过。": (
        "The appraisal passes with more votes for than against, and more than half of those taking part."
    ),
    "已办理“%(step)s”": "“%(step)s” recorded",
    "办理日期": "Date",
    "赞成票": "Votes for",
    "反对票": "Votes against",
    "参加评议人数": "Took part",
    "不填则按投票人数计": "Blank: the votes cast",
    "农户已认可并签字": "The household agreed and signed",
    "计入脱贫计划年度": "Exit plan year",
    "审定日期所在年度或上一年度；不填则为审定日期所在年度": "The approval's year or the one before; blank: the approval's year",
    "公示期不少于 %(days)s 天（政策标准）；已按开始日期建议结束日期": (
        "A notice runs at least %(days)s days (policy standard); the end is suggested from the start"
    ),
    "核实情况": "Verification findings",
    "不通过时必须填写原因": "Required when not passed",
    "不通过须填写原因": "Give the reason for not passing",
    "民主评议须填写赞成票和反对票": "Enter the votes for and against",
    "农户认可签字后方可通过；农户不认可的，请选择“不通过”并说明": (
        "Passes only once the household has signed; if it does not agree, choose “not passed” and say why"
    ),
    "赞成 %(for)s 票，反对 %(against)s 票，参加 %(participants)s 人": "%(for)s for, %(against)s against, %(participants)s took part",
    "公示 %(start)s 至 %(end)s": "notice %(start)s to %(end)s",
    "预警来源：%(source)s": "alert source: %(source)s",
    "户编号 %(number)s · 户主 %(name)s": "Household %(number)s · head %(name)s",
    # Notice board
    "公示栏": "Notice board",
    "全部行政村": "All villages",
    "本村公示栏（按日期）": "This village's board (by day)",
    "正在公示": "Running notices",
    "目前没有公示": "No notice is running",
    "往期公示": "Past notices",
    "没有往期公示": "No past notices",
    "以上为本页所列公示的异议。": "These are the objections to the notices on this page.",
    "上一页": "Previous",
    "下一页": "Next",
    # Findings
    "待整改的问题": "Findings to rectify",
    "全部": "All",
    "筛选": "Filter",
    "没有待整改的问题": "No findings to rectify",
    "%(day)s发现": "found %(day)s",
    "未整改前，该户不能办理除整改程序以外的程序步骤。": (
        "Until it is rectified, the household can take no procedure step except the ones that put it right."
    ),
    "修改户和成员信息": "Edit the household and members",
    "修改 %(year)s 年度信息": "Edit the %(year)s annual record",
    "办理%(kind)s": "Take %(kind)s",
    "请为该户安排结对帮扶干部（户卡“帮扶责任人”）。": "Pair a cadre with the household (the card's “paired cadre”).",
    "请办理自然销户；登记状态有误的，由县扶贫办更正。": "Close the household; a wrong status is corrected by the county office.",
}

PAGING = {
    "问题分页": "Findings pages",
    "往期公示分页": "Past notices pages",
}
