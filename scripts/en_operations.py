"""English for operations: session limits (issue 19)."""

OPERATIONS = {
    "长时间未操作，已自动退出。请重新登录。": "You were signed out after a period without activity. Please sign in again.",
    "登录已超过时限，已自动退出。请重新登录。": "Your sign-in reached its time limit and ended. Please sign in again.",
}

SECOND_FACTOR = {
    "此账号需要第二重验证：请在 otp 中填写验证器应用显示的 6 位验证码。": "This account needs a second factor: give the 6-digit code of your authenticator app as otp.",
    "此账号必须启用第二重验证：请先在网页上登录并绑定验证器应用，然后再申请令牌。": "This account must use a second factor: sign in on the web and enrol an authenticator app first, then ask for a token.",
    "验证码不正确或已过期：请输入验证器应用当前显示的 6 位验证码。": "The code is wrong or has expired: enter the 6-digit code your authenticator app shows now.",
    "验证码": "Code",
    "验证器应用（如腾讯身份验证器、Google Authenticator）显示的 6 位数字": "The 6 digits your authenticator app (e.g. Tencent Authenticator, Google Authenticator) shows",
    "错误次数过多：请等候几秒后再输入新的验证码。": "Too many wrong codes: wait a few seconds, then enter a new code.",
    "验证码不正确或已过期：请输入应用当前显示的 6 位验证码。": "The code is wrong or has expired: enter the 6-digit code the app shows now.",
    "请先在网页上完成第二重验证。": "Complete the second factor on the web first.",
    "第二重验证": "Second factor",
    "您的角色需要在密码之外再用手机验证。请用验证器应用扫描下面的二维码（或手动输入密钥），然后输入应用显示的 6 位验证码。": "Your role needs a check by phone besides the password. Scan the QR code below with an authenticator app (or type the key), then enter the 6-digit code it shows.",
    "绑定验证器应用后，每次登录都需要输入它显示的验证码。": "Once an authenticator app is enrolled, every sign-in asks for the code it shows.",
    "无法扫描时手动输入密钥：": "If you cannot scan, type this key:",
    "请输入验证器应用当前显示的 6 位验证码。": "Enter the 6-digit code your authenticator app shows now.",
    "绑定并继续": "Enrol and continue",
    "验证并继续": "Verify and continue",
    "退出登录": "Sign out",
}

PASSWORD_CHANGE = {
    "请先在网页上修改密码。": "Change your password on the web first.",
    "县扶贫办为您设置了临时密码：请先修改密码。": "The county office set a temporary password for you: change it first.",
}

USERS_SECOND_FACTOR = {
    "已启用第二重验证": "Second factor on",
    "未启用第二重验证": "No second factor",
}
