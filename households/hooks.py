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
