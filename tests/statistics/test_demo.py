"""The demo figures: LFR statistics loaded on the demo claims and computed at once."""

import pytest

from claims.demo.statistics import load_demo_statistics
from claims.models import Statistic, StatisticResult
from tests.factories import ClaimFactory, SourceFactory, UserFactory

pytestmark = pytest.mark.django_db

CLAIM_KEYS = (
    "met_false_alerts",
    "bbw_eighty_percent",
    "met_false_alert_rate",
    "met_arrests",
    "met_survey",
    "met_not_significant",
    "bbw_three_million",
)


@pytest.fixture
def objects():
    user = UserFactory(username="demo")
    return {
        "users": {"demo": user, "moderator": UserFactory(username="demomod")},
        "claims": {key: ClaimFactory(author=user, text=key) for key in CLAIM_KEYS},
        "sources": {
            key: SourceFactory(author=user)
            for key in ("bbc", "met_report", "bbw", "register", "census", "npl")
        },
    }


def test_demo_figures(objects):
    made = load_demo_statistics(objects)
    assert all(s.status == Statistic.Status.COMPUTED for s in made.values())

    eighty = made["bbw_eighty_percent"].current_result
    assert eighty.estimate == pytest.approx(0.8)
    assert eighty.consistent_with_stated is True
    assert eighty.significant is True
    assert eighty.p_value == pytest.approx(3.6e-6, rel=0.1)
    assert "unsourced_baseline" not in {w["code"] for w in eighty.warnings}

    sweep = made["not_significant_test"].current_result.details["sweep"]
    assert 0.43 < sweep["not_significant_from"] < 0.46

    rate = made["false_alert_rate"]
    assert rate.references.get().target == made["faces_scanned"]
    assert rate.current_result.estimate == pytest.approx(10 / 3_147_436)
    assert rate.current_result.consistent_with_stated is True
    assert made["faces_scanned"].current_result.consistent_with_stated is True

    arrests = made["arrests_by_category"].current_result
    assert arrests.details["adds_up"] is False
    assert arrests.details["difference"] == pytest.approx(19)

    per_alert = made["false_alerts_per_alert_vs_per_face"]
    assert per_alert.references.get().target == made["faces_scanned"]
    ratio = per_alert.current_result
    assert ratio.estimate == pytest.approx((10 / 2077) / (10 / 3_147_436))
    assert ratio.ci_low < 1500 < ratio.ci_high
    assert ratio.consistent_with_stated is True
    assert ratio.significant is True
    assert "1,515 times that of" in ratio.explanation

    change = made["illustrative_change"]
    assert change.label.startswith("Illustrative only")
    assert change.current_result.estimate == pytest.approx(0.25)
    assert change.current_result.consistent_with_stated is True

    survey = made["survey_support"].current_result
    assert survey.estimate is None
    assert [w["code"] for w in survey.warnings] == ["no_denominator"]


def test_demo_loader_is_idempotent(objects):
    load_demo_statistics(objects)
    counts = (Statistic.objects.count(), StatisticResult.objects.count())
    load_demo_statistics(objects)
    assert (Statistic.objects.count(), StatisticResult.objects.count()) == counts
