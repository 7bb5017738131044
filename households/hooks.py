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
