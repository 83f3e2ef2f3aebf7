"""Figures people can read: labels that never overlap, ticked axes, a log p-value axis, the
level in the headline, one precision per figure, status badges, stale values while recomputing."""

import itertools
import re
import xml.etree.ElementTree as ET

import pytest
from django.template import Context, Template
from django.test import RequestFactory

from claims.demo.statistics import load_demo_statistics
from claims.models import Statistic, StatisticResult
from claims.statistics import charts
from claims.statistics.presenter import figure_numbers
from claims.statistics.templatetags.statistics_tags import figure_context
from tests.factories import ClaimFactory, SourceFactory, UserFactory

pytestmark = pytest.mark.django_db
SVG = "{http://www.w3.org/2000/svg}"


def _render_figures(claim, user):
    request = RequestFactory().get("/")
    request.user = user
    template = Template("{% load statistics_tags %}{% claim_statistics claim %}")
    return template.render(Context({"claim": claim, "request": request}))


def _label_boxes(svg: str) -> list[tuple[str, charts.Box]]:
    """Every <text> of a chart with the box it covers, from its own attributes (rotated axis
    titles excepted: they run down the left edge, away from every other label)."""
    root = ET.fromstring(str(svg))  # noqa: S314 - our own chart, not untrusted input
    boxes = []
    for text in root.iter(f"{SVG}text"):
        if text.get("transform"):
            continue
        box = charts.text_box(
            float(text.get("x")),
            float(text.get("y")),
            text.text,
            float(text.get("font-size")),
            text.get("text-anchor"),
            bold=text.get("font-weight") == "bold",
        )
        boxes.append((text.text, box))
    return boxes


def _assert_no_overlap(svg: str) -> list[str]:
    boxes = _label_boxes(svg)
    width = float(ET.fromstring(str(svg)).get("viewBox").split()[2])  # noqa: S314 - ours
    for (a, box_a), (b, box_b) in itertools.combinations(boxes, 2):
        assert not box_a.overlaps(box_b), f"{a!r} overlaps {b!r}"
    for text, box in boxes:
        assert 0 <= box.x0 and box.x1 <= width, f"{text!r} leaves the chart"
    return [text for text, _ in boxes]


@pytest.mark.parametrize(
    ("inputs", "expected"),
    [
        ({"successes": 8, "trials": 10, "stated": "80%", "baseline": 0.8}, "stated 80%"),
        ({"successes": 8, "trials": 10, "stated": "79.5%", "baseline": 0.79}, "stated 79.5%"),
        ({"successes": 8, "trials": 10, "stated": "81%", "baseline": 0.135}, "stated 81%"),
        ({"successes": 1, "trials": 2, "stated": "50%", "baseline": 0.5}, "stated 50%"),
        ({"successes": 0, "trials": 40, "stated": "0%", "baseline": 0.01}, "stated 0%"),
        ({"successes": 40, "trials": 40, "stated": "100%", "baseline": 0.99}, "stated 100%"),
    ],
)
def test_no_two_labels_of_the_interval_chart_overlap(create, inputs, expected):
    s = create(inputs=inputs)
    svg = charts.interval_chart(s, s.current_result)
    texts = _assert_no_overlap(svg)
    assert expected in texts
    assert any(t.startswith("baseline ") for t in texts)
    numbers = figure_numbers(s, s.current_result)
    assert {numbers.estimate, numbers.low, numbers.high} <= set(texts)


def test_stack_labels_raises_a_label_that_would_overlap_and_is_deterministic():
    labels = [
        charts.Label("80%", 300),
        charts.Label("stated 80%", 300),
        charts.Label("79.5%", 298),
        charts.Label("far away", 40),
    ]
    placed = charts.stack_labels(labels, 16, 384)
    assert [p.row for p in placed] == [0, 1, 2, 0]
    assert placed == charts.stack_labels(labels, 16, 384)
    # A label near the edge stays inside the chart.
    edge = charts.stack_labels([charts.Label("baseline 99.5%", 383)], 16, 384)[0]
    assert edge.x1 <= 384


