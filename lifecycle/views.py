"""Pages of the lifecycle: the public-notice board of a village, for printing (公示栏)."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from core.api.params import page_day_param
from households.selectors import head_name
from lifecycle.selectors import notices_in_scope
from villages.selectors import regions_in_scope


@login_required
def notice_board(request, code):
    """The notices running in a village on a day (default today), laid out to print and post."""
    village = regions_in_scope(user=request.user).filter(level="village", code=code).first()
    if village is None:
        raise Http404
    day = page_day_param(request, "on")
    notices = (
        notices_in_scope(user=request.user)
        .filter(village=village, start__lte=day, end__gte=day)
        .annotate(head_name=head_name("procedure__household"))
        .order_by("procedure__kind", "procedure__household__number")
    )
    return render(request, "lifecycle/notice_board.html", {"village": village, "day": day, "notices": notices})
