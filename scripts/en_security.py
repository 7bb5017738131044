"""English for the security and hardening strings (issue 12)."""

SECURITY = {
    "请求地址过长。请缩短查询条件后重试。": "The request URL is too long. Shorten the query and try again.",
    "请求头过大。请清除本站的 Cookie 后重试。": "The request headers are too large. Clear this site's cookies and try again.",
    "该户已有%(kinds)s记录，不能删除；请走清退或销户程序": "This household already has %(kinds)s records and cannot be deleted; use a removal or closing procedure instead",
}