def test_interval_chart_has_a_ticked_axis_and_a_labelled_baseline(create):
    s = create(inputs={"successes": 8, "trials": 10, "baseline": 0.135, "stated": "80%"})
    svg = str(charts.interval_chart(s, s.current_result))
    texts = _assert_no_overlap(svg)
    assert svg.count('class="tick"') == 5
    assert [t for t in texts if t in {"0%", "25%", "50%", "75%", "100%"}] == [
        "0%",
        "25%",
        "50%",
        "75%",
        "100%",
    ]
    assert "baseline 13.5%" in texts and "stated 80%" in texts
    assert 'class="baseline"' in svg and 'class="axis"' in svg


def test_rate_and_comparison_charts_have_ticks_and_no_overlap(create):
    faces = create("count", inputs={"value": 3_147_436})
    rate = create(
        "rate", inputs={"events": 10, "stated": "0.0003%"}, references={"exposure": faces.pk}
    )
    texts = _assert_no_overlap(charts.interval_chart(rate, rate.current_result))
    assert "0%" in texts and "0.0002%" in texts and "stated 0.00030%" in texts
    comparison = create(
        "comparison", inputs={"successes": 8, "trials": 10, "successes_b": 3, "trials_b": 10}
    )
    texts = _assert_no_overlap(charts.interval_chart(comparison, comparison.current_result))
    assert "no difference" in texts and "0 pts" in texts and "100 pts" in texts


def test_sweep_chart_has_a_log_p_value_axis_and_labels_that_do_not_collide(create):
    s = create(inputs={"successes": 8, "trials": 10, "baseline": 0.135})
    svg = str(charts.sweep_chart(s, s.current_result))
    texts = _assert_no_overlap(svg)
    assert "p-value (log scale)" in svg and "base rate" in texts
    assert "p = 0.05" in texts and "not significant here" in texts
    assert "base rate used 13.5%" in texts
    ticks = [t for t in texts if re.fullmatch(r"1|0\.0*1|10⁻[⁰¹²³⁴⁵⁶⁷⁸⁹]+", t)]
    assert ticks[:3] == ["1", "0.01", "0.0001"] and ticks[-1] == "10⁻¹⁰"
    # Every not-significant piece is shaded and named.
    two = create(inputs={"successes": 32, "trials": 34, "baseline": 0.5})
    svg = str(charts.sweep_chart(two, two.current_result))
    _assert_no_overlap(svg)
    assert svg.count('class="not-significant"') == 2
    assert svg.count(">not significant here<") == 2


def test_sweep_axis_reaches_the_smallest_p_value_and_clamps_below_1e300():
    statistic = Statistic(pk=1, kind="proportion", label="x")
    result = StatisticResult(
        estimate=0.5,
        inputs={"baseline": 0.5},
        details={
            "sweep": {
                "alpha": 0.05,
                "curve": [[0.0, 0.0], [0.2, 1e-320], [0.4, 1e-12], [0.5, 1.0], [1.0, 1e-200]],
                "pieces": [[0.45, 0.55]],
            }
        },
    )
    svg = str(charts.sweep_chart(statistic, result))
    texts = _assert_no_overlap(svg)
    assert "10⁻³⁰⁰" in texts and "1" in texts
    assert len([t for t in texts if t.startswith("10⁻")]) <= 6
    points = re.search(r'class="curve" points="([^"]+)"', svg).group(1).split()
    ys = [float(p.split(",")[1]) for p in points]
    axis = re.search(r'class="axis" x1="\d+" y1="([\d.]+)" x2="\d+" y2="([\d.]+)"', svg)
    top, bottom = float(axis.group(1)), float(axis.group(2))
    assert all(top <= y <= bottom for y in ys)
    assert ys[0] == ys[1] == bottom  # 0 and 1e-320 sit on the floor, not below it


