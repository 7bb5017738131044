"""English for the import on the job queue (issue 17 points 1 and 5): job kinds, phases, states, page texts."""

WIRE = {
    "校验中": "Validating",
    "查看": "View",
    "导入：校验文件": "Import: validate the file",
    "导入：写入登记": "Import: write to the register",
    "正在读取文件": "Reading the file",
    "正在校验": "Validating",
    "正在写入登记": "Writing to the register",
    "正在运行核查规则": "Running the register rules",
    "导入不存在或不在您的管辖范围内": "The import does not exist or is outside your jurisdiction",
    "%(count)s 处错误，未导入": "%(count)s errors, nothing imported",
    "新建 %(create)s 户，修改 %(update)s 户": "%(create)s households created, %(update)s changed",
    "该导入已确认过，不能重复导入": "This import has already been confirmed and cannot be imported again",
    "该文件还在校验中，请等校验完成后再确认": "The file is still being validated; confirm once validation is done",
    "该文件校验有错误，不能导入；请改正后重新上传": "The file failed validation and cannot be imported; correct it and upload it again",
    "正在后台校验整个文件，不写入任何内容；完成后这里显示校验报告。可以离开此页，稍后在“导入”或“后台任务”中查看。": (
        "The whole file is being validated in the background; nothing is written. The validation report appears "
        "here when it is done. You may leave this page and look later under “Import” or “Jobs”."
    ),
}
