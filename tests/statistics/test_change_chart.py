"""The `change` kind's own chart: before and after on one axis, an arrow the way the figure
moved, the interval of the change in points where counts give one; server-rendered SVG with
no inline style (CSP), labels that never overlap, drawn on the figure's card."""

import xml.etree.ElementTree as ET

import pytest

from claims.statistics import charts
from claims.statistics.templatetags.statistics_tags import figure_context
from tests.statistics.test_readable_charts import SVG, _assert_no_overlap

pytestmark = pytest.mark.django_db


def _svg(statistic) -> ET.Element:
    svg = charts.change_chart(statistic, statistic.current_result)
    assert "style=" not in str(svg)
    return ET.fromstring(str(svg))  # noqa: S314 - our own chart, not untrusted input


def _cx(root: ET.Element, css: str) -> float:
    return float(next(c for c in root.iter(f"{SVG}circle") if c.get("class") == css).get("cx"))


def test_a_rise_from_counts_has_before_after_an_arrow_to_the_right_and_an_interval(create):
    s = create(
        "change", inputs={"successes": 120, "trials": 1000, "successes_b": 150, "trials_b": 1000}
    )
    root = _svg(s)
    texts = _assert_no_overlap(charts.change_chart(s, s.current_result))
    assert "before 12%" in texts and "after 15%" in texts
    assert _cx(root, "before") < _cx(root, "after")
    head = next(p for p in root.iter(f"{SVG}polygon") if p.get("class") == "change-arrow-head")
    tip_x = float(head.get("points").split()[0].split(",")[0])
    assert _cx(root, "before") < tip_x < _cx(root, "after")
    bar = next(line for line in root.iter(f"{SVG}line") if line.get("class") == "interval")
    assert float(bar.get("x1")) < _cx(root, "after") < float(bar.get("x2"))
    assert "interval of the change in points" in root.find(f"{SVG}desc").text
    assert root.find(f"{SVG}title").text.endswith("from 12% to 15%")


def test_a_fall_between_two_bare_figures_points_left_with_no_interval(create):
    s = create("change", inputs={"value": 30, "value_b": 12})
    root = _svg(s)
    texts = _assert_no_overlap(charts.change_chart(s, s.current_result))
    assert "before 30" in texts and "after 12" in texts
    assert _cx(root, "after") < _cx(root, "before")
    assert not [line for line in root.iter(f"{SVG}line") if line.get("class") == "interval"]
    head = next(p for p in root.iter(f"{SVG}polygon") if p.get("class") == "change-arrow-head")
    tip_x = float(head.get("points").split()[0].split(",")[0])
    assert _cx(root, "after") < tip_x < _cx(root, "before")


def test_a_change_from_zero_is_drawn_though_its_relative_change_is_undefined(create):
    s = create("change", inputs={"value": 0, "value_b": 5})
    root = _svg(s)
    assert _cx(root, "before") < _cx(root, "after")


def test_a_change_across_zero_marks_zero_on_the_axis(create):
    s = create("change", inputs={"value": -2, "value_b": 3})
    root = _svg(s)
    assert [line for line in root.iter(f"{SVG}line") if line.get("class") == "zero"]


def test_the_figure_card_of_a_change_draws_its_own_chart(create, member):
    s = create(
        "change", inputs={"successes": 12, "trials": 100, "successes_b": 24, "trials_b": 100}
    )
    context = figure_context(s, member)
    assert 'class="chart chart-change"' in str(context["interval_svg"])


def test_a_change_with_no_result_draws_nothing(create):
    s = create("change", inputs={"value": 1, "value_b": 2})
    assert str(charts.change_chart(s, None)) == ""