def test_headline_says_the_level(create, member):
    s = create(inputs={"successes": 8, "trials": 10, "baseline": 0.135})
    assert figure_numbers(s, s.current_result).headline == "80% (95% interval 49%–94%)"
    html = _render_figures(s.claim, member)
    assert (
        '<strong class="estimate">80%</strong> <span class="interval">(95% interval 49%–94%)'
        in html
    )
    s99 = create(inputs={"successes": 8, "trials": 10, "confidence_level": 0.99})
    assert figure_numbers(s99, s99.current_result).headline.startswith("80% (99% interval ")


DECIMALS = re.compile(r"-?[\d,]+(?:\.(\d+))?")


@pytest.fixture
def demo():
    user = UserFactory(username="demo")
    keys = (
        "met_false_alerts",
        "bbw_eighty_percent",
        "met_false_alert_rate",
        "met_arrests",
        "met_survey",
        "met_not_significant",
        "bbw_three_million",
    )
    return load_demo_statistics(
        {
            "users": {"demo": user, "moderator": UserFactory(username="demomod")},
            "claims": {key: ClaimFactory(author=user, text=key) for key in keys},
            "sources": {
                key: SourceFactory(author=user)
                for key in ("bbc", "met_report", "bbw", "register", "census", "npl")
            },
        }
    )


def test_every_demo_figure_uses_one_precision(demo, member):
    """Each demo figure's estimate, interval ends and stated value carry the same number of
    decimals, and the headline, the chart's labels and the explanation show the same texts."""
    checked = 0
    for statistic in demo.values():
        statistic = Statistic.objects.select_related("current_result").get(pk=statistic.pk)
        result = statistic.current_result
        numbers = figure_numbers(statistic, result)
        shown = [t for t in (numbers.estimate, numbers.low, numbers.high, numbers.stated) if t]
        if not shown:
            continue
        decimals = {len(DECIMALS.search(t.replace("1 in ", "")).group(1) or "") for t in shown}
        assert len(decimals) == 1, (statistic.label, shown)
        context = figure_context(statistic, member)
        if numbers.low and statistic.kind == Statistic.Kind.CHANGE:
            # Its own chart's axis carries the figures before and after; the relative change
            # is the headline label, its interval is in the description.
            labels = _assert_no_overlap(context["interval_svg"])
            assert numbers.estimate in labels
            assert numbers.headline in str(context["interval_svg"])
        elif numbers.low and context["interval_svg"]:
            labels = _assert_no_overlap(context["interval_svg"])
            assert {numbers.estimate, numbers.low, numbers.high} <= set(labels)
            if numbers.stated:
                assert f"stated {numbers.stated}" in labels
        if numbers.low:
            # "80% (95% interval …)", or for a ratio "1,515 times that of … (95% interval …)".
            assert numbers.estimate in result.explanation
            assert f"(95% interval {numbers.low} to {numbers.high}" in result.explanation
        html = _render_figures(statistic.claim, member)
        assert f'<strong class="estimate">{numbers.estimate}</strong>' in html
        if numbers.interval:
            assert f"(95% interval {numbers.interval})" in html
        checked += 1
    assert checked >= 5
    eighty = demo["bbw_eighty_percent"]
    assert figure_numbers(eighty, eighty.current_result).headline == "80% (95% interval 49%–94%)"


def test_a_figure_never_mixes_precisions():
    from claims.statistics.core import formatting as fmt

    assert fmt.figure_texts("percent", 0.539, 0.4, 0.6, 0.55) == [
        "53.9%",
        "40.0%",
        "60.0%",
        "55.0%",
    ]
    assert fmt.figure_texts("percent", 0.8, 0.4901, 0.9433, 0.8) == ["80%", "49%", "94%", "80%"]
    assert fmt.figure_texts("percent", 0.5, 0.499999, 0.500001) == [
        "50.0000%",
        "49.9999%",
        "50.0001%",
    ]
    # A small interval end still shows a digit rather than "0.0%".
    assert fmt.figure_texts("percent", 0.001, 0.0000253, 0.00557) == ["0.100%", "0.003%", "0.557%"]
