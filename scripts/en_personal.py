"""English for the personal-data duties (issue 19.4) and the menu places of the county pages (issue 16)."""

PERSONAL = {
    "项目": "Programs",
    "帮扶": "Assistance",
    "年报": "Annual report",
    "导入": "Import",
    "任务": "Jobs",
    "查阅记录": "Access log",
    "记录数": "records",
    "单日查阅完整个人信息超过阈值": "Full personal data read above the daily threshold",
    "导出整个乡镇或更大范围的完整个人信息": "Full personal data exported for a whole township or more",
    "提醒时间": "raised at",
    "处理时间": "closed at",
    "个人信息查阅提醒": "personal-data alert",
    "只有县扶贫办可以处理此提醒。": "Only the county office can close this alert.",
    "请写明核实情况和处理结果。": "Write what was checked and what was found.",
    "此提醒已经处理过了。": "This alert is already closed.",
    "个人信息查阅提醒待处理": "Personal-data alerts to close",
    "个人信息保护": "Personal data",
    "个人信息最小化日期": "personal data minimised on",
    "家庭成员证件号码": "member ID numbers",
    "户银行账号": "household bank accounts",
    "干部证件号码": "cadre ID numbers",
    "导出整个区划的户和成员": "export of a region's households and members",
    "内容": "content",
    "起始日期": "from",
    "截止日期": "to",
    "截止日期不能早于起始日期。": "The end date cannot be before the start date.",
    "核实了什么，结果如何（例如：经核实为年度入户核查所需）": (
        "What was checked and what was found (for example: needed for the annual household visits)"
    ),
    "本人申请查询时核对其身份证件后输入": "Enter it after checking the person's identity document at their request",
    "证件号码只能包含数字和字母 X。": "An ID number holds only digits and the letter X.",
    "页面或接口": "page or endpoint",
    "提醒已处理。": "Alert closed.",
    "请写明核实情况和处理结果后再点“处理完毕”。": "Write what was checked and what was found, then press “Close”.",
    "个人信息查阅记录": "Personal-data access log",
    "谁在什么时候查看了完整的证件号码或银行账号。异常情况会列为提醒，请逐条核实并写明处理结果。": (
        "Who saw full ID numbers or bank accounts, and when. Unusual reading is raised as an alert: "
        "check each one and write down what you found."
    ),
    "查询某人的全部信息（本人申请）": "Everything held about one person (at their request)",
    "提醒": "Alerts",
    "已处理": "closed",
    "当天查看了 %(n)s 条完整个人信息，超过了每日提醒阈值。": (
        "Read %(n)s full personal records that day, above the daily alert threshold."
    ),
    "导出了%(region)s全部户和成员的完整个人信息。": (
        "Exported full personal data of every household and member of %(region)s."
    ),
    "%(who)s 于 %(day)s 处理：": "Closed by %(who)s on %(day)s:",
    "处理完毕": "Close",
    "没有提醒": "No alerts",
    "导出 XLSX": "Export XLSX",
    "导出 CSV": "Export CSV",
    "%(n)s 条": "%(n)s",
    "没有符合条件的查阅记录": "No access matches these filters",
    "查阅记录分页": "Access log pages",
    "个人信息查询": "Personal-data report",
    "本人申请查询其个人信息时使用：列出本县登记的此人全部信息，以及谁查看过。每次查询都会记入查阅记录。": (
        "For a person who asks what is held about them: everything the county registers about them, and who "
        "has seen it. Every report is written to the access log."
    ),
    "查询": "Look up",
    "返回查阅记录": "Back to the access log",
    "在您管理的区划内没有登记此证件号码的人员。请核对号码；如此人登记在其他县，请告知其向所在县申请。": (
        "No one with this ID number is registered in the regions you administer. Check the number; if the "
        "person is registered in another county, ask them to apply there."
    ),
    "%(village)s · 户编号 %(number)s": "%(village)s · household %(number)s",
    "登记状态变化": "Status changes",
    "核查发现的问题": "Cross-check findings",
    "谁查看过此人的完整信息": "Who has seen this person's full data",
    "没有记录": "None",
}
