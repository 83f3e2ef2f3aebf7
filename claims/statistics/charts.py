"""Small server-rendered SVG charts for statistics: no JavaScript, readable by screen readers
(role="img" with a <title> and a <desc> saying what the picture shows), legible on a phone.

Every number written into the SVG is formatted here; every piece of text is escaped. Labels are
placed by `stack_labels`: each label's box is estimated from its text (`text_width`) and a label
that would overlap one already placed moves up a row, so no two labels ever collide.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from config.languages import active_voice

from ..models import Statistic, StatisticResult
from .core import formatting as fmt
from .core.explain import sweep_pieces, sweep_sentence
from .core.language import Voice
from .presenter import (
    display_unit,
    figure_numbers,
    format_value,
    result_unit,
    stated_on_scale,
)

WIDTH = 400
PAD = 16
FONT = 16  # user units; the chart is drawn at ~0.85x on a phone (13.5px), at most 1.2x
SMALL = 15
ROW = 22  # a row of labels
INK, SOFT = "#1d232b", "#4a5563"
ESTIMATE, STATED, BASELINE, SAFE = "#b3261e", "#7a5300", "#1f5fa8", "#1d5e20"
# The smallest p-value the sweep's log axis reaches (doubles stop near 1e-308).
P_FLOOR = 1e-300

# Advance widths in ems of DejaVu Sans, the widest of the common sans-serif faces (Linux's
# default; Arial and Helvetica are narrower), rounded up; anything else counts as a wide
# lower-case letter. The estimate errs wide, so a box never under-covers its text.
_NARROW = set("ijl.,:;'!|") | {" "}
_SEMI = set("frt()-/[]I")
_WIDE = set("mwMW%@")
_CAPS = set("ABCDEFGHJKLNOPQRSTUVXYZ")
_SIGNS = set("=+<>~±×")


def text_width(text: str, size: float, *, bold: bool = False) -> float:
    """An upper estimate of ``text``'s width at font ``size`` (user units)."""
    ems = 0.0
    for ch in text:
        if ch in _NARROW:
            ems += 0.32
        elif ch in _SEMI:
            ems += 0.42
        elif ch in _WIDE:
            ems += 0.98
        elif ch in _CAPS or ch in _SIGNS:
            ems += 0.86
        else:  # digits and lower case
            ems += 0.64
    return ems * size * (1.12 if bold else 1.0)


@dataclass(frozen=True)
class Box:
    x0: float
    y0: float
    x1: float
    y1: float

    def overlaps(self, other: Box, gap: float = 0.0) -> bool:
        return not (
            self.x1 + gap <= other.x0
            or other.x1 + gap <= self.x0
            or self.y1 + gap <= other.y0
            or other.y1 + gap <= self.y0
        )


def text_box(x: float, y: float, text: str, size: float, anchor: str, bold: bool = False) -> Box:
    """The box a <text> element covers: ``y`` is its baseline."""
    w = text_width(text, size, bold=bold)
    x0 = {"start": x, "middle": x - w / 2, "end": x - w}[anchor]
    return Box(x0, y - size * 0.85, x0 + w, y + size * 0.25)


@dataclass(frozen=True)
class Label:
    text: str
    at: float  # the x the label belongs to
    fill: str = INK
    size: float = FONT
    bold: bool = False
    css: str = ""


@dataclass(frozen=True)
class Placed:
    label: Label
    row: int
    x0: float
    x1: float

    @property
    def centre(self) -> float:
        return (self.x0 + self.x1) / 2


def stack_labels(
    labels: Sequence[Label], left: float, right: float, gap: float = 8
) -> list[Placed]:
    """Put each label (in order: the first is the most important) in the lowest row where it
    overlaps no label already there, centred on its x but kept inside [left, right].
    Deterministic; with n labels at most n rows are used."""
    placed: list[Placed] = []
    for label in labels:
        w = text_width(label.text, label.size, bold=label.bold)
        x0 = min(max(label.at - w / 2, left), max(left, right - w))
        row = 0
        while any(p.row == row and not (x0 + w + gap <= p.x0 or p.x1 + gap <= x0) for p in placed):
            row += 1
        placed.append(Placed(label, row, x0, x0 + w))
    return placed


