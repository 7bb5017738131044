"""The page shell's menu: the pages this user may use, in the order of a working day."""

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from core.forms import may_use_admin
from core.roles import Capability
from core.scope import has_capability

# (url name, label, capability needed — or a tuple, any one of them — or None). A page not built yet (no url) is left out.
MENU = (
    ("home", _("待办"), None),
    ("households:list", _("农户"), Capability.READ_REGISTER),
    ("reviews", _("审核"), (Capability.TOWNSHIP_REVIEW, Capability.COUNTY_ADMINISTRATION)),
    ("notices", _("公示"), Capability.READ_REGISTER),
    ("visits", _("走访"), Capability.RECORD_ACTIVITY),
    ("findings", _("问题"), Capability.READ_REGISTER),
    ("checks", _("核查"), Capability.READ_REGISTER),
    ("programs", _("项目"), Capability.READ_FIGURES),
    ("cadres", _("帮扶"), Capability.READ_REGISTER),
    ("my-dashboard", _("统计"), Capability.READ_FIGURES),
    ("my-annual-report", _("年报"), Capability.READ_FIGURES),
    ("imports", _("导入"), Capability.EDIT_REGISTER),
    ("jobs", _("任务"), Capability.READ_REGISTER),
    ("users", _("用户"), Capability.COUNTY_ADMINISTRATION),
    ("personal-data", _("查阅记录"), Capability.COUNTY_ADMINISTRATION),
)


def _menu(request):
    user = request.user
    items = []
    for name, label, capability in MENU:
        needed = capability if isinstance(capability, tuple) else (capability,)
        if capability is not None and not any(has_capability(user, c) for c in needed):
            continue
        try:
            url = reverse(name)
        except NoReverseMatch:
            continue
        items.append({"url": url, "label": label, "active": _is_active(request.path, url)})
    return items


def _is_active(path: str, url: str) -> bool:
    return path == url if url == "/" else path.startswith(url)


def shell(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"menu": ()}
    return {"menu": _menu(request), "may_use_admin": may_use_admin(user)}
