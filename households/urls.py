"""The register's pages (户), under /households/."""


app_name = "households"

urlpatterns: list = [
    # path("", views.household_list, name="list"),  -- the register list (issue 15)
]
