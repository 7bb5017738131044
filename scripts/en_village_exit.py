"""English for the village exit procedure (贫困村出列程序) and the collective income minimum; used by fill_en.py."""

VILLAGE_EXIT = {
    "贫困村出列程序": "village exit procedure",
    "出列程序": "village exit",
    "出列程序步骤": "village exit step",
    "出列异议": "village exit objection",
    "出列评估": "village exit evaluation",
    "决定日期": "decision date",
    "乡镇提出": "township proposal",
    "县级审核": "county review",
    "村内公示": "village notice",
    "县级公告": "county announcement",
    "贫困村出列村集体经济收入下限（元）": "village exit: collective income minimum (yuan)",
    "您的角色不能办理贫困村出列的“%(step)s”这一步": "Your role cannot take the village exit step “%(step)s”",
    "该村已有办理中的出列程序，须先办结": "The village already has an open exit procedure; finish it first",
    "该村没有办理中的出列程序": "The village has no open exit procedure",
    "出列年度不能晚于提出日期所在年度（%(year)s）": "The exit year cannot be later than the proposal's year (%(year)s)",
    "出列程序已办结（%(state)s）": "The village exit procedure is closed (%(state)s)",
    "公示只能以通过（发布）记录；不同意出列由县级审核或公告决定": (
        "A notice is recorded as approved (posted) only; the county review or announcement refuses an exit"
    ),
    "提出或审核本出列程序的人员不能再审核或公告本程序": (
        "Whoever proposed or reviewed this village exit cannot review or announce it"
    ),
    "村内公示尚未发布，不能提出异议": "The village notice has not been posted: no objection can be lodged yet",
    "不是该村出列程序的异议": "Not an objection to this village's exit",
}
