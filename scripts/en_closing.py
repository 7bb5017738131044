"""English for issue 14 points 8, 10, 11: closing 自然销户, status corrections, published years, plan years."""

CLOSING = {
    "%(year)s 年度尚未结束，不能发布": "The year %(year)s has not ended: it cannot be published",
    "%(year)s 年度报告已发布": "The report of %(year)s is already published",
    "%(year)s 年度报告已发布，不能再办理该年度的程序步骤；状态有误须由县级更正": (
        "The report of %(year)s is published: no procedure step can be dated in that year any more; "
        "a wrong status is corrected by the county"
    ),
    "不是该户的状态变更": "Not a status change of this household",
    "县": "County",
    "发布人": "Published by",
    "发布日期": "Published on",
    "只有县扶贫办可以发布年度报告": "Only the county poverty alleviation office can publish a year's report",
    "只有县扶贫办可以更正状态": "Only the county poverty alleviation office can correct a status",
    "只有未脱贫户可以标记返贫": "Only a poor household can be marked returned to poverty",
    "只有脱贫退出的县级审定可以指定计划年度": "Only the county approval of an exit names a plan year",
    "已发布年度": "Published years",
    "年度": "Year",
    "年度报告由县发布": "A year's report is published by a county",
    "更正原因": "Reason for the correction",
    "更正后的状态与原记录相同": "The corrected status is the same as the recorded one",
    "状态无效：%(choices)s": "Invalid status: %(choices)s",
    "自然销户": "Closed (no members left)",
    "计划年度": "Plan year",
    "计划年度须为审定日期所在年度或上一年度（%(years)s）": (
        "The plan year is the year of the approval or the year before (%(years)s)"
    ),
    "记录时间": "Recorded at",
    "该户在 %(date)s 仍有 %(count)s 名在册成员，不能自然销户": (
        "On %(date)s the household still has %(count)s registered members: it cannot be closed"
    ),
    "该户已无在册成员，尚未自然销户：请办理自然销户程序；登记状态有误的，由县扶贫办更正": (
        "No registered member is left, but the household is not closed: run a closing procedure; "
        "if its registry status is wrong, the county office corrects it"
    ),
    "该户已有办理中的程序，须先办结": "The household has an open procedure: finish it first",
    "该状态变更已更正过，请更正最新的更正记录": (
        "This status change has already been corrected: correct the latest correction instead"
    ),
    "须填写更正原因": "Give the reason for the correction",
}
