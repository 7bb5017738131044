"""English for the strings with a plural form ({% blocktranslate count %}, ngettext): (one, many)."""

PLURALS = {
    "保存后发现 %(count)s 个问题，请在户卡的“核查问题”中查看并整改。": (
        "Saving found %(count)s problem: see it under “Cross-check findings” on the household card and fix it.",
        "Saving found %(count)s problems: see them under “Cross-check findings” on the household card and fix them.",
    ),
    "本县 %(counter)s 个账号": ("%(counter)s account in the county", "%(counter)s accounts in the county"),
    "%(counter)s 条异议": ("%(counter)s objection", "%(counter)s objections"),
    "%(counter)s 户等待审核": ("%(counter)s household awaiting review", "%(counter)s households awaiting review"),
}
