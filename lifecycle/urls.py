from django.urls import path

from lifecycle import review_views, views, village_views
from lifecycle.record_views import annual_record

urlpatterns = [
    # The village (村, issue 16 point 2): profile by year, households by status, exit evaluation, village exit procedure.
    path("villages/<str:code>/", village_views.village, name="village"),
    path("villages/<str:code>/notices/", views.notice_board, name="notice-board"),
    # The annual record page (年度信息, issue 15 page 5): under /households/, here because the checklist is the lifecycle's.
    path("households/<int:pk>/records/<int:year>/", annual_record, name="record"),
    path("notices/", views.notices, name="notices"),
    path("reviews/", review_views.reviews, name="reviews"),  # the review queues (审核队列)
    path("households/<int:pk>/procedures/new/", views.procedure_new, name="procedure-new"),
    path("procedures/<int:pk>/", views.procedure_detail, name="procedure"),
    path("procedures/<int:pk>/objections/", views.objection_new, name="procedure-objection"),
    path(
        "procedures/<int:pk>/objections/<int:objection_pk>/resolve/", views.objection_resolve, name="objection-resolve"
    ),
]
