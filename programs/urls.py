"""The pages of programs (帮扶项目), mounted at the site root."""

urlpatterns: list = []