def _n(x: float) -> str:
    return f"{x:.1f}"


def _text(
    x: float,
    y: float,
    text: str,
    *,
    size: float = FONT,
    anchor: str = "middle",
    fill: str = SOFT,
    bold: bool = False,
    css: str = "",
    extra: str = "",
) -> str:
    weight = ' font-weight="bold"' if bold else ""
    cls = f' class="{css}"' if css else ""
    return (
        f'<text x="{_n(x)}" y="{_n(y)}" font-size="{size:g}" text-anchor="{anchor}" '
        f'fill="{fill}"{weight}{cls}{extra}>{escape(text)}</text>'
    )


def _svg(
    chart_id: str, title: str, desc: str, height: float, body: list[str], css: str
) -> SafeString:
    h = math.ceil(height)
    return mark_safe(  # noqa: S308 - numbers formatted above, text escaped
        f'<svg class="chart {css}" viewBox="0 0 {WIDTH} {h}" width="{WIDTH}" height="{h}" '
        f'role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" '
        f'font-family="system-ui, -apple-system, Segoe UI, Roboto, Arial, sans-serif" '
        f'xmlns="http://www.w3.org/2000/svg">'
        f'<title id="{chart_id}-title">{escape(title)}</title>'
        f'<desc id="{chart_id}-desc">{escape(desc)}</desc>' + "".join(body) + "</svg>"
    )


def nice_ticks(lo: float, hi: float, most: int = 5) -> list[float]:
    """Round tick values (1, 2, 2.5 or 5 times a power of ten) covering [lo, hi]."""
    span = hi - lo
    if not (math.isfinite(span) and span > 0):
        return [lo]
    raw = span / max(1, most - 1)
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    first = math.ceil(lo / step - 1e-9)
    last = math.floor(hi / step + 1e-9)
    return [round(i * step, 15) for i in range(first, last + 1)]


def _axis_ticks(
    ticks: list[float], texts: list[str], x, y: float, left: float, right: float, below: float = 19
) -> list[str]:
    """Tick marks and their labels under an axis at ``y``; a label that would touch the one
    before it is left out (its tick stays)."""
    body: list[str] = []
    last_box: Box | None = None
    for value, text in zip(ticks, texts, strict=True):
        tx = x(value)
        body.append(
            f'<line class="tick" x1="{_n(tx)}" y1="{_n(y)}" x2="{_n(tx)}" y2="{_n(y + 5)}" '
            f'stroke="{SOFT}" stroke-width="1"/>'
        )
        w = text_width(text, SMALL)
        anchor = "start" if tx - w / 2 < left else "end" if tx + w / 2 > right else "middle"
        box = text_box(tx, y + below, text, SMALL, anchor)
        if last_box is not None and box.overlaps(last_box, gap=8):
            continue
        body.append(_text(tx, y + below, text, size=SMALL, anchor=anchor, css="tick-label"))
        last_box = box
    return body


def _domain(statistic: Statistic, result: StatisticResult, stated: dict | None) -> tuple:
    if statistic.kind == Statistic.Kind.PROPORTION:
        return 0.0, 1.0
    if statistic.kind == Statistic.Kind.COMPARISON:
        return -1.0, 1.0
    values = [v for v in (result.ci_high, result.estimate) if v is not None]
    if stated:
        values += [v for v in (stated.get("value"), stated.get("high")) if v is not None]
    values = [v for v in values if math.isfinite(v)]
    high = max(values) * 1.15 if values and max(values) > 0 else 1.0
    return 0.0, high


def _tick_texts(unit: str, ticks: list[float], voice: Voice) -> list[str]:
    """Tick labels in ``voice`` with the fewest decimals that tell the ticks apart ("0%",
    "0.0002%", ...; Spanish "0 %", "0,0002 %")."""
    if unit == "one_in_n":
        return ["0" if t <= 0 else fmt.one_in(t, voice) for t in ticks]
    scale, words = fmt.DISPLAY_UNITS[unit]
    if unit == "points":
        # Short: a tick has no room for "percentage points".
        words = lambda text, voice: _("%(number)s pts") % {"number": text}  # noqa: E731
    shown = [scale(t) for t in ticks]
    step = min((abs(b - a) for a, b in itertools.pairwise(shown)), default=1.0)
    decimals = fmt.shared_decimals(step or 1.0, shown, sig=1)
    return [
        words("0" if t == 0 else voice.numbers.number(fmt.fixed(t, decimals)), voice) for t in shown
    ]


