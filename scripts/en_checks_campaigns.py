"""English for the cross-check campaigns' strings (services, API, admin, VER-* messages); used by fill_en.py."""

CHECKS_CAMPAIGNS = {
    # VER-* findings: the label of the discrepancy is put in at render time.
    "%(campaign)s：核查发现“%(label)s”（%(note)s），请整改": (
        "%(campaign)s: the verification found “%(label)s” (%(note)s); please rectify"
    ),
    # Campaigns
    "只有该区划的县扶贫办可以管理核查活动": "Only the county office of this region may manage campaigns",
    "核查活动的区划须为乡镇或以上（村与村之间交叉核查）": (
        "A campaign covers a township or more (villages check one another)"
    ),
    "结束日期不能早于开始日期": "The end date cannot be before the start date",
    "该字段创建后不能修改": "This field cannot be changed after the campaign is created",
    "核查活动已分组抽样，名称和时间不能再修改（当前：%(state)s）": (
        "The campaign is already assigned; its name and period can no longer change (now: %(state)s)"
    ),
    "核查活动已分组抽样，不能重新分组（当前：%(state)s）": (
        "The campaign is already assigned and sampled; it cannot be assigned again (now: %(state)s)"
    ),
    "无法交叉分组：%(region)s 在 %(day)s 有工作队的村不足两个（%(villages)s 个村，%(teams)s 支工作队），每个村都须由其他村的工作队核查": (
        "Cannot rotate: fewer than two villages of %(region)s have a work team on %(day)s (%(villages)s villages, "
        "%(teams)s teams), and every village must be checked by a team from another village"
    ),
    "只有已分组抽样的核查活动可以结束（当前：%(state)s）": "Only an assigned campaign can be closed (now: %(state)s)",
    "还有 %(count)s 个核查问题未整改，不能结束核查活动": (
        "%(count)s findings are still open for rectification; the campaign cannot be closed"
    ),
    "未整改问题 %(count)s 个": "%(count)s open findings",
    # Verifications
    "只有已分组抽样、未结束的核查活动可以登记核查结果（当前：%(state)s）": (
        "Verifications are recorded only in an assigned campaign that is not closed (now: %(state)s)"
    ),
    "只有分配到 %(village)s 的核查工作队成员可以登记该户的核查结果": (
        "Only members of the work team assigned to %(village)s may record this household's verification"
    ),
    "户 %(number)s 已登记核查结果": "Household %(number)s already has a verification",
    "须填写核查日期": "Give the date of the verification",
    "核查日期须在活动期间（%(start)s 至 %(end)s）": "The verification date must fall in the campaign (%(start)s to %(end)s)",
    "核查日期不能晚于今天": "The verification date cannot be later than today",
    "须说明信息是否准确": "Say whether the information is accurate",
    "须填写群众是否认可": "Say whether the household approves",
    "未知的问题类型：%(codes)s": "Unknown discrepancies: %(codes)s",
    "问题类型不能重复": "A discrepancy cannot be given twice",
    "信息准确时不填问题": "An accurate verification has no discrepancies",
    "信息不准确时须选择至少一项问题": "An inaccurate verification names at least one discrepancy",
    "发现问题时须填写说明": "A discrepancy needs a note",
    "%(codes)s 不适用于%(group)s": "%(codes)s does not apply to the sample group “%(group)s”",
    "该户不在本次核查的抽样中": "This household is not in the campaign's sample",
    # Admin
    "核查工作队驻村": "Checking team's village",
}
