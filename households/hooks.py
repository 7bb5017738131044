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


# After a save of the register's pages: the checks (above) run the register rules for the household
# and say what the save opened ("保存后发现 N 个问题…"), without the register importing them.

_after_save_providers = []


def register_after_save(provider) -> None:
    """Add `provider(*, household, user) -> list[str]` (sentences for the user) to every entry-page save (once)."""
    if provider not in _after_save_providers:
        _after_save_providers.append(provider)


def after_save(*, household, user) -> list[str]:
    """What the registered providers have to say after the household was saved (entry pages)."""
    sentences = []
    for provider in _after_save_providers:
        sentences.extend(provider(household=household, user=user))
    return sentences


# The households behind a figure of the year-end report (reports, above): the register's list filters by them.
_annual_households = []


def register_annual_households(source) -> None:
    """Set `source(*, region_code, year, stock, key) -> set of household ids` (the reports' year-end figures)."""
    if source not in _annual_households:
        _annual_households[:] = [source]


def annual_households(*, region_code: str | None, year: int, stock: str, key: str) -> set[int] | None:
    """The households counted in a figure of the region's year-end report, or None when no app above offers it."""
    if not _annual_households:
        return None
    return _annual_households[0](region_code=region_code, year=year, stock=stock, key=key)


# A household's registry status on a day (the lifecycle, above, reads it from the status changes): the register's
# list filters by it, so that a figure of a summary on a day opens exactly its households.
_status_on = []


def register_status_on(expression) -> None:
    """Set `expression(day)`: an expression over the outer household giving its registry status on the day."""
    if expression not in _status_on:
        _status_on[:] = [expression]


def status_on(day):
    """The registered expression for the day, or None when no app above offers it."""
    return _status_on[0](day) if _status_on else None


# After an import was committed: the checks (above) run the register rules over the villages it touched.

_after_import_providers = []


def register_after_import(provider) -> None:
    """Add `provider(*, village_codes, user) -> None` to every committed import (once)."""
    if provider not in _after_import_providers:
        _after_import_providers.append(provider)


def after_import(*, village_codes, user) -> None:
    """Let the registered providers act on the villages an import changed (the register rules)."""
    for provider in _after_import_providers:
        provider(village_codes=sorted(village_codes), user=user)
