from django.urls import path

from lifecycle.views import notice_board

urlpatterns = [
    path("villages/<str:code>/notices/", notice_board, name="notice-board"),
]
