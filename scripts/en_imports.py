"""English for the spreadsheet import (issue 17): the page, the form, the API's messages, the Import model.

The validation report's reasons are written in Chinese into the stored report (docs/api.md); they are not here.
Template variables are in the PO form (`%(name)s`) that blocktranslate gives.
"""

PAGES = {
    "导入": "Import",
    "导入户信息": "Import households",
    "上传后先整表校验，不写入任何内容；校验无误后再确认导入，全部写入或全部不写入。": (
        "The whole file is checked first and nothing is written; once it passes, confirm the import: everything is "
        "written, or nothing."
    ),
    "上传并校验": "Upload and check",
    "下载模板": "Download the template",
    "最近的导入": "Recent imports",
    "还没有导入记录。": "No imports yet.",
    "导入校验报告": "Import report",
    "户": "Households",
    "家庭成员": "Members",
    "新建 %(create)s · 修改 %(update)s · 不变 %(unchanged)s": "%(create)s new · %(update)s changed · %(unchanged)s unchanged",
    "新增 %(create)s · 修改 %(update)s · 不变 %(unchanged)s": "%(create)s new · %(update)s changed · %(unchanged)s unchanged",
    "校验通过。确认后按上面的数字写入登记，全部写入或全部不写入；之后对涉及的村运行核查规则。": (
        "The file passed. Confirm to write the figures above to the register, everything or nothing; the register "
        "rules then run for the villages concerned."
    ),
    "确认导入": "Confirm the import",
    "%(counter)s 处错误，未写入任何内容": "%(counter)s errors; nothing was written",
    "下载标注了错误的文件": "Download the file with its errors marked",
    "行": "Row",
    "列": "Column",
    "内容": "Value",
    "原因": "Reason",
    "另有 %(more)s 处错误，见标注了错误的文件。": "%(more)s more errors: see the file with its errors marked.",
    "将写入的户": "Households to be written",
    "新建": "New",
    "修改": "Changed",
    "（新户）": "(new household)",
    "第 %(row)s 行起": "from row %(row)s",
    "提示": "Notes",
    "第 %(row)s 行 %(column)s %(header)s": "Row %(row)s, %(column)s %(header)s",
    "%(when)s已导入": "imported on %(when)s",
    "已导入：新建 %(create)s 户，修改 %(update)s 户。": "Imported: %(create)s households created, %(update)s changed.",
    "登记信息在校验后已有变化，文件未通过再次校验，未导入任何内容；请查看下方错误。": (
        "The register changed since the check and the file no longer passes: nothing was imported. See the errors below."
    ),
    "导出格式（英文列名）": "Export layout (English column names)",
    "全国建档立卡格式（中文列名）": "National filing layout (Chinese column names)",
}

FORM = {
    "导入区划": "Region imported",
    "文件中的户都须在此区划内": "Every household in the file must lie in this region",
    "文件": "File",
    "XLSX 或 CSV，导出格式或全国建档立卡格式，不超过 %(limit)s MB": (
        "XLSX or CSV, in the export layout or the national filing layout, at most %(limit)s MB"
    ),
    "文件太大（%(size)s MB），上限 %(limit)s MB；请按乡镇或村分开导入": (
        "The file is too large (%(size)s MB); the limit is %(limit)s MB. Import township by township or village by village."
    ),
    "区划不存在或不在您的管辖范围内": "The region does not exist or is outside your regions",
}

MODEL = {
    "已校验，待确认": "Checked, awaiting confirmation",
    "有错误，未导入": "Has errors, not imported",
    "已导入": "Imported",
    "导入人": "Imported by",
    "文件名": "File name",
    "文件内容": "File content",
    "状态": "State",
    "校验报告": "Report",
    "导入时间": "Imported at",
}

IMPORTS_MORE = {
    "涉及的户": "households concerned",
    "%(village)s户编号已用尽（9999）": "%(village)s has used all household numbers (9999)",
}