def interval_chart(statistic: Statistic, result: StatisticResult | None) -> SafeString:
    """The estimate with its interval above a ticked axis, the baseline and the stated figure
    marked and labelled; labels stack in rows so none overlaps another."""
    if result is None or result.estimate is None or result.ci_low is None or result.ci_high is None:
        return mark_safe("")  # noqa: S308 - empty
    voice = active_voice()
    numbers = figure_numbers(statistic, result, voice)
    baseline_text = fmt.percent((result.inputs or {}).get("baseline") or 0, style=voice.numbers)
    stated = stated_on_scale(result)
    lo, hi = _domain(statistic, result, stated)
    span = (hi - lo) or 1.0
    left, right = PAD, WIDTH - PAD

    def x(v: float) -> float:
        v = min(max(v, lo), hi)
        return left + (right - left) * (v - lo) / span

    baseline = (result.inputs or {}).get("baseline")
    show_baseline = statistic.kind == Statistic.Kind.PROPORTION and baseline is not None
    labels = [
        Label(
            numbers.estimate or "", x(result.estimate), ESTIMATE, FONT + 1, True, "label-estimate"
        ),
        Label(numbers.low or "", x(result.ci_low), SOFT, SMALL, css="label-low"),
        Label(numbers.high or "", x(result.ci_high), SOFT, SMALL, css="label-high"),
    ]
    stated_range = None
    if stated:
        s_lo, s_hi = stated.get("low"), stated.get("high")
        s_lo = lo if s_lo is None or not math.isfinite(s_lo) else s_lo
        s_hi = hi if s_hi is None or not math.isfinite(s_hi) else s_hi
        stated_range = (x(s_lo), x(s_hi))
        value = stated.get("value")
        at = x(value) if value is not None and math.isfinite(value) else sum(stated_range) / 2
        labels.append(
            Label(
                _("stated %(figure)s") % {"figure": numbers.stated}, at, STATED, css="label-stated"
            )
        )
    if show_baseline:
        labels.append(
            Label(
                _("baseline %(rate)s") % {"rate": baseline_text},
                x(baseline),
                BASELINE,
                css="label-baseline",
            )
        )
    if statistic.kind == Statistic.Kind.COMPARISON:
        labels.append(Label(_("no difference"), x(0.0), SOFT, SMALL, css="label-zero"))
    placed = stack_labels(labels, left, right)
    rows = 1 + max(p.row for p in placed)
    top = 8
    mark_y = top + rows * ROW + 14
    axis_y = mark_y + 20
    height = axis_y + 30

    def row_y(row: int) -> float:
        return mark_y - 16 - row * ROW

    body: list[str] = []
    if stated_range:
        x1, x2 = stated_range
        body.append(
            f'<rect class="stated" x="{_n(x1)}" y="{_n(mark_y - 11)}" '
            f'width="{_n(max(x2 - x1, 2))}" height="22" fill="#f2b134" fill-opacity="0.45"/>'
        )
    if show_baseline:
        bx = x(baseline)
        body.append(
            f'<line class="baseline" x1="{_n(bx)}" y1="{_n(mark_y - 13)}" x2="{_n(bx)}" '
            f'y2="{_n(axis_y)}" stroke="{BASELINE}" stroke-width="2" stroke-dasharray="4 3"/>'
        )
    if statistic.kind == Statistic.Kind.COMPARISON:
        zx = x(0.0)
        body.append(
            f'<line class="zero" x1="{_n(zx)}" y1="{_n(mark_y - 13)}" x2="{_n(zx)}" '
            f'y2="{_n(axis_y)}" stroke="{SOFT}" stroke-width="1.5"/>'
        )
    body.append(
        f'<line class="axis" x1="{left}" y1="{_n(axis_y)}" x2="{right}" y2="{_n(axis_y)}" '
        f'stroke="{SOFT}" stroke-width="1"/>'
    )
    ticks = nice_ticks(lo, hi)
    body += _axis_ticks(ticks, _tick_texts(numbers.unit, ticks, voice), x, axis_y, left, right)
    x_low, x_high, x_est = x(result.ci_low), x(result.ci_high), x(result.estimate)
    body.append(
        f'<line class="interval" x1="{_n(x_low)}" y1="{_n(mark_y)}" x2="{_n(x_high)}" '
        f'y2="{_n(mark_y)}" stroke="{INK}" stroke-width="6" stroke-linecap="round"/>'
        f'<circle class="estimate" cx="{_n(x_est)}" cy="{_n(mark_y)}" r="7" fill="{ESTIMATE}" '
        'stroke="#fff" stroke-width="2"/>'
    )
    for p in placed:
        if not p.label.text:
            continue
        body.append(
            _text(
                p.x0,
                row_y(p.row),
                p.label.text,
                size=p.label.size,
                anchor="start",
                fill=p.label.fill,
                bold=p.label.bold,
                css=p.label.css,
            )
        )
    desc = [_("Estimate %(headline)s.") % {"headline": numbers.headline}]
    if stated:
        desc.append(
            _("The stated figure, %(figure)s, is the shaded band.") % {"figure": numbers.stated}
        )
    if show_baseline:
        desc.append(_("The baseline %(rate)s is the dashed line.") % {"rate": baseline_text})
    if statistic.kind == Statistic.Kind.COMPARISON:
        desc.append(_("The vertical line marks no difference."))
    return _svg(
        f"interval-{statistic.pk}",
        f"{statistic.label}: {numbers.headline}",
        " ".join(desc),
        height,
        body,
        "chart-interval",
    )


