"""Where the apps above the register add to it without the register importing them.

The household's timeline shows the register's own history; the lifecycle (above) adds its
procedure steps and status changes by registering a source in its AppConfig.ready().
"""

_timeline_sources = []


def register_timeline_source(source) -> None:
    """Add `source(*, household, names) -> list[dict]` to every household timeline (once)."""
    if source not in _timeline_sources:
        _timeline_sources.append(source)


def timeline_sources() -> tuple:
    return tuple(_timeline_sources)


# Columns of the register list that an app above computes (the open findings of checks): each is a
# correlated subquery per row, so the list stays one query whatever the region's size.
_list_annotations: dict = {}


def register_list_annotation(name: str, expression) -> None:
    """Add `expression()` (an expression over the outer household, e.g. a Subquery on OuterRef("pk")) to the
    register list's rows as `name` (once)."""
    _list_annotations.setdefault(name, expression)


def list_annotations() -> dict:
    """{name: expression} of the registered list columns, built now."""
    return {name: expression() for name, expression in _list_annotations.items()}
