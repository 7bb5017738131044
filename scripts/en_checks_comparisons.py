"""English for department comparisons (数据比对): upload errors, services, admin, finding messages; used by fill_en.py."""

CHECKS_COMPARISONS = {
    # Reading the file (checks.uploads)
    "CSV 文件须为 UTF-8 编码：在 Excel 中请另存为“CSV UTF-8（逗号分隔）”": (
        "A CSV file must be UTF-8 encoded: in Excel, save it as \"CSV UTF-8 (comma delimited)\""
    ),
    "XLSX 文件解压后过大，请改用 CSV 上传": "The XLSX file unpacks too large; upload it as CSV instead",
    "其中的出生日期不存在": "its birth date does not exist",
    "其中的出生日期晚于今天": "its birth date is after today",
    "含有不允许的字符：前17位只能是半角数字，最后一位可以是数字或 X": (
        "it contains characters that are not allowed: the first 17 must be ASCII digits, the last a digit or X"
    ),
    "应为18位（或15位旧号码），实为 %(length)s 位": "it should have 18 digits (or 15 for a legacy number), not %(length)s",
    "校验位不符": "its check digit is wrong",
    "数据行过多：上限为 %(max)s 行，请分成几个文件上传": "Too many rows: at most %(max)s; split the list into several files",
    "文件不是文本格式的 CSV": "The file is not a text CSV",
    "文件为空": "The file is empty",
    "文件有 %(count)s 行错误（列出前 %(shown)s 行），未写入任何数据": (
        "The file has %(count)s bad rows (the first %(shown)s are listed); nothing was written"
    ),
    "文件有 %(count)s 行错误，未写入任何数据": "The file has %(count)s bad rows; nothing was written",
    "文件没有数据行": "The file has no data rows",
    "文件没有表头和数据行": "The file has neither a header nor data rows",
    "文件类型不支持：只接受 CSV（UTF-8）或 XLSX 文件": "File type not supported: only CSV (UTF-8) or XLSX files are accepted",
    "（.xls 请另存为 .xlsx）": " (save an .xls file as .xlsx)",
    "文件过大（%(size).1f MB），上限为 %(max)s MB": "The file is too large (%(size).1f MB); the limit is %(max)s MB",
    "无法读取 XLSX 文件：文件已损坏或不是 Excel 工作簿": "Cannot read the XLSX file: it is damaged or not an Excel workbook",
    "类别“%(value)s”无效，应为：%(choices)s": "Category \"%(value)s\" is not valid; use one of: %(choices)s",
    "类别为空，应为：%(choices)s": "The category is empty; use one of: %(choices)s",
    "缺少列：%(missing)s。表头应为 证件号码、类别、说明（或 id_number、category、detail）": (
        "Missing columns: %(missing)s. The header should be 证件号码, 类别, 说明 (or id_number, category, detail)"
    ),
    "表头中“%(column)s”出现了两次": "The header has \"%(column)s\" twice",
    "证件号码 %(number)s 有误：%(problem)s": "ID number %(number)s is wrong: %(problem)s",
    "证件号码为空": "The ID number is empty",
    "证件号码以数字格式保存，末几位可能已丢失：请把该列设为文本后重新导出": (
        "The ID number was saved as a number and may have lost its last digits: format the column as text and export again"
    ),
    "该行无法按 CSV 解析：%(error)s": "This line cannot be read as CSV: %(error)s",
    "说明不能超过 %(max)s 个字符（实为 %(length)s 个）": "The detail may have at most %(max)s characters (it has %(length)s)",
    # Services (checks.comparisons) and the API
    "只有县扶贫办可以上传比对数据和设置一票否决": "Only the county office may upload department lists and set veto categories",
    "数据来源部门不能超过100个字符": "The department may have at most 100 characters",
    "须填写数据来源部门": "Name the department the list comes from",
    "数据比对一票否决：%(department)s数据（%(file)s，%(date)s）显示%(categories)s": (
        "Department comparison veto: %(department)s data (%(file)s, %(date)s) shows %(categories)s"
    ),
    "该文件已于 %(date)s 上传到本区划（数据比对 %(id)s），不再重复比对": (
        "This file was already uploaded for this region on %(date)s (comparison %(id)s); it is not matched again"
    ),
    "死亡数据总是错误级别，且不作清退，不能设为一票否决": (
        "A death is always an error and never a removal; it cannot be marked veto"
    ),
    "类别无效：%(value)s": "Unknown category: %(value)s",
    "区划代码须为12位数字": "A region code has 12 digits",
    # Admin
    "文件": "file",
    "CSV（UTF-8）或 XLSX，列为 证件号码、类别、说明；类别可填英文代码或中文名称。": (
        "CSV (UTF-8) or XLSX with the columns 证件号码 (id_number), 类别 (category), 说明 (detail); "
        "the category as its code or its Chinese name."
    ),
    "第 %(line)s 行": "Line %(line)s",
    "比中 %(matched)s 人，新开核查问题 %(opened)s 个，发起清退 %(removals)s 户": (
        "%(matched)s people matched, %(opened)s findings opened, %(removals)s removals proposed"
    ),
    "核查问题": "findings",
    "%(total)s 个（错误 %(errors)s 个，待整改 %(open)s 个）": "%(total)s (%(errors)s errors, %(open)s open)",
    # Finding codes EXT-* (checks.catalog)
    "已死亡仍在册": "Deceased but still registered",
    "拥有车辆": "owns a vehicle",
    "拥有商品房或门市": "owns commercial housing or a shop",
    "经营工商企业": "runs a business",
    "财政供养人员": "on public payroll",
    "其他部门数据": "Other department data",
    "%(name)s：%(department)s数据显示已死亡（%(detail)s），请核实并办理成员减少": (
        "%(name)s: %(department)s data records this person as deceased (%(detail)s); check and record the member's leaving"
    ),
    "%(name)s：%(department)s数据显示拥有车辆（%(detail)s）": "%(name)s: %(department)s data shows a vehicle (%(detail)s)",
    "%(name)s：%(department)s数据显示拥有商品房或门市（%(detail)s）": (
        "%(name)s: %(department)s data shows commercial housing or a shop (%(detail)s)"
    ),
    "%(name)s：%(department)s数据显示有工商注册登记（%(detail)s）": (
        "%(name)s: %(department)s data shows a registered business (%(detail)s)"
    ),
    "%(name)s：%(department)s数据显示为财政供养人员（%(detail)s）": (
        "%(name)s: %(department)s data shows this person on public payroll (%(detail)s)"
    ),
    "%(name)s：%(department)s数据比中（%(detail)s）": "%(name)s: listed in %(department)s data (%(detail)s)",
}
