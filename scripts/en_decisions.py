"""English for issue 14's decisions part: eligibility at every decision, standards by kind, appraisal majorities,
objection deadlines, entry closed after 2020."""

DECISIONS = {
    "标准类别": "Standard kind",
    "参加评议人数须为非负整数": "The number taking part must be a non-negative integer",
    "赞成票与反对票之和不能多于参加评议人数": "Votes for and against cannot exceed the number taking part",
    "赞成票未过半数，民主评议不能通过（应以不通过记录）": (
        "No majority of the votes: the appraisal cannot approve (record it as rejected)"
    ),
    "退出评估未通过：%(checks)s": "The exit evaluation fails: %(checks)s",
    "收入高于贫困线，须说明原因（reason）：%(checks)s": "Income above the poverty line: give a reason (reason): %(checks)s",
    "%(year)s 年以后不再办理识别和返贫，请纳入防返贫监测": (
        "No identification or return after %(year)s: include the household in monitoring instead"
    ),
    "清退户再次识别须说明情况变化的原因": "Identifying a removed household again needs the reason its circumstances changed",
    "异议须在 %(date)s 前处理完毕；逾期的程序只能不通过": (
        "The objection had to be resolved by %(date)s; an overdue procedure can only be rejected"
    ),
    "人均纯收入 %(income)s 元，高于%(line_name)s %(line)s 元": "Per-capita net income %(income)s yuan, above the %(line_name)s of %(line)s yuan",
    "人均纯收入 %(income)s 元，未高于%(line_name)s %(line)s 元": (
        "Per-capita net income %(income)s yuan, not above the %(line_name)s of %(line)s yuan"
    ),
}
