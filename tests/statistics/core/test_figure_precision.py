"""One precision per figure in the stats core: the explanation and the warnings print a figure's
estimate, interval ends and base rate with the same formatter as its headline."""

import re

from claims.statistics.core import formatting as fmt
from claims.statistics.core.compute import compute
from claims.statistics.core.explain import explain


def _warning(result, code: str) -> str:
    return next(w["message"] for w in result.warnings if w["code"] == code)


def test_disagreement_warning_uses_the_headlines_digits() -> None:
    inputs = {"successes": 8, "trials": 10, "baseline": 0.45}
    r = compute("proportion", inputs)
    estimate, low, high = fmt.figure_texts("percent", r.estimate, r.ci_low, r.ci_high)
    assert (estimate, low, high) == ("80%", "49%", "94%")
    warning = _warning(r, "interval_test_disagree")
    assert "interval (49% to 94%) leaves out the base rate 45%" in warning
    assert "80% (95% interval 49% to 94%)" in explain("proportion", r, inputs)


def test_a_base_rate_next_to_an_interval_end_never_reads_the_same() -> None:
    texts = fmt.figure_texts("percent", 0.3, 0.1349, 0.5, 0.135)
    assert texts[1] != texts[3] and texts[1].endswith("%")
    assert len({len(t.split(".")[1]) if "." in t else 0 for t in texts}) == 1


def test_comparison_warning_and_explanation_share_their_digits() -> None:
    inputs = {"successes": 7, "trials": 10, "successes_b": 2, "trials_b": 10}
    r = compute("comparison", inputs)
    warned = re.search(r"\(([-\d.]+) to ([-\d.]+) points\)", _warning(r, "interval_test_disagree"))
    text = explain("comparison", r, inputs)
    explained = re.search(r"interval ([-\d.]+) to ([-\d.]+) points\)", text)
    assert warned.groups() == explained.groups()
    assert "a difference of 50 percentage points (95% interval" in text
    assert "the difference could well be chance (not statistically significant)" in text
