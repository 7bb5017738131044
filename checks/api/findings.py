"""API of findings (filled in by its issue work)."""

urlpatterns: list = []
