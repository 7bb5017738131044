"""API of campaigns (filled in by its issue work)."""

urlpatterns: list = []
