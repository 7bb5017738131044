"""Deprecations announced in the answers (docs/api-clients.md, Versioning): a route of /api/v1/ that will go away
says so on every answer with `Deprecation` (RFC 9745: the moment it was deprecated, `@<seconds since the epoch>`),
`Sunset` (RFC 8594: the HTTP date after which it may stop answering) and a `Link` to what replaces it.

DEPRECATED names routes by URL name (as in `reverse("api:…")`); it is empty while nothing is deprecated.
"""

import datetime
from dataclasses import dataclass
from email.utils import format_datetime


@dataclass(frozen=True)
class Deprecation:
    since: datetime.date  # the day it was announced
    sunset: datetime.date  # not before: at least 6 months after `since` (docs/api-clients.md)
    link: str  # the documentation of what replaces it

    def headers(self) -> dict[str, str]:
        since = datetime.datetime.combine(self.since, datetime.time(), tzinfo=datetime.UTC)
        sunset = datetime.datetime.combine(self.sunset, datetime.time(), tzinfo=datetime.UTC)
        return {
            "Deprecation": f"@{int(since.timestamp())}",
            "Sunset": format_datetime(sunset, usegmt=True),
            "Link": f'<{self.link}>; rel="deprecation"',
        }


DEPRECATED: dict[str, Deprecation] = {}


def announced(request) -> Deprecation | None:
    """The deprecation of the route this request resolved to, if any."""
    match = getattr(request, "resolver_match", None)
    if match is None or not DEPRECATED:
        return None
    return DEPRECATED.get(match.view_name)
