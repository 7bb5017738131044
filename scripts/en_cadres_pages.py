"""English for the help side's pages: cadres, units, work teams, a portfolio and the handover (issue 16 point 7)."""

CADRES_PAGES = {
    "请从搜索结果中选择接手的干部。": "Choose the cadre who takes over from the search results.",
    "已交接：户编号 %(number)s 自 %(day)s 起由 %(name)s 包保。": (
        "Handed over: household %(number)s is in the care of %(name)s from %(day)s."
    ),
    "全部单位": "All units",
    "接手干部": "Cadre taking over",
    "交接日期": "Handover date",
    "请先搜索并选中接手的干部。": "Search for and choose the cadre who takes over first.",
    "分页": "Pages",
    "驻村工作": "Village work teams",
    "未定": "open",
    "超过 %(days)s 天没有走访的户标为“该走访了”。": "Households not visited for more than %(days)s days are marked “visit due”.",
    "%(day)s起包保": "paired since %(day)s",
    "该走访了": "visit due",
    "交接给其他干部": "Hand over to another cadre",
    "目前没有包保户": "No paired households now",
    "帮扶干部": "Cadres",
    "没有符合条件的干部": "No cadre matches these filters",
    "包保交接": "Handover",
    "户编号 %(number)s（%(village)s）现由 <strong>%(name)s</strong> 包保。交接当天起由接手干部包保，原干部的包保同日结束，不留空档。": (
        "Household %(number)s (%(village)s) is in the care of <strong>%(name)s</strong>. From the handover date the "
        "new cadre takes over and the old pairing ends the same day, with no gap."
    ),
    "接手干部姓名": "Name of the cadre taking over",
    "搜索": "Search",
    "只列出前 %(limit)s 位；没有要找的人时，请输入姓名搜索。": (
        "Only the first %(limit)s are listed; if the person is not here, search by name."
    ),
    "没有找到可以接手的干部。请换个姓名搜索；干部须在该户所在的帮扶区划内，还没有登记的干部请先在管理后台添加。": (
        "No cadre found who could take over. Try another name; the cadre must work in the region of the household. "
        "Add a cadre not registered yet in the admin first."
    ),
    "确认交接": "Hand over",
    "%(village)s驻村工作队": "Work team of %(village)s",
    "派驻期": "Term",
    "不在岗": "not serving",
    "还没有成员": "No members yet",
    "全部驻村工作队": "All village work teams",
    "在岗驻村工作队": "Village work teams serving today",
    "只看今天在岗的工作队": "Only the teams serving today",
    "也看已期满的工作队": "Also the teams whose term has ended",
    "没有驻村工作队": "No village work teams",
    "干部 %(cadres)s 人 · 在岗工作队 %(teams)s 个": "%(cadres)s cadres · %(teams)s teams serving",
    "没有帮扶单位": "No units",
}

CADRES_PAGES_COUNTS = {
    "包保 %(n)s 户": "%(n)s households paired",
    "%(n)s 名成员": "%(n)s members",
    "包保户（%(n)s 户）": "Paired households (%(n)s)",
}
