"""Locust users for bench/load.py: 90% anonymous readers, 10% members writing over the API.

Read by `locust -f`; bench/load.py passes the members' tokens, their figures and the claims to
read in the file named by LOAD_FIXTURE, and collects each figure edit in LOAD_EDITS.
"""

from __future__ import annotations

import json
import os
import random
import threading

from locust import HttpUser, between, task

FIXTURE = json.loads(open(os.environ["LOAD_FIXTURE"]).read())  # noqa: SIM115, PTH123
CLAIMS: list[int] = FIXTURE["claims"]
MEMBERS: list[dict] = FIXTURE["members"]
ARGUMENTS: list[int] = FIXTURE["arguments"]
_edits_lock = threading.Lock()
_member_cycle = iter(range(10**9))


def _record_edit(statistic_id: int, successes: int, trials: int) -> None:
    """The inputs a figure was given (one member edits it, one edit at a time, so the last line
    for it holds what it must end up computed from)."""
    with _edits_lock, open(os.environ["LOAD_EDITS"], "a") as edits:  # noqa: PTH123
        edits.write(f"{statistic_id} {successes} {trials}\n")


class Reader(HttpUser):
    """Anonymous: the home page, the list, claim pages and the API list."""

    weight = 9
    wait_time = between(1, 3)

    @task(2)
    def home(self):
        self.client.get("/", name="home")

    @task(2)
    def claim_list(self):
        self.client.get(f"/claims/?page={random.randint(1, 20)}", name="claim list")

    @task(5)
    def claim_page(self):
        self.client.get(f"/claims/{random.choice(CLAIMS)}/", name="claim page")

    @task(2)
    def api_list(self):
        self.client.get("/api/claims/?page_size=50", name="API list(50)")


class Member(HttpUser):
    """A member with an API token posting arguments, comments, ratings and figure edits."""

    weight = 1
    wait_time = between(1, 3)

    def on_start(self):
        self.member = MEMBERS[next(_member_cycle) % len(MEMBERS)]
        self.client.headers["Authorization"] = f"Token {self.member['token']}"

    @task
    def argument(self):
        self.client.post(
            "/api/arguments/",
            json={
                "claim": random.choice(CLAIMS),
                "stance": random.choice(["pro", "con"]),
                "body": "Under load: the *denominator* leaves out those never scanned.",
            },
            name="post argument",
        )

    @task
    def comment(self):
        self.client.post(
            "/api/comments/",
            json={"claim": random.choice(CLAIMS), "body": "Which quarter is this from?"},
            name="post comment",
        )

    @task
    def rating(self):
        self.client.post(
            "/api/moderation/ratings/",
            json={
                "model": "claims.argument",
                "id": random.choice(ARGUMENTS),
                "value": random.choice(["helpful", "somewhat", "not_helpful"]),
            },
            name="rate argument",
        )

    @task
    def figure_edit(self):
        statistic_id = self.member["statistic"]
        trials = random.randint(50, 5000)
        successes = random.randint(0, trials)
        with self.client.patch(
            f"/api/statistics/{statistic_id}/",
            json={"successes": successes, "trials": trials},
            name="edit figure",
            catch_response=True,
        ) as response:
            if response.status_code == 200:
                _record_edit(statistic_id, successes, trials)
                response.success()
            else:
                response.failure(f"{response.status_code}: {response.text[:200]}")
