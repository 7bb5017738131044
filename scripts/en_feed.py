"""English for the REST-client strings (issue 20: series, change feed, rate limits)."""

FEED = {
    "须给出起始日期，如 ?from=2014-12-31": "Give the first day, e.g. ?from=2014-12-31",
    "须给出截止日期，如 ?to=2020-12-31": "Give the last day, e.g. ?to=2020-12-31",
    "截止日期不能早于起始日期": "The last day cannot be before the first day",
    "一次最多 %(count)d 个时点：请缩短区间或加大步长": "At most %(count)d days at once: shorten the period or take a longer step",
    "游标无效：请使用上一页给出的 cursor": "Invalid cursor: use the cursor the previous page gave",
}

FEED_MODELS = {
    "状态变更": "Status change",
    "成员增加": "Members joined",
    "成员减少": "Members left",
    "贫困村出列": "Village exit",
    "帮扶": "Benefit",
    "变动事件": "Change event",
    "类型": "Kind",
    "村": "Village",
    "户编号": "Household number",
    "内容": "Content",
    "记录时间": "Recorded at",
    "事务号": "Transaction id",
    "访问频率上限": "Rate limit",
    "访问计数": "Request count",
    "窗口起点": "Window start",
    "请求数": "Requests",
}
