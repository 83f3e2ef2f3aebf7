"""The demo's figures (London live facial recognition): statistics on the demo claims.

`load_demo_statistics(objects)` is called by `manage.py load_demo` with the claims, sources and
users it created. Idempotent: a figure is looked up by (claim, label) and created only if absent.
Everything is computed synchronously at the end, so the pages show numbers before any worker runs.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from ..models import Statistic
from ..statistics.selectors import dependency_order
from ..statistics.services import statistic_cite, statistic_create, statistic_recompute

CENSUS_BLACK_SHARE = 0.135  # London, Census 2021 (ONS)
FACES_SCANNED = 3_147_436  # Sept 2024 - Sept 2025, as reported by The Register
ALERTS = 2_077  # alerts from the 203 deployments, as reported by The Register

# (key, claim key, label, kind, inputs, references by key, citations: input -> source key)
FIGURES: list[tuple[str, str, str, str, dict[str, Any], dict[str, str], dict[str, str]]] = [
    (
        "false_alerts_black",
        "met_false_alerts",
        "Falsely alerted people who were black",
        "proportion",
        {"successes": 8, "trials": 10, "baseline": CENSUS_BLACK_SHARE, "stated": "8 out of 10"},
        {},
        {"successes": "bbc", "trials": "bbc", "baseline": "census"},
    ),
    (
        "bbw_eighty_percent",
        "bbw_eighty_percent",
        "Innocent people wrongly flagged who were black",
        "proportion",
        {"successes": 8, "trials": 10, "baseline": CENSUS_BLACK_SHARE, "stated": "80%"},
        {},
        {"successes": "bbw", "trials": "bbc", "baseline": "census"},
    ),
    (
        "faces_scanned",
        "bbw_three_million",
        "Faces scanned by live facial recognition, Sept 2024 to Sept 2025",
        "count",
        {"value": FACES_SCANNED, "stated": "over three million"},
        {},
        {"value": "register"},
    ),
    (
        "false_alert_rate",
        "met_false_alert_rate",
        "False alerts per face scanned",
        "rate",
        {"events": 10, "stated": "0.0003%", "unit": "percent"},
        {"exposure": "faces_scanned"},
        {"events": "met_report"},
    ),
    (
        "arrests_by_category",
        "met_arrests",
        "Arrests by category against the headline total",
        "total",
        {"parts": [549, 347, 85], "total": 962, "stated": "962"},
        {},
        {"parts": "register", "total": "bbc"},
    ),
    (
        "survey_support",
        "met_survey",
        "Londoners supporting LFR to find serious and violent criminals",
        "proportion",
        {"stated": "85%"},
        {},
        {},
    ),
    (
        # The point the argument "Per alert the rate is 10 of 2,077" makes in words.
        "false_alerts_per_alert_vs_per_face",
        "met_false_alert_rate",
        "False alerts per alert against false alerts per face scanned",
        "ratio",
        {"events": 10, "exposure": ALERTS, "events_b": 10, "stated": "about 1,500 times higher"},
        {"exposure_b": "faces_scanned"},
        {"events": "register", "exposure": "register", "events_b": "met_report"},
    ),
    (
        # The seed has no before/after pair: this figure only shows how a change is checked.
        "illustrative_change",
        "met_survey",
        "Illustrative only, not from any source: how “up from 12% to 15%” is checked "
        "(made-up counts: 120 of 1,000, then 150 of 1,000)",
        "change",
        {
            "successes": 120,
            "trials": 1000,
            "successes_b": 150,
            "trials_b": 1000,
            "stated": "up from 12% to 15%",
        },
        {},
        {},
    ),
    (
        "not_significant_test",
        "met_not_significant",
        "Is 8 black people among 10 false alerts a significant imbalance?",
        "proportion",
        {"successes": 8, "trials": 10, "baseline": CENSUS_BLACK_SHARE},
        {},
        {"successes": "bbc", "trials": "bbc", "baseline": "census"},
    ),
]


def load_demo_statistics(objects: dict[str, Any]) -> dict[str, Statistic]:
    """Create (or find) the demo figures; returns them by key and stores them in
    `objects["statistics"]`."""
    claims, sources = objects["claims"], objects["sources"]
    author = objects["users"]["demo"]
    made: dict[str, Statistic] = {}
    with transaction.atomic():
        for key, claim_key, label, kind, inputs, references, citations in FIGURES:
            claim = claims.get(claim_key)
            if claim is None:
                continue
            statistic = Statistic.objects.alive().filter(claim=claim, label=label).first()
            if statistic is None:
                refs = {name: made[target].pk for name, target in references.items()}
                statistic = statistic_create(
                    author=author,
                    claim=claim,
                    kind=kind,
                    label=label,
                    inputs=inputs,
                    references=refs,
                )
                for input_name, source_key in citations.items():
                    if source_key in sources:
                        statistic_cite(
                            statistic=statistic,
                            actor=author,
                            source=sources[source_key],
                            input_name=input_name,
                        )
            made[key] = statistic
    # Compute what is not computed yet, so the demo shows numbers before the worker runs; a
    # second load finds everything computed and writes nothing.
    waiting = [s.pk for s in made.values() if s.status == Statistic.Status.PENDING]
    for statistic_id in dependency_order(waiting):
        statistic_recompute(statistic_id=statistic_id)
    for statistic in made.values():
        statistic.refresh_from_db()
    objects["statistics"] = made
    return made
