"""English for the issue-14 changes to campaigns and register rules (HH-3 both ways, HH-9's exit year)."""

CAMPAIGNS = {
    "已脱贫户按退出当年（%(year)s 年）的年度信息不符合退出标准（疑似错退）：%(failing_label)s": (
        "By the record of its exit year (%(year)s) the exited household does not meet the exit standard "
        "(possible wrong exit): %(failing_label)s"
    ),
    "有享受低保的在册成员：%(names)s": "active members receive 低保 (minimum living allowance): %(names)s",
    "%(year)s 年度有低保金 %(dibao)s 元，却没有享受低保的在册成员": (
        "%(year)s records 低保 payments of %(dibao)s yuan, yet no active member receives 低保"
    ),
}
