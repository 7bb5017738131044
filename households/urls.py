"""The register's pages (户), under /households/."""

from django.urls import path

from households import entry_views, views

app_name = "households"

urlpatterns: list = [
    path("", views.household_list, name="list"),
    path("<int:pk>/", views.household_detail, name="detail"),
    # Entry (新建户 / 修改户) and its small helpers (issue 15, page 4).
    path("new/", entry_views.household_new, name="new"),
    path("<int:pk>/edit/", entry_views.household_edit, name="edit"),
    path("new/member-row/", entry_views.member_row, name="member-row"),
    path("new/id-check/", entry_views.id_number_check, name="id-check"),
]