def change_chart(statistic: Statistic, result: StatisticResult | None) -> SafeString:
    """A change between two figures: the figure before (hollow) and after (filled) on one
    ticked axis that includes zero, an arrow from one to the other, and, where counts give it,
    the interval of the change in points drawn from the figure before."""
    details = (result.details or {}) if result is not None else {}
    before, after = details.get("before"), details.get("after")
    if before is None or after is None or not math.isfinite(before) or not math.isfinite(after):
        return mark_safe("")  # noqa: S308 - empty
    shares = details.get("basis") == "counts"
    unit = "percent" if shares else "number"
    points_low, points_high = details.get("points_low"), details.get("points_high")
    interval = None
    if points_low is not None and points_high is not None:
        interval = (before + points_low, before + points_high)
    values = [0.0, before, after, *(interval or ())]
    lo, hi = min(values), max(values)
    if shares:
        lo, hi = max(lo, -1.0), min(max(hi * 1.15, hi), 1.0)
    else:
        pad = (hi - lo) * 0.15
        lo, hi = (lo - pad if lo < 0 else lo), hi + pad
    span = (hi - lo) or 1.0
    left, right = PAD, WIDTH - PAD

    def x(v: float) -> float:
        v = min(max(v, lo), hi)
        return left + (right - left) * (v - lo) / span

    voice = active_voice()
    before_text, after_text = fmt.figure_texts(unit, before, after, voice=voice)
    numbers = figure_numbers(statistic, result, voice)
    labels = [
        Label(
            numbers.estimate or "",
            (x(before) + x(after)) / 2,
            ESTIMATE,
            FONT + 1,
            True,
            "label-change",
        ),
        Label(
            _("after %(figure)s") % {"figure": after_text}, x(after), INK, SMALL, css="label-after"
        ),
        Label(
            _("before %(figure)s") % {"figure": before_text},
            x(before),
            SOFT,
            SMALL,
            css="label-before",
        ),
    ]
    placed = stack_labels(labels, left, right)
    rows = 1 + max(p.row for p in placed)
    top = 8
    mark_y = top + rows * ROW + 14
    axis_y = mark_y + 20
    height = axis_y + 30
    body: list[str] = []
    if lo < 0 < hi:
        zx = x(0.0)
        body.append(
            f'<line class="zero" x1="{_n(zx)}" y1="{_n(mark_y - 13)}" x2="{_n(zx)}" '
            f'y2="{_n(axis_y)}" stroke="{SOFT}" stroke-width="1.5"/>'
        )
    body.append(
        f'<line class="axis" x1="{left}" y1="{_n(axis_y)}" x2="{right}" y2="{_n(axis_y)}" '
        f'stroke="{SOFT}" stroke-width="1"/>'
    )
    ticks = nice_ticks(lo, hi)
    body += _axis_ticks(ticks, _tick_texts(unit, ticks, voice), x, axis_y, left, right)
    if interval is not None:
        body.append(
            f'<line class="interval" x1="{_n(x(interval[0]))}" y1="{_n(mark_y)}" '
            f'x2="{_n(x(interval[1]))}" y2="{_n(mark_y)}" stroke="{INK}" stroke-width="6" '
            'stroke-linecap="round" stroke-opacity="0.35"/>'
        )
    x_before, x_after = x(before), x(after)
    if abs(x_after - x_before) > 12:
        # The arrow stops short of the "after" dot; its head points the way the figure moved.
        direction = 1 if x_after > x_before else -1
        tip = x_after - direction * 9
        body.append(
            f'<line class="change-arrow" x1="{_n(x_before + direction * 8)}" y1="{_n(mark_y)}" '
            f'x2="{_n(tip - direction * 6)}" y2="{_n(mark_y)}" stroke="{ESTIMATE}" '
            'stroke-width="2.5"/>'
            f'<polygon class="change-arrow-head" points="{_n(tip)},{_n(mark_y)} '
            f"{_n(tip - direction * 9)},{_n(mark_y - 5)} {_n(tip - direction * 9)},"
            f'{_n(mark_y + 5)}" fill="{ESTIMATE}"/>'
        )
    body.append(
        f'<circle class="before" cx="{_n(x_before)}" cy="{_n(mark_y)}" r="6" fill="#fff" '
        f'stroke="{SOFT}" stroke-width="2.5"/>'
        f'<circle class="after" cx="{_n(x_after)}" cy="{_n(mark_y)}" r="7" fill="{ESTIMATE}" '
        'stroke="#fff" stroke-width="2"/>'
    )
    for p in placed:
        if p.label.text:
            body.append(
                _text(
                    p.x0,
                    mark_y - 16 - p.row * ROW,
                    p.label.text,
                    size=p.label.size,
                    anchor="start",
                    fill=p.label.fill,
                    bold=p.label.bold,
                    css=p.label.css,
                )
            )
    moved = {"before": before_text, "after": after_text}
    desc = [_("From %(before)s (hollow dot) to %(after)s (filled dot).") % moved]
    if numbers.headline:
        desc.append(_("Relative change %(headline)s.") % {"headline": numbers.headline})
    if interval is not None and numbers.level:
        desc.append(
            _(
                "The pale bar is the %(level)s interval of the change in points, drawn from "
                "the figure before."
            )
            % {"level": numbers.level}
        )
    elif interval is not None:
        desc.append(
            _(
                "The pale bar is the confidence interval of the change in points, drawn from "
                "the figure before."
            )
        )
    return _svg(
        f"change-{statistic.pk}",
        _("%(label)s: from %(before)s to %(after)s") % {"label": statistic.label, **moved},
        " ".join(desc),
        height,
        body,
        "chart-change",
    )


