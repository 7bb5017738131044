"""Mirror a county through the Jingzhun API (docs/api-clients.md): the year-end series once, then the change feed.

Standard library only. Run it as

    python mirror_county.py https://jingzhun.example.gov.cn 220821000000 TOKEN state.json

again and again (from cron, say): the first run reads the trend and the position of the feed, every later run
reads only what changed since, and polls the county summary with If-None-Match (304 while nothing moved).
"""

import json
import sys
import time
import urllib.error
import urllib.parse
import urllib.request


class Api:
    """GET with the token, the kept ETags, and the rate limit obeyed."""

    def __init__(self, base: str, token: str):
        if not base.startswith(("https://", "http://")):
            raise ValueError("the API's address starts with https://")
        self.base = base.rstrip("/")
        self.token = token
        self.kept: dict[str, tuple[str, dict]] = {}  # url -> (ETag, body): answers we may ask about again

    def get(self, path: str, params: dict | None = None) -> dict:
        url = f"{self.base}{path}" + (f"?{urllib.parse.urlencode(params)}" if params else "")
        while True:
            headers = {"Authorization": f"Token {self.token}", "Accept": "application/json"}
            request = urllib.request.Request(url, headers=headers)  # noqa: S310 - http(s) only, checked above
            if url in self.kept:
                request.add_header("If-None-Match", self.kept[url][0])
            try:
                with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 - http(s) only
                    body = json.load(response)
                    if response.headers.get("ETag"):
                        self.kept[url] = (response.headers["ETag"], body)
                    self._pace(response.headers)
                    return body
            except urllib.error.HTTPError as error:
                if error.code == 304:  # not modified: the kept body is still the answer
                    self._pace(error.headers)
                    return self.kept[url][1]
                if error.code == 429:  # past the limit: wait as told, then ask again
                    time.sleep(int(error.headers.get("Retry-After", "1")))
                    continue
                raise RuntimeError(f"{error.code} {json.load(error)}") from error

    @staticmethod
    def _pace(headers) -> None:
        """Spend the window's last requests slowly rather than be refused."""
        if headers.get("RateLimit-Remaining") == "0":
            time.sleep(int(headers.get("RateLimit-Reset", "1")))


def apply(state: dict, event: dict) -> None:
    """One event into the mirror. Idempotent: an event applied twice leaves the same mirror."""
    if event["kind"] == "status_change":
        state["households"][event["household"]] = {"status": event["to"], "since": event["effective_on"]}
    elif event["kind"] in ("members_joined", "members_left"):
        sign = 1 if event["kind"] == "members_joined" else -1
        state["people"][event["household"]] = state["people"].get(event["household"], 0) + sign * event["count"]
    elif event["kind"] == "village_exit":
        state["exited_villages"][event["village"]] = event["year"]
    elif event["kind"] == "benefit":
        state["benefits"].append({"village": event["village"], "program": event["program"]["name"], "amount": event["amount"]})
    state["seen"].append(event["id"])


def follow(api: Api, county: str, state: dict) -> int:
    """Read the feed from the kept cursor to its end; how many events were applied."""
    applied = 0
    while True:
        page = api.get("/api/v1/changes/", {"after": state["cursor"], "region": county})
        for event in page["results"]:
            apply(state, event)
            applied += 1
        state["cursor"] = page["cursor"]  # keep it only once its events are applied
        if not page["more"]:
            return applied


def mirror(api: Api, county: str, state: dict) -> dict:
    """The first run: the feed's position first (events after it may already be in what we read next: applying
    them again is harmless), then the year-end trend 2014–2020 in one request. Every run: follow the feed and
    poll today's summary."""
    if "cursor" not in state:
        state.update(households={}, people={}, exited_villages={}, benefits=[], seen=[])
        state["cursor"] = api.get("/api/v1/changes/", {"after": "now", "region": county})["cursor"]
        series = api.get(
            f"/api/v1/summaries/{county}/series/", {"from": "2014-12-31", "to": "2020-12-31", "step": "year"}
        )
        state["trend"] = {point["as_of"]: point["households"]["poor"] for point in series["points"]}
    follow(api, county, state)
    state["today"] = api.get(f"/api/v1/summaries/{county}/")["households"]
    return state


if __name__ == "__main__":
    base, county, token, path = sys.argv[1:5]
    try:
        with open(path, encoding="utf-8") as kept:
            saved = json.load(kept)
    except FileNotFoundError:
        saved = {}
    result = mirror(Api(base, token), county, saved)
    with open(path, "w", encoding="utf-8") as out:
        json.dump(result, out, ensure_ascii=False, indent=1)
