from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo county's generators and seed_demo: the top floor, below only config; no domain app imports it."""

    name = "demo"
