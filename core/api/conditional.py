"""Conditional reads (条件请求) for API clients that poll: a strong ETag on every GET answer, 304 to a matching
If-None-Match, and Cache-Control that says how long an answer may be reused (docs/api.md, Polling cheaply).

The tag of an answer is the SHA-256 of its bytes and its media type, so it changes exactly when the answer would
(a strong validator: same tag, same bytes). Where a view knows its answer's identity before rendering it (a kept
summary, reports.selectors.kept_region_summary_text) it sets the tag itself and may answer 304 without rendering;
detail views keep the row's version as their tag (ETag of docs/api.md, Concurrency), which If-Match compares.

Cache-Control: a view's own choice stands; reads of figures (regions, summaries, reports, program figures: the
views whose read capability is READ_FIGURES, nothing personal) default to `private, no-cache` (keep it, ask again
with If-None-Match before reusing it); everything else stays `no-store` (core.middleware.AuditContextMiddleware).
"""

import hashlib

from django.http import HttpResponseNotModified
from django.utils.cache import patch_vary_headers

from core.roles import Capability

REVALIDATE = "private, no-cache"
# Headers a 304 repeats from the answer it stands for (RFC 9110 15.4.5); the body and its type are left out.
_KEPT_ON_304 = ("ETag", "Cache-Control", "Vary", "Expires", "Content-Location", "Deprecation", "Sunset", "Link")


def strong_etag(data: bytes | str, media_type: str = "application/json") -> str:
    """The strong tag of an answer: a digest of its media type and its bytes (or of text the bytes are made from)."""
    raw = data.encode() if isinstance(data, str) else data
    digest = hashlib.sha256(media_type.encode() + b"\0" + raw).hexdigest()[:40]
    return f'"{digest}"'


def tags_of(header: str) -> set[str]:
    """The entity tags an If-None-Match names; weak comparison (RFC 9110 13.1.2) for GET, so W/ is dropped."""
    return {tag.strip().removeprefix("W/") for tag in header.split(",") if tag.strip()}


def matches(request, etag: str) -> bool:
    """Whether the request's If-None-Match names this tag (or `*`)."""
    header = request.headers.get("If-None-Match", "")
    if not header:
        return False
    tags = tags_of(header)
    return "*" in tags or etag in tags


def not_modified(response) -> HttpResponseNotModified:
    """The 304 standing for a full answer: no body, the validators and caching headers of the answer."""
    short = HttpResponseNotModified()
    for header in _KEPT_ON_304:
        if response.has_header(header):
            short[header] = response[header]
    return short


def _read_capability(view_func) -> str | None:
    """The capability a GET of this DRF view needs (its action's, else its read_capability); None for other views."""
    view_class = getattr(view_func, "cls", None)
    if view_class is None:
        return None
    action = (getattr(view_func, "actions", None) or {}).get("get")
    by_action = getattr(view_class, "action_capabilities", {}) or {}
    return by_action.get(action, getattr(view_class, "read_capability", Capability.READ_REGISTER))


class ConditionalReadMiddleware:
    """ETag, If-None-Match and the figures' Cache-Control on `/api/v1/` GET and HEAD answers (see the module)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def process_view(self, request, view_func, view_args, view_kwargs):
        request.jz_read_capability = _read_capability(view_func)

    def __call__(self, request):
        response = self.get_response(request)
        if request.method not in ("GET", "HEAD") or not request.path.startswith("/api/v1/"):
            return response
        if response.status_code != 200:
            return response
        if not response.has_header("Cache-Control") and getattr(request, "jz_read_capability", None) == (
            Capability.READ_FIGURES
        ):
            response["Cache-Control"] = REVALIDATE
        if response.streaming:
            return response  # exports: streamed, never held whole in memory to be hashed
        patch_vary_headers(response, ("Authorization", "Accept-Language"))
        if not response.has_header("ETag"):
            media_type = response.get("Content-Type", "").split(";")[0].strip()
            response["ETag"] = strong_etag(response.content, media_type)
        if matches(request, response["ETag"]):
            return not_modified(response)
        return response
