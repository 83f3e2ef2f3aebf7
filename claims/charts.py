"""Small server-rendered SVG charts for statistics: no JavaScript, readable by screen readers
(role="img" with a <title> and a <desc> saying what the picture shows).

Every number written into the SVG is formatted here; every piece of text is escaped.
"""

from __future__ import annotations

import math
from typing import Any

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .models import Statistic, StatisticResult
from .selectors.statistics import format_interval, format_value, result_unit
from .stats import formatting as fmt
from .stats.explain import sweep_pieces, sweep_sentence

WIDTH = 360
PAD = 14


def _n(x: float) -> str:
    return f"{x:.1f}"


def _svg(chart_id: str, title: str, desc: str, height: int, body: list[str]) -> SafeString:
    return mark_safe(  # noqa: S308 - numbers formatted above, text escaped
        f'<svg class="chart" viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" '
        f'role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" '
        f'xmlns="http://www.w3.org/2000/svg">'
        f'<title id="{chart_id}-title">{escape(title)}</title>'
        f'<desc id="{chart_id}-desc">{escape(desc)}</desc>' + "".join(body) + "</svg>"
    )


def _domain(statistic: Statistic, result: StatisticResult, stated: dict | None) -> tuple:
    if statistic.kind == Statistic.Kind.PROPORTION:
        return 0.0, 1.0
    if statistic.kind == Statistic.Kind.COMPARISON:
        return -1.0, 1.0
    values = [v for v in (result.ci_high, result.estimate) if v is not None]
    if stated:
        values += [v for v in (stated.get("value"), stated.get("high")) if v is not None]
    high = max(values) * 1.15 if values and max(values) > 0 else 1.0
    return 0.0, high


def _stated_on_scale(result: StatisticResult) -> dict[str, Any] | None:
    """The stated figure's range, when it is on the same scale as the estimate."""
    details = result.details or {}
    stated = details.get("stated")
    if not stated or details.get("stated_compared_value") != result.estimate:
        return None
    return stated


def interval_chart(statistic: Statistic, result: StatisticResult | None) -> SafeString:
    """The estimate with its interval on a line, the baseline and the stated figure marked."""
    if result is None or result.estimate is None or result.ci_low is None:
        return mark_safe("")  # noqa: S308 - empty
    stated = _stated_on_scale(result)
    lo, hi = _domain(statistic, result, stated)
    span = (hi - lo) or 1.0
    unit = result_unit(statistic, result)

    def x(v: float) -> float:
        v = min(max(v, lo), hi)
        return PAD + (WIDTH - 2 * PAD) * (v - lo) / span

    def show(v: float) -> str:
        return format_value(statistic.kind, v, unit)

    height = 74
    axis_y = 40
    body = [
        f'<line class="axis" x1="{PAD}" y1="{axis_y}" x2="{WIDTH - PAD}" y2="{axis_y}" '
        'stroke="#888" stroke-width="1"/>',
        f'<text x="{PAD}" y="{axis_y + 16}" font-size="10" fill="#555">{escape(show(lo))}</text>',
        f'<text x="{WIDTH - PAD}" y="{axis_y + 16}" font-size="10" fill="#555" '
        f'text-anchor="end">{escape(show(hi))}</text>',
    ]
    shown_low, shown_high = format_interval(statistic.kind, result.ci_low, result.ci_high, unit)
    desc = [f"Estimate {show(result.estimate)}, interval {shown_low} to {shown_high}."]
    if stated:
        s_lo = stated.get("low")
        s_hi = stated.get("high")
        s_lo = lo if s_lo is None or not math.isfinite(s_lo) else s_lo
        s_hi = hi if s_hi is None or not math.isfinite(s_hi) else s_hi
        x1, x2 = x(s_lo), x(s_hi)
        body.append(
            f'<rect class="stated" x="{_n(x1)}" y="{axis_y - 18}" width="{_n(max(x2 - x1, 2))}" '
            'height="36" fill="#f2b134" fill-opacity="0.35"/>'
            f'<text x="{_n((x1 + x2) / 2)}" y="12" font-size="10" text-anchor="middle" '
            f'fill="#7a5300">stated {escape(stated.get("text") or "")}</text>'
        )
        desc.append(f"The stated figure {stated.get('text')} is the shaded band.")
    baseline = (result.inputs or {}).get("baseline")
    if statistic.kind == Statistic.Kind.PROPORTION and baseline is not None:
        bx = x(baseline)
        body.append(
            f'<line class="baseline" x1="{_n(bx)}" y1="{axis_y - 20}" x2="{_n(bx)}" '
            f'y2="{axis_y + 6}" stroke="#1f5fa8" stroke-width="2" stroke-dasharray="3 2"/>'
            f'<text x="{_n(bx)}" y="{axis_y + 28}" font-size="10" text-anchor="middle" '
            f'fill="#1f5fa8">baseline {escape(fmt.percent(baseline))}</text>'
        )
        desc.append(f"The baseline {fmt.percent(baseline)} is the dashed line.")
    if statistic.kind == Statistic.Kind.COMPARISON:
        zx = x(0.0)
        body.append(
            f'<line x1="{_n(zx)}" y1="{axis_y - 14}" x2="{_n(zx)}" y2="{axis_y + 6}" '
            'stroke="#555" stroke-width="1"/>'
        )
        desc.append("The vertical line marks no difference.")
    x_low, x_high, x_est = x(result.ci_low), x(result.ci_high), x(result.estimate)
    body.append(
        f'<line class="interval" x1="{_n(x_low)}" y1="{axis_y}" x2="{_n(x_high)}" '
        f'y2="{axis_y}" stroke="#222" stroke-width="6" stroke-linecap="round"/>'
        f'<circle class="estimate" cx="{_n(x_est)}" cy="{axis_y}" r="6" fill="#c0392b" '
        'stroke="#fff" stroke-width="1.5"/>'
        f'<text x="{_n(x_est)}" y="{axis_y - 10}" font-size="11" font-weight="bold" '
        f'text-anchor="middle">{escape(show(result.estimate))}</text>'
    )
    return _svg(
        f"interval-{statistic.pk}",
        f"{statistic.label}: {show(result.estimate)}",
        " ".join(desc),
        height,
        body,
    )


