"""Fill English translations into locale/en/LC_MESSAGES/django.po from the tables of scripts/en_*.py and below.

Run after `make messages` finds new strings: add them to the en_<area>.py of their area, run this, then compilemessages.
Strings missing from the table are listed and left untranslated (shown in Chinese).
"""

import importlib.util
import re
import sys
from pathlib import Path

EN = {
    "干部与帮扶": "Cadres and assistance",
    "核查": "Cross-checks",
    "简体中文": "Simplified Chinese",
    "English": "English",
    "精准扶贫管理系统": "Targeted Poverty Alleviation Register",
    "精准": "Jingzhun",
    "数据管理": "Data management",
    "请求有 %(count)d 处错误：%(fields)s。": "The request has %(count)d errors: %(fields)s.",
    "请求无法处理。": "The request cannot be processed.",
    "用户与权限": "Users and permissions",
    "登录失败次数过多，账号已锁定至 %(time)s，请稍后再试。": (
        "Too many failed sign-ins: the account is locked until %(time)s. Try again later."
    ),
    "用户名或密码不正确。": "Wrong user name or password.",
    "此账号没有可使用管理后台的角色。": "This account holds no role that works in the admin.",
    "创建时间": "created at",
    "更新时间": "updated at",
    "版本": "version",
    "用户": "user",
    "角色": "role",
    "区划": "region",
    "角色授权": "role grant",
    "用户名": "User name",
    "失败次数": "failures",
    "计数开始": "counting since",
    "锁定至": "locked until",
    "登录锁定": "sign-in lock",
    "驻村工作队": "Village work team",
    "乡镇审核员": "Township reviewer",
    "县扶贫办": "County office",
    "督查评估": "Inspector",
    "接口客户端": "API client",
    "查看户、成员与程序": "read households, members and procedures",
    "查看区划、汇总、报表与项目数据": "read regions, summaries, reports and program figures",
    "录入与修改户、成员、年度信息": "enter and edit households, members and annual records",
    "村级程序步骤": "village procedure steps",
    "乡镇审核": "township review",
    "县级审定、标准、核查、项目与干部管理": "county approval, standards, campaigns, programs and cadres",
    "登记帮扶、走访与核查": "record benefits, visits and verifications",
    "查看完整证件号与银行账号": "see full ID numbers and bank accounts",
    "请求无法解析。": "The request cannot be parsed.",
    "没有执行此操作的权限。": "You do not have permission to do this.",
    "未找到。": "Not found.",
    "服务器内部错误，已记录。": "Internal server error; it has been logged.",
    "CSRF 校验失败：请重新加载页面，或使用令牌认证。": "CSRF check failed: reload the page, or use token authentication.",
    "贫困户": "Households",
    "帮扶项目": "Programs",
    "统计报表": "Reports",
    "请求无法解析": "The request cannot be parsed",
    "返回首页": "Back to the home page",
    "没有权限访问此页面": "You may not open this page",
    "页面不存在": "Page not found",
    "服务器内部错误": "Internal server error",
    "管理后台": "Admin",
    "接口文档": "API documentation",
    "语言": "Language",
    "切换": "Switch",
    "退出": "Sign out",
    "首页": "Home",
    "您好，%(name)s": "Hello, %(name)s",
    "系统管理员：可查看和管理全部区划": "Administrator: sees and manages every region",
    "我的角色与区划": "My roles and regions",
    "可以": "May",
    "您还没有任何角色授权，请联系县扶贫办。": "You hold no role yet; ask the county office.",
    "进入管理后台": "Open the admin",
    "登录": "Sign in",
    "密码": "Password",
    "区划与村": "Regions and villages",
    "省": "province",
    "市": "city",
    "县": "county",
    "乡镇": "township",
    "行政村": "village",
    "区划代码": "region code",
    "区划代码必须是12位数字": "A region code has exactly 12 digits",
    "名称": "name",
    "级别": "level",
    "上级区划": "parent region",
}




def _tables() -> None:
    """Every scripts/en_<area>.py adds its upper-case dicts of strings (a table per area keeps parallel work apart)."""
    for path in sorted(Path(__file__).resolve().parent.glob("en_*.py")):
        spec = importlib.util.spec_from_file_location(path.stem, path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        for name, value in vars(module).items():
            if name.isupper() and isinstance(value, dict):
                EN.update(value)


_tables()


def main() -> int:
    path = Path(__file__).resolve().parent.parent / "locale" / "en" / "LC_MESSAGES" / "django.po"
    text = path.read_text(encoding="utf-8")
    missing = []

    def fill(match):
        msgid = match.group(1)
        if msgid == "":
            return match.group(0)
        if msgid in EN:
            value = EN[msgid]
        elif "%%" in msgid and msgid.replace("%%", "%") in EN:
            # A template's {% translate %} escapes a literal % as %%: the same sentence, escaped alike.
            value = EN[msgid.replace("%%", "%")].replace("%", "%%")
        else:
            missing.append(msgid)
            return match.group(0)
        value = value.replace('"', '\\"')
        return f'msgid "{msgid}"\nmsgstr "{value}"'

    text = re.sub(r'msgid "((?:[^"\\]|\\.)*)"\nmsgstr "(?:[^"\\]|\\.)*"', fill, text)

    def fill_plural(match):
        """Chinese has one form: the table's entry for the msgid gives the English for one and for many
        (a pair (one, many), or one string for both)."""
        msgid = match.group(1)
        if msgid not in EN:
            missing.append(msgid)
            return match.group(0)
        one, many = EN[msgid] if isinstance(EN[msgid], tuple) else (EN[msgid], EN[msgid])
        one, many = one.replace('"', '\\"'), many.replace('"', '\\"')
        return f'msgid "{msgid}"\nmsgid_plural "{match.group(2)}"\nmsgstr[0] "{one}"\nmsgstr[1] "{many}"'

    text = re.sub(
        r'msgid "((?:[^"\\]|\\.)*)"\nmsgid_plural "((?:[^"\\]|\\.)*)"\nmsgstr\[0\] "(?:[^"\\]|\\.)*"\n'
        r'msgstr\[1\] "(?:[^"\\]|\\.)*"',
        fill_plural,
        text,
    )
    # Our table is the truth: drop gettext's fuzzy guesses (msgfmt would skip those entries).
    text = re.sub(r"^#, fuzzy\n|^#\| .*\n", "", text, flags=re.M)
    text = re.sub(r"^#, fuzzy, ", "#, ", text, flags=re.M)
    path.write_text(text, encoding="utf-8")
    for msgid in missing:
        print(f"untranslated: {msgid}", file=sys.stderr)
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
