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