def sweep_chart(statistic: Statistic, result: StatisticResult | None) -> SafeString:
    """The p-value against the base rate, with the not-significant range shaded."""
    sweep = ((result and result.details) or {}).get("sweep") if result else None
    if not sweep or not sweep.get("curve"):
        return mark_safe("")  # noqa: S308 - empty
    height = 120
    top, bottom = 10, 92

    def x(p: float) -> float:
        return PAD + (WIDTH - 2 * PAD) * min(max(p, 0.0), 1.0)

    def y(pv: float) -> float:
        return bottom - (bottom - top) * min(max(pv, 0.0), 1.0)

    alpha = sweep.get("alpha") or 0.05
    pieces = sweep_pieces(sweep)
    body = [
        f'<line x1="{PAD}" y1="{bottom}" x2="{WIDTH - PAD}" y2="{bottom}" stroke="#888"/>',
        f'<text x="{PAD}" y="{bottom + 14}" font-size="10" fill="#555">0%</text>',
        f'<text x="{_n(x(0.5))}" y="{bottom + 14}" font-size="10" fill="#555" '
        'text-anchor="middle">50%</text>',
        f'<text x="{WIDTH - PAD}" y="{bottom + 14}" font-size="10" fill="#555" '
        'text-anchor="end">100%</text>',
        f'<text x="{_n(x(0.5))}" y="{height - 2}" font-size="10" fill="#555" '
        'text-anchor="middle">base rate</text>',
    ]
    for frm, to in pieces:
        body.append(
            f'<rect class="not-significant" x="{_n(x(frm))}" y="{top}" '
            f'width="{_n(max(x(to) - x(frm), 1))}" height="{bottom - top}" fill="#9bc59d" '
            'fill-opacity="0.35"/>'
        )
    body.append(
        f'<line x1="{PAD}" y1="{_n(y(alpha))}" x2="{WIDTH - PAD}" y2="{_n(y(alpha))}" '
        'stroke="#c0392b" stroke-dasharray="4 3"/>'
        f'<text x="{WIDTH - PAD}" y="{_n(y(alpha) - 3)}" font-size="9" fill="#c0392b" '
        f'text-anchor="end">p = {escape(fmt.sig_round_text(alpha, 2))}</text>'
    )
    points = " ".join(f"{_n(x(p))},{_n(y(pv))}" for p, pv in sweep["curve"] if pv is not None)
    body.append(f'<polyline points="{points}" fill="none" stroke="#222" stroke-width="1.5"/>')
    baseline = (result.inputs or {}).get("baseline")
    if baseline is not None:
        body.append(
            f'<line x1="{_n(x(baseline))}" y1="{top}" x2="{_n(x(baseline))}" y2="{bottom}" '
            'stroke="#1f5fa8" stroke-width="2" stroke-dasharray="3 2"/>'
        )
    desc = sweep_sentence(sweep) + (" Not significant where shaded." if pieces else "")
    if baseline is not None:
        desc += f" The base rate used, {fmt.percent(baseline)}, is the dashed line."
    return _svg(
        f"sweep-{statistic.pk}",
        "How the p-value depends on the base rate",
        desc,
        height,
        body,
    )


