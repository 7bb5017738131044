"""The mixed load of `make loadtest` (driven by bench/loadtest.py, which writes the config).

Each simulated user reads lists, household details and the county summary, and writes annual
records of its own households (a POST that creates the year's record, then PATCHes of it). It
remembers the last value each of its writes stored; the driver compares them with the database
afterwards, so a lost write is found, not assumed away.
"""

import itertools
import json
import os
import random

from locust import HttpUser, between, events, task

CONFIG = json.loads(open(os.environ["LOADTEST_CONFIG"]).read())  # noqa: SIM115 - read once at start
WRITTEN: dict[int, str] = {}  # annual record id → wages last stored (answered 200/201)
PENDING: dict[int, str] = {}  # annual record id → wages of a PATCH sent but not answered when the run stopped
_slots = itertools.count()


@events.quitting.add_listener
def _save_written(environment, **kwargs):
    with open(os.environ["LOADTEST_WRITTEN"], "w") as out:
        json.dump({"written": WRITTEN, "pending": PENDING}, out)


class CountyWorker(HttpUser):
    wait_time = between(0.05, 0.2)

    def on_start(self):
        self.slot = next(_slots)
        self.client.headers["Authorization"] = f"Token {CONFIG['token']}"
        self.households = CONFIG["write_households"][self.slot :: CONFIG["users"]]
        self.records: list[int] = []
        self.counter = 0

    @task(4)
    def household_list(self):
        self.client.get(f"/api/v1/households/?region={random.choice(CONFIG['villages'])}", name="households/?region=village")

    @task(4)
    def household_detail(self):
        self.client.get(f"/api/v1/households/{random.choice(CONFIG['read_households'])}/", name="households/{id}/")

    @task(2)
    def county_summary(self):
        self.client.get(f"/api/v1/summaries/{CONFIG['county']}/?as_of={CONFIG['as_of']}", name="summaries/{county}/")

    @task(2)
    def write_annual_record(self):
        self.counter += 1
        wages = f"{self.slot * 100000 + self.counter}.00"
        if self.households and (not self.records or random.random() < 0.3):
            household = self.households.pop()
            with self.client.post(
                f"/api/v1/households/{household}/annual-records/", json={"year": CONFIG["year"], "wages": wages},
                name="households/{id}/annual-records/ POST", catch_response=True,
            ) as response:
                if response.status_code == 201:
                    record = response.json()["id"]
                    self.records.append(record)
                    WRITTEN[record] = wages
                else:
                    response.failure(f"{response.status_code}: {response.text[:200]}")
            return
        if not self.records:
            return
        record = random.choice(self.records)
        PENDING[record] = wages
        with self.client.patch(
            f"/api/v1/annual-records/{record}/", json={"wages": wages}, name="annual-records/{id}/ PATCH",
            catch_response=True,
        ) as response:
            PENDING.pop(record, None)
            if response.status_code == 200:
                WRITTEN[record] = wages
            else:
                response.failure(f"{response.status_code}: {response.text[:200]}")
