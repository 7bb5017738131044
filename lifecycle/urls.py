from django.urls import path

from lifecycle import review_views
from lifecycle.views import notice_board

urlpatterns = [
    path("villages/<str:code>/notices/", notice_board, name="notice-board"),
]
urlpatterns.append(path("reviews/", review_views.reviews, name="reviews"))  # the review queues (审核队列)
