"""API of comparisons (filled in by its issue work)."""

urlpatterns: list = []
