"""English for sign-in and API tokens (issue 12: lock-out per address, hashed expiring tokens)."""

AUTH = {
    "令牌无效。": "Invalid token.",
    "令牌已过期，请重新获取令牌（POST /api/v1/auth/token/）。": "The token has expired; get a new one (POST /api/v1/auth/token/).",
    "此用户名的登录尝试过多，请稍后再试。": "Too many sign-in attempts for this user name; try again shortly.",
    "客户端地址": "Client address",
    "接口令牌": "API token",
    "摘要": "Digest",
    "过期时间": "Expires at",
}
