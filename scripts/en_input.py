"""English for input validation: query parameters, JSON bodies, free text, bank accounts, dates (issue 12)."""

INPUT = {
    "公示开始不能晚于本步日期后一年（%(date)s）": "A notice cannot start more than a year after the step's date (%(date)s)",
    "日期格式应为 YYYY-MM-DD，在 %(min)s 至 %(max)s 之间": "Dates are YYYY-MM-DD, between %(min)s and %(max)s",
    "查询参数含有控制字符：%(names)s": "Query parameters contain control characters: %(names)s",
    "输入不能含有 NUL 字符。": "Input cannot contain a NUL character.",
    "须为 %(low)s 至 %(high)s 之间的整数": "Must be a whole number between %(low)s and %(high)s",
    "须为12位区划代码，如 ?%(name)s=220821000000": "Must be a 12-digit region code, e.g. ?%(name)s=220821000000",
    "须为以下之一：%(choices)s": "Must be one of: %(choices)s",
    "须给出 %(low)s 至 %(high)s 之间的年度，如 ?%(name)s=2017": "Give a year between %(low)s and %(high)s, e.g. ?%(name)s=2017",
    "JSON 嵌套层数过多。": "The JSON is nested too deeply.",
    "不能含有控制字符或文字方向控制字符（U+%(code)04X）": "Cannot contain control or text-direction characters (U+%(code)04X)",
    "日期须在 %(min)s 至 %(max)s 之间": "The date must be between %(min)s and %(max)s",
    "银行账号须为8至30位数字（可用空格分组）": "A bank account is 8 to 30 digits (spaces between groups allowed)",
}