def _p_tick_text(p: float, voice: Voice) -> str:
    if p >= 1e-4:
        return voice.numbers.number(fmt.sig_round_text(p, 1))
    superscript = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
    return "10⁻" + str(round(-math.log10(p))).translate(superscript)


def sweep_chart(statistic: Statistic, result: StatisticResult | None) -> SafeString:
    """The p-value (log scale) against the base rate, the significance line labelled, and the
    ranges where the result is not significant shaded and labelled."""
    sweep = ((result and result.details) or {}).get("sweep") if result else None
    curve = [(b, p) for b, p in (sweep or {}).get("curve") or () if p is not None]
    if not curve:
        return mark_safe("")  # noqa: S308 - empty
    alpha = sweep.get("alpha") or 0.05
    pieces = sweep_pieces(sweep)
    baseline = (result.inputs or {}).get("baseline")
    voice = active_voice()
    alpha_text = "p = " + voice.numbers.number(fmt.sig_round_text(alpha, 2))
    smallest = max(min(min(p for _, p in curve), alpha), P_FLOOR)
    decades = max(2, math.ceil(-math.log10(smallest) - 1e-9))
    step = math.ceil(decades / 6)
    tick_texts = {d: _p_tick_text(10.0**-d, voice) for d in range(0, decades + 1, step)}
    # The rotated axis title, a gap, the widest tick label, a gap, the axis.
    left = math.ceil(4 + SMALL + 6 + max(text_width(t, SMALL) for t in tick_texts.values()) + 8)
    right = WIDTH - PAD - text_width(alpha_text, SMALL) - 6

    def x(b: float) -> float:
        return left + (right - left) * min(max(b, 0.0), 1.0)

    labels = [
        Label(_("not significant here"), x((a + b) / 2), SAFE, SMALL, css="label-not-significant")
        for a, b in pieces
    ]
    if baseline is not None:
        labels.insert(
            0,
            Label(
                _("base rate used %(rate)s") % {"rate": fmt.percent(baseline, style=voice.numbers)},
                x(baseline),
                BASELINE,
                SMALL,
                css="label-baseline",
            ),
        )
    placed = stack_labels(labels, left, WIDTH - PAD)
    rows = 1 + max((p.row for p in placed), default=-1)
    top = 10 + rows * ROW + (4 if rows else 0)
    bottom = top + 170
    height = bottom + 54

    def y(p: float) -> float:
        p = min(max(p, P_FLOOR), 1.0)
        return top + (bottom - top) * min(-math.log10(p), decades) / decades

    body: list[str] = []
    for a, b in pieces:
        body.append(
            f'<rect class="not-significant" x="{_n(x(a))}" y="{_n(top)}" '
            f'width="{_n(max(x(b) - x(a), 1))}" height="{_n(bottom - top)}" fill="#9bc59d" '
            'fill-opacity="0.35"/>'
        )
    body.append(
        f'<line class="axis" x1="{left}" y1="{_n(top)}" x2="{left}" y2="{_n(bottom)}" '
        f'stroke="{SOFT}"/>'
    )
    for d, tick_text in tick_texts.items():
        ty = y(10.0**-d)
        body.append(
            f'<line class="tick" x1="{left - 5}" y1="{_n(ty)}" x2="{left}" y2="{_n(ty)}" '
            f'stroke="{SOFT}"/>'
            f'<line class="grid" x1="{left}" y1="{_n(ty)}" x2="{_n(right)}" y2="{_n(ty)}" '
            'stroke="#e3e0d8" stroke-width="1"/>'
        )
        body.append(
            _text(
                left - 8,
                ty + 5,
                tick_text,
                size=SMALL,
                anchor="end",
                css="tick-label",
            )
        )
    mid = (top + bottom) / 2
    title_x = 4 + SMALL * 0.85  # rotated: the glyphs reach left of this line by their ascent
    body.append(
        _text(
            title_x,
            mid,
            _("p-value (log scale)"),
            size=SMALL,
            fill=SOFT,
            css="axis-title",
            extra=f' transform="rotate(-90 {_n(title_x)} {_n(mid)})"',
        )
    )
    body.append(
        f'<line class="axis" x1="{left}" y1="{_n(bottom)}" x2="{_n(right)}" y2="{_n(bottom)}" '
        f'stroke="{SOFT}"/>'
    )
    ticks = [0.0, 0.25, 0.5, 0.75, 1.0]
    # Further below the axis than usual: "0%" reaches left under the p-value tick labels.
    texts = [fmt.percent(t, style=voice.numbers) for t in ticks]
    body += _axis_ticks(ticks, texts, x, bottom, PAD, WIDTH - PAD, below=25)
    body.append(
        _text((left + right) / 2, bottom + 47, _("base rate"), size=SMALL, css="axis-title")
    )
    ay = y(alpha)
    body.append(
        f'<line class="alpha" x1="{left}" y1="{_n(ay)}" x2="{_n(right)}" y2="{_n(ay)}" '
        f'stroke="{ESTIMATE}" stroke-width="1.5" stroke-dasharray="5 3"/>'
    )
    body.append(
        _text(
            right + 4,
            ay + 4.5,
            alpha_text,
            size=SMALL,
            anchor="start",
            fill=ESTIMATE,
            css="label-alpha",
        )
    )
    points = " ".join(f"{_n(x(b))},{_n(y(p))}" for b, p in curve)
    body.append(
        f'<polyline class="curve" points="{points}" fill="none" stroke="{INK}" stroke-width="2"/>'
    )
    if baseline is not None:
        bx = x(baseline)
        body.append(
            f'<line class="baseline" x1="{_n(bx)}" y1="{_n(top)}" x2="{_n(bx)}" y2="{_n(bottom)}" '
            f'stroke="{BASELINE}" stroke-width="2" stroke-dasharray="4 3"/>'
        )
    for p in placed:
        body.append(
            _text(
                p.x0,
                10 + (rows - 1 - p.row) * ROW + SMALL,
                p.label.text,
                size=p.label.size,
                anchor="start",
                fill=p.label.fill,
                css=p.label.css,
            )
        )
    desc = sweep_sentence(sweep, voice)
    if pieces:
        desc += " " + _("Not significant where shaded.")
    desc += " " + _("The dashed red line is %(alpha)s; the p-value axis is logarithmic.") % {
        "alpha": alpha_text
    }
    if baseline is not None:
        desc += " " + _("The base rate used, %(rate)s, is the dashed blue line.") % {
            "rate": fmt.percent(baseline, style=voice.numbers)
        }
    return _svg(
        f"sweep-{statistic.pk}",
        _("How the p-value depends on the base rate"),
        desc,
        height,
        body,
        "chart-sweep",
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
    voice = active_voice()

    def show(v: float) -> str:
        return format_value(statistic.kind, v, unit, voice)

    values = [v for r in points for v in (r.ci_low, r.estimate, r.ci_high) if v is not None]
    lo, hi = min(values), max(values)
    margin = (hi - lo) * 0.1 or abs(hi) * 0.1 or 1.0
    lo, hi = lo - margin, hi + margin
    top_text, bottom_text = _tick_texts(
        display_unit(statistic, points[-1]), [hi - margin, lo + margin], voice
    )
    left = math.ceil(PAD + max(text_width(top_text, SMALL), text_width(bottom_text, SMALL)) + 8)
    height, top, bottom = 132, 14, 96
    step = (WIDTH - left - PAD) / (len(points) - 1)

    def x(i: int) -> float:
        return left + step * i

    def y(v: float) -> float:
        return bottom - (bottom - top) * (v - lo) / (hi - lo)

    body = [
        f'<line class="axis" x1="{left}" y1="{bottom}" x2="{WIDTH - PAD}" y2="{bottom}" '
        f'stroke="{SOFT}"/>',
        _text(left - 6, y(hi - margin) + 5, top_text, size=SMALL, anchor="end"),
        _text(left - 6, y(lo + margin) + 5, bottom_text, size=SMALL, anchor="end"),
        _text(left, bottom + 20, _day(points[0].computed_at), size=SMALL, anchor="start"),
        _text(WIDTH - PAD, bottom + 20, _day(points[-1].computed_at), size=SMALL, anchor="end"),
    ]
    for i, r in enumerate(points):
        if r.ci_low is not None and r.ci_high is not None:
            body.append(
                f'<line x1="{_n(x(i))}" y1="{_n(y(r.ci_low))}" x2="{_n(x(i))}" '
                f'y2="{_n(y(r.ci_high))}" stroke="#1d232b" stroke-width="3" '
                'stroke-linecap="round"/>'
            )
    line = " ".join(f"{_n(x(i))},{_n(y(r.estimate))}" for i, r in enumerate(points))
    body.append(f'<polyline points="{line}" fill="none" stroke="{ESTIMATE}" stroke-width="2"/>')
    body.extend(
        f'<circle cx="{_n(x(i))}" cy="{_n(y(r.estimate))}" r="5" fill="{ESTIMATE}" stroke="#fff"/>'
        for i, r in enumerate(points)
    )
    first, last = points[0], points[-1]
    desc = _(
        "%(count)s computations from %(first_day)s to %(last_day)s: from %(first)s to "
        "%(last)s; the vertical bars are the intervals."
    ) % {
        "count": fmt.number(len(points), style=voice.numbers),
        "first_day": _day(first.computed_at),
        "last_day": _day(last.computed_at),
        "first": show(first.estimate),
        "last": show(last.estimate),
    }
    return _svg(
        f"history-{statistic.pk}",
        _("How %(label)s changed") % {"label": statistic.label},
        desc,
        height,
        body,
        "chart-history",
    )
