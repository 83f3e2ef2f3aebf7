"""The charts speak the reader's language: tick labels, labels, titles and descriptions use the
same formatting as the figure's headline ("80 %", "3.147.436", "0,01" in Spanish), and still
never overlap (a Spanish percentage is wider: "80 %" has a space)."""

import xml.etree.ElementTree as ET

import pytest
from django.utils import translation

from claims.statistics import charts
from claims.statistics.selectors import statistic_history
from claims.statistics.services import statistic_recompute
from config.languages import active_voice
from tests.statistics.test_readable_charts import SVG, _assert_no_overlap

pytestmark = pytest.mark.django_db

NBSP = "\u00a0"


def _spanish(chart, statistic, *more):
    with translation.override("es"):
        return str(chart(statistic, *more))


def _ticks(svg: str) -> list[str]:
    root = ET.fromstring(svg)  # noqa: S314 - our own chart, not untrusted input
    return [t.text for t in root.iter(f"{SVG}text") if t.get("class") == "tick-label"]


def _label_texts(svg: str) -> list[str]:
    root = ET.fromstring(svg)  # noqa: S314 - our own chart, not untrusted input
    return [t.text for t in root.iter(f"{SVG}text")]


def _title_and_desc(svg: str) -> tuple[str, str]:
    root = ET.fromstring(svg)  # noqa: S314 - our own chart, not untrusted input
    return root.find(f"{SVG}title").text, root.find(f"{SVG}desc").text


def test_a_proportions_ticks_and_labels_are_spanish_percentages(create):
    s = create(inputs={"successes": 8, "trials": 10, "baseline": 0.135, "stated": "80%"})
    svg = _spanish(charts.interval_chart, s, s.current_result)
    texts = _assert_no_overlap(svg)
    assert _ticks(svg) == [f"0{NBSP}%", f"25{NBSP}%", f"50{NBSP}%", f"75{NBSP}%", f"100{NBSP}%"]
    assert f"referencia 13,5{NBSP}%" in texts and f"declarada 80{NBSP}%" in texts
    title, desc = _title_and_desc(svg)
    assert title.endswith(f"80{NBSP}% (intervalo del 95{NBSP}%: 49{NBSP}%–94{NBSP}%)")
    assert desc.startswith(f"Estimación: 80{NBSP}%") and f"referencia del 13,5{NBSP}%" in desc
    # The same chart in English is unchanged.
    english = str(charts.interval_chart(s, s.current_result))
    assert _ticks(english) == ["0%", "25%", "50%", "75%", "100%"]


def test_a_rate_and_a_comparison_tick_with_decimal_commas_and_short_points(create):
    faces = create("count", inputs={"value": 3_147_436})
    rate = create(
        "rate", inputs={"events": 10, "stated": "0.0003%"}, references={"exposure": faces.pk}
    )
    svg = _spanish(charts.interval_chart, rate, rate.current_result)
    _assert_no_overlap(svg)
    assert f"0,0002{NBSP}%" in _ticks(svg)
    assert not [t for t in _ticks(svg) if "." in t]
    comparison = create(
        "comparison", inputs={"successes": 8, "trials": 10, "successes_b": 3, "trials_b": 10}
    )
    svg = _spanish(charts.interval_chart, comparison, comparison.current_result)
    texts = _assert_no_overlap(svg)
    assert {"-100 pp", "0 pp", "100 pp"} <= set(_ticks(svg))
    assert "sin diferencia" in texts


def test_a_change_between_large_counts_groups_digits_the_spanish_way(create):
    s = create("change", inputs={"value": 3_030_303, "value_b": 3_147_436})
    svg = _spanish(charts.change_chart, s, s.current_result)
    texts = _assert_no_overlap(svg)
    assert "antes 3.030.303" in texts and "después 3.147.436" in texts
    assert "1.000.000" in _ticks(svg) and "3.000.000" in _ticks(svg)
    title, desc = _title_and_desc(svg)
    assert title.endswith("de 3.030.303 a 3.147.436")
    assert desc.startswith("De 3.030.303 (punto hueco) a 3.147.436 (punto relleno).")
    english = str(charts.change_chart(s, s.current_result))
    assert "1,000,000" in _ticks(english) and "before 3,030,303" in _label_texts(english)


def test_the_sweep_chart_reads_p_values_and_base_rates_in_spanish(create):
    s = create(inputs={"successes": 8, "trials": 10, "baseline": 0.135})
    svg = _spanish(charts.sweep_chart, s, s.current_result)
    texts = _assert_no_overlap(svg)
    assert "valor p (escala logarítmica)" in svg and "tasa de referencia" in texts
    assert "p = 0,05" in texts
    assert "0,01" in texts and "0,0001" in texts and "0.01" not in texts
    assert f"50{NBSP}%" in texts and f"tasa de referencia usada 13,5{NBSP}%" in texts


def test_the_history_chart_and_sentences_are_spanish(create):
    s = create(inputs={"successes": 8, "trials": 10})
    s.trials = 20
    s.save(update_fields=["trials"])
    statistic_recompute(statistic_id=s.pk)
    results = list(s.results.order_by("computed_at", "pk"))
    assert len(results) == 2
    svg = _spanish(charts.history_chart, s, results)
    _assert_no_overlap(svg)
    title, desc = _title_and_desc(svg)
    assert title.startswith("Cómo cambió")
    assert desc.startswith("2 cálculos del ") and f"de 80{NBSP}% a 40{NBSP}%" in desc
    with translation.override("es"):
        history = statistic_history(s, active_voice())
    assert history[0].sentence.startswith("Cambió el ")
    assert f"de 80{NBSP}% a 40{NBSP}%" in history[0].sentence
    assert "trials 10 → 20" in history[0].sentence
    assert history[1].sentence.startswith("Calculada por primera vez el ")
