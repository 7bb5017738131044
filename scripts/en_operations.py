"""English for operations: session limits (issue 19)."""

OPERATIONS = {
    "长时间未操作，已自动退出。请重新登录。": "You were signed out after a period without activity. Please sign in again.",
    "登录已超过时限，已自动退出。请重新登录。": "Your sign-in reached its time limit and ended. Please sign in again.",
}
