"""English for the programs pages (issue 16 point 6): /programs/, /programs/<pk>/, /cooperatives/, /projects/."""

# Strings these pages share with other areas (帮扶项目, 合作社, 户编号, 上一页 …) keep those areas' English.
PROGRAMS_PAGES = {
    "项目相关页面": "Program pages",
    "区划帮扶概况": "Help in the region",
    "合作社（入社户）": "Cooperatives (member households)",
    "受益人数": "People reached",
    "没有适用于您所在区划的帮扶项目。": "No program applies in your regions.",
    "受益户、受益人数和金额只计所选区划内的户在本年1月1日至截至日期之间的帮扶记录。": (
        "Households, people and amounts count only the benefits to households of the chosen region dated from "
        "1 January of the year to the day."
    ),
    "%(region)s，%(since)s至%(as_of)s": "%(region)s, %(since)s to %(as_of)s",
    "%(y)s年": "%(y)s",
    "%(a)s–%(b)s年": "%(a)s–%(b)s",
    "%(h)s 户 · %(p)s 人 · %(a)s 元": "%(h)s households · %(p)s people · %(a)s yuan",
    "位置": "Breadcrumb",
    "您所在区划还没有帮扶单位项目。": "There are no pairing-unit projects in your regions yet.",
    "投入资金 %(i)s 元 · 协调引进资金 %(c)s 元 · 培训 %(t)s 人次": (
        "Invested %(i)s yuan · coordinated %(c)s yuan · trainings %(t)s person-times"
    ),
    "受益户 %(n)s 户": "%(n)s households benefited",
    "历年分红": "Dividends by year",
    "还没有分红记录。": "No dividends recorded yet.",
    "成员户": "Member households",
    "在社": "Member",
    "已退社": "Left",
    "在您负责的范围内没有成员户。": "No member households in your regions.",
    "%(d)s成立": "founded %(d)s",
    "现有入社户 %(n)s 户": "%(n)s member households today",
    "%(y)s年 %(a)s 元": "%(y)s: %(a)s yuan",
    "%(d)s入社": "joined %(d)s",
    "%(d)s退社": "left %(d)s",
    "%(s)s 股": "%(s)s shares",
    "资金": " funds",
    "已登记": "Recorded",
    "未登记": "Not recorded",
    "应覆盖未覆盖的户": "Households to reach, not yet reached",
    "对象规则所列的户都已登记本项目帮扶。": "Every household the targeting rule names has a benefit of this program.",
    "登记帮扶": "Record a benefit",
    "为勾选或填写的户登记": "Record for the ticked or typed households",
    "每户单独登记：某户不能登记时，其他户照常登记，该户不作任何改动，下方列出原因。": (
        "Each household is recorded on its own: when one cannot be, the others are still recorded, that one is "
        "left unchanged and the reason is listed."
    ),
    "导出 Excel": "Export to Excel",
    "帮扶次数": "Benefits",
    "最近帮扶日期": "Last benefit",
    "预算 %(b)s 元": "budget %(b)s yuan",
    "%(year)s年全项目的帮扶记录；受益人数%(basis)s。": (
        "All of the program's benefits in %(year)s; people counted %(basis)s."
    ),
    "已登记 %(recorded)s 户，未登记 %(refused)s 户": "%(recorded)s households recorded, %(refused)s not recorded",
    "%(year)s年按对象规则应享受、尚未登记本项目帮扶的户：%(n)s 户": (
        "Households the targeting rule names for %(year)s without a benefit of this program yet: %(n)s"
    ),
    "（先列出前 %(n)s 户，登记后其余的户会依次列出）": (
        "(the first %(n)s are listed; the rest follow as these are recorded)"
    ),
    "%(year)s年受益户": "Households reached in %(year)s",
    "%(n)s 次 · %(p)s 人 · %(a)s 元 · 最近 %(d)s": "%(n)s benefits · %(p)s people · %(a)s yuan · last %(d)s",
    "%(year)s年在您负责的范围内还没有本项目的帮扶记录。": (
        "No benefits of this program in %(year)s in your regions yet."
    ),
    "您所在区划还没有登记合作社。": "No cooperatives are registered in your regions yet.",
    "请选择项目覆盖区划内的户，或在适用于该户所在区划的项目下登记。": (
        "Choose a household inside the program's region, or record it under a program that applies where it lives."
    ),
    "请把帮扶日期改在项目年度之内。": "Change the date to one inside the program's years.",
    "请按“1200.50”的格式填写金额。": "Write the amount like “1200.50”.",
    "请由负责该村的驻村工作队或乡镇、县扶贫办人员登记。": (
        "Ask the village's work team, the township or the county office to record it."
    ),
    "在您负责的范围内没有这个户编号，请核对后再填。": "There is no household with this number in your regions; check it and try again.",
    "已登记。": "Recorded.",
    "乡镇": "Township",
    "截至日期": "As of",
    "勾选的户": "Ticked households",
    "一户或多户，用空格、逗号或换行分隔；也可以在上面的名单中勾选": (
        "One or more, separated by spaces, commas or new lines; or tick them in the list above"
    ),
    "如 1200 或 1200.50；实物帮扶填 0": "Such as 1200 or 1200.50; 0 for help in kind",
    "请勾选至少一户，或填写户编号": "Tick at least one household, or type its number",
    "一次最多登记 %(n)s 户，请分批登记": "At most %(n)s households at once; record them in batches",
    "登记合作社": "Register a cooperative",
    "登记": "Register",
    "已登记合作社“%(name)s”。": "Cooperative “%(name)s” registered.",
    "登记入社": "Record a member",
    "入社": "Join",
    "登记分红": "Record a dividend",
    "户 %(number)s 已入社。": "Household %(number)s joined.",
    "已登记户 %(number)s 的分红。": "Dividend of household %(number)s recorded.",
    "受益成员姓名": "Member's name",
    "只登记一户时可填；不填则记在户上。按受益成员计人数的项目须填写": (
        "Only when recording for one household; left empty, the benefit is the household's. Programs counting the "
        "members named need it"
    ),
    "只登记一户时才能指定受益成员；多户请不填": "A member can be named only for one household; leave it empty for several",
    "户 %(number)s 没有名为“%(name)s”的成员": "Household %(number)s has no member named “%(name)s”",
    "请核对受益成员姓名。": "Check the member's name.",
    "登记帮扶单位项目": "Record a pairing-unit project",
    "受益户编号": "Numbers of the households benefited",
    "项目村的户，用空格、逗号或换行分隔": "Households of the project's village, separated by spaces, commas or new lines",
    "在您负责的范围内没有这些户编号：%(numbers)s": "No households with these numbers in your regions: %(numbers)s",
    "已登记项目“%(name)s”。": "Project “%(name)s” recorded.",
    "筛选项目": "Filter the programs",
    "没有符合筛选条件的帮扶项目。": "No program matches the filters.",
    "实施年度": "Running in year",
    "新建帮扶项目": "New program",
    "新建": "Create",
    "已新建帮扶项目“%(name)s”。": "Program “%(name)s” created.",
    "按规则列出应享受而尚未登记帮扶的户": "Lists the households the rule says should benefit and have no benefit yet",
}