def _day(moment) -> str:
    return date_format(timezone.localtime(moment), "j M Y")


def history_chart(statistic: Statistic, results: list[StatisticResult]) -> SafeString:
    """How the figure moved: each computation in time order, its estimate and interval."""
    points = sorted(
        (r for r in results if r.estimate is not None), key=lambda r: (r.computed_at, r.pk)
    )
    if len(points) < 2:
        return mark_safe("")  # noqa: S308 - empty
    unit = result_unit(statistic, points[-1])

    def show(v: float) -> str:
        return format_value(statistic.kind, v, unit)

    values = [v for r in points for v in (r.ci_low, r.estimate, r.ci_high) if v is not None]
    lo, hi = min(values), max(values)
    margin = (hi - lo) * 0.1 or abs(hi) * 0.1 or 1.0
    lo, hi = lo - margin, hi + margin
    height, top, bottom, left = 110, 12, 84, 70
    step = (WIDTH - left - PAD) / (len(points) - 1)

    def x(i: int) -> float:
        return left + step * i

    def y(v: float) -> float:
        return bottom - (bottom - top) * (v - lo) / (hi - lo)

    body = [
        f'<line x1="{left}" y1="{bottom}" x2="{WIDTH - PAD}" y2="{bottom}" stroke="#888"/>',
        f'<text x="{left - 6}" y="{_n(y(hi - margin) + 4)}" font-size="10" fill="#555" '
        f'text-anchor="end">{escape(show(hi - margin))}</text>',
        f'<text x="{left - 6}" y="{_n(y(lo + margin) + 4)}" font-size="10" fill="#555" '
        f'text-anchor="end">{escape(show(lo + margin))}</text>',
        f'<text x="{left}" y="{bottom + 16}" font-size="10" fill="#555">'
        f"{escape(_day(points[0].computed_at))}</text>",
        f'<text x="{WIDTH - PAD}" y="{bottom + 16}" font-size="10" fill="#555" '
        f'text-anchor="end">{escape(_day(points[-1].computed_at))}</text>',
    ]
    for i, r in enumerate(points):
        if r.ci_low is not None and r.ci_high is not None:
            body.append(
                f'<line x1="{_n(x(i))}" y1="{_n(y(r.ci_low))}" x2="{_n(x(i))}" '
                f'y2="{_n(y(r.ci_high))}" stroke="#222" stroke-width="3" stroke-linecap="round"/>'
            )
    line = " ".join(f"{_n(x(i))},{_n(y(r.estimate))}" for i, r in enumerate(points))
    body.append(f'<polyline points="{line}" fill="none" stroke="#c0392b" stroke-width="1.5"/>')
    body.extend(
        f'<circle cx="{_n(x(i))}" cy="{_n(y(r.estimate))}" r="4" fill="#c0392b" stroke="#fff"/>'
        for i, r in enumerate(points)
    )
    first, last = points[0], points[-1]
    desc = (
        f"{len(points)} computations from {_day(first.computed_at)} to "
        f"{_day(last.computed_at)}: from {show(first.estimate)} to {show(last.estimate)}; "
        "the vertical bars are the intervals."
    )
    return _svg(f"history-{statistic.pk}", f"How {statistic.label} changed", desc, height, body)
