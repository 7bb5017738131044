from django.urls import path

from lifecycle.record_views import annual_record
from lifecycle.views import notice_board

urlpatterns = [
    path("villages/<str:code>/notices/", notice_board, name="notice-board"),
    # The annual record page (年度信息, issue 15 page 5): under /households/, here because the checklist is the lifecycle's.
    path("households/<int:pk>/records/<int:year>/", annual_record, name="record"),
]
