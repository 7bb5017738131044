"""English for the job queue, the jobs page and exports as jobs (issue 17, points 1 and 6)."""

JOBS = {
    # core.Job
    "后台任务": "Background jobs",
    "任务类型": "Kind of job",
    "发起人": "Started by",
    "参数": "Parameters",
    "排队中": "Queued",
    "进行中": "Running",
    "已完成": "Done",
    "失败": "Failed",
    "总数": "Total",
    "阶段": "Phase",
    "结果": "Result",
    "错误": "Error",
    "运行次数": "Attempts",
    "队列编号": "Queue id",
    "工作进程": "Worker",
    "开始时间": "Started at",
    "结束时间": "Finished at",
    "心跳时间": "Last heartbeat",
    # core.jobs
    "未知的任务类型：%(kind)s": "Unknown kind of job: %(kind)s",
    "只有发起人可以重试这个任务。": "Only the person who started this job can retry it.",
    "工作进程被停止，任务没有完成。可以重试。": "The worker was stopped before the job finished. You can retry it.",
    "任务运行出错：%(error)s": "The job failed: %(error)s",
    "工作进程已中断（超过 %(seconds)s 秒没有消息），任务没有完成。可以重试。": (
        "The worker stopped answering (no news for more than %(seconds)s seconds); the job did not finish. "
        "You can retry it."
    ),
    "工作进程在任务开始前中断，任务没有运行。可以重试。": "The worker stopped before the job started; it did not run. You can retry it.",
    # The page and the API
    "任务": "Jobs",
    "任务已重新排队。": "The job is queued again.",
    "这个任务没有可下载的文件": "This job has no file to download",
    "您发起的任务，以及本县范围内的全部任务。": "The jobs you started, and every job in your county.",
    "您发起的导入、导出等耗时工作，在后台运行，完成后可在此下载结果。": (
        "Long work you start, such as imports and exports, runs in the background; download the result here "
        "when it is done."
    ),
    "还没有后台任务。导出整个乡镇或全县的户信息（Excel）时，会在这里显示进度。": (
        "No background jobs yet. When you export the households of a whole township or county (Excel), its progress "
        "shows here."
    ),
    "%(time)s 发起": "Started %(time)s",
    "%(time)s 完成": "finished %(time)s",
    "%(done)s / %(total)s": "%(done)s / %(total)s",
    "进度": "Progress",
    "等待工作进程…": "Waiting for a worker…",
    "任务失败，原因不明。": "The job failed for an unknown reason.",
    "下载文件": "Download the file",
    "重试": "Retry",
    "只显示最近 %(shown)s 个任务。": "Only the latest %(shown)s jobs are shown.",
    # Exports as jobs (reports.jobs)
    "农户信息导出（Excel）": "Household export (Excel)",
    "正在写入 Excel": "Writing the Excel file",
    "共 %(rows)s 行，可以下载": "%(rows)s rows, ready to download",
    # The dashboard's button (reports.export_views)
    "导出户信息（Excel）": "Export households (Excel)",
    "导出已开始，完成后可在这里下载。": "The export has started; download it here when it is done.",
    "区划代码应为 12 位数字": "A region code has 12 digits",
}
