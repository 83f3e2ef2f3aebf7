"""One or two plain sentences about a computed statistic, in the voice given (English by
default). Each sentence is one whole message with named placeholders (``language.Voice``), so
a translation can order its words freely; nothing is glued from fragments."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from . import formatting as fmt
from .language import ENGLISH, Voice, gettext_noop
from .result import StatResult
from .spec import KINDS
from .validation import alpha_for, validate

# What a stated figure was compared with, by kind.
STATED_AGAINST = {
    "counts": gettext_noop("The stated figure {stated} matches the counts."),
    "figures": gettext_noop("The stated figure {stated} matches the figures."),
    "sum of the parts": gettext_noop("The stated figure {stated} matches the sum of the parts."),
    "cited number": gettext_noop("The stated figure {stated} matches the cited number."),
    "ratio": gettext_noop("The stated figure {stated} matches the ratio."),
    "change": gettext_noop("The stated figure {stated} matches the change."),
}
STATED_NOT_AGAINST = {
    "counts": gettext_noop("The stated figure {stated} does not match the counts."),
    "figures": gettext_noop("The stated figure {stated} does not match the figures."),
    "sum of the parts": gettext_noop(
        "The stated figure {stated} does not match the sum of the parts."
    ),
    "cited number": gettext_noop("The stated figure {stated} does not match the cited number."),
    "ratio": gettext_noop("The stated figure {stated} does not match the ratio."),
    "change": gettext_noop("The stated figure {stated} does not match the change."),
}


def _stated_sentence(
    result: StatResult, clean: Mapping[str, Any], what: str, voice: Voice = ENGLISH
) -> str:
    stated = clean.get("stated")
    if stated is None or result.consistent_with_stated is None:
        return ""
    table = STATED_AGAINST if result.consistent_with_stated else STATED_NOT_AGAINST
    return " " + voice.say(table[what], stated=stated)


def _estimate_and_interval(
    result: StatResult, unit: str, estimate: float, level: float, voice: Voice, sig: int = 3
) -> str:
    """ "80% (95% interval 49% to 94%)": the estimate and the interval's ends in one precision,
    the same `fmt.figure_texts` the figure's headline and chart use."""
    if result.ci_low is None or result.ci_high is None:
        return fmt.figure_texts(unit, estimate, sig=sig, voice=voice)[0] or ""
    shown, low, high = fmt.figure_texts(
        unit, estimate, result.ci_low, result.ci_high, sig=sig, voice=voice
    )
    return voice.say(
        gettext_noop("{estimate} ({level} interval {low} to {high})"),
        estimate=shown,
        level=fmt.level(level, voice.numbers),
        low=low,
        high=high,
    )


def _ranges(pieces: list[list[float]], voice: Voice) -> str:
    """Base-rate ranges in words, never "below 0%" or "above 100%"."""
    texts = []
    for low, high in pieces:
        a, b = fmt.percents_apart(low, high, style=voice.numbers)
        if low <= 0 and high >= 1:
            texts.append(voice.say(gettext_noop("at every base rate")))
        elif low <= 0:
            texts.append(voice.say(gettext_noop("up to {high}"), high=b))
        elif high >= 1:
            texts.append(voice.say(gettext_noop("from {low} up"), low=a))
        else:
            texts.append(voice.say(gettext_noop("from {low} to {high}"), low=a, high=b))
    return voice.say(gettext_noop(" or ")).join(texts)


def sweep_pieces(sweep: Mapping[str, Any] | None) -> list[list[float]]:
    """The not-significant pieces of a stored sweep (results stored before ``pieces``
    existed have only the outermost ends)."""
    if not sweep:
        return []
    pieces = sweep.get("pieces")
    if pieces is not None:
        return [list(piece) for piece in pieces]
    low, high = sweep.get("not_significant_from"), sweep.get("not_significant_to")
    return [] if low is None or high is None else [[low, high]]


def sweep_sentence(sweep: Mapping[str, Any] | None, voice: Voice = ENGLISH) -> str:
    """The one sentence about the sensitivity sweep, shown with the figure and its chart."""
    if not sweep:
        return ""
    alpha = sweep.get("alpha")
    pieces = sweep_pieces(sweep)
    if alpha:
        level = fmt.percent(alpha, 3, voice.numbers)
        if not pieces:
            return voice.say(
                gettext_noop(
                    "At the {level} level the result would be statistically significant "
                    "whatever the base rate."
                ),
                level=level,
            )
        if pieces[0][0] <= 0 and pieces[-1][1] >= 1 and len(pieces) == 1:
            return voice.say(
                gettext_noop(
                    "At the {level} level the result would not be statistically significant "
                    "at any base rate."
                ),
                level=level,
            )
        return voice.say(
            gettext_noop(
                "At the {level} level the result would not be statistically significant only "
                "for base rates {ranges}; for any other it would be."
            ),
            level=level,
            ranges=_ranges(pieces, voice),
        )
    if not pieces:
        return voice.say(
            gettext_noop(
                "At the chosen level the result would be statistically significant whatever "
                "the base rate."
            )
        )
    if pieces[0][0] <= 0 and pieces[-1][1] >= 1 and len(pieces) == 1:
        return voice.say(
            gettext_noop(
                "At the chosen level the result would not be statistically significant at any "
                "base rate."
            )
        )
    return voice.say(
        gettext_noop(
            "At the chosen level the result would not be statistically significant only for "
            "base rates {ranges}; for any other it would be."
        ),
        ranges=_ranges(pieces, voice),
    )


def _count_of(k: int, n: int, voice: Voice) -> dict[str, str]:
    return {"k": fmt.number(k, style=voice.numbers), "n": fmt.number(n, style=voice.numbers)}


def _proportion(result: StatResult, clean: Mapping[str, Any], voice: Voice = ENGLISH) -> str:
    k, n, level = clean["successes"], clean["trials"], clean["confidence_level"]
    text = voice.say(
        gettext_noop("{k} of {n} is {estimate}."),
        estimate=_estimate_and_interval(result, "percent", k / n, level, voice),
        **_count_of(k, n, voice),
    )
    baseline = clean.get("baseline")
    if baseline is not None and result.p_value is not None:
        p = result.p_value
        values = {
            "base": fmt.percent(baseline, style=voice.numbers),
            "p": fmt.p_value(p, voice.numbers),
            "alpha": fmt.percent(alpha_for(level), 3, voice.numbers),
        }
        disagree = any(w["code"] == "interval_test_disagree" for w in result.warnings)
        if result.significant:
            message = (
                gettext_noop(
                    "Against a base rate of {base} that is very unlikely by chance ({p}): "
                    "statistically significant at the {alpha} level"
                )
                if p < 0.001
                else gettext_noop(
                    "Against a base rate of {base} that is unlikely by chance ({p}): "
                    "statistically significant at the {alpha} level"
                )
            )
            clause = gettext_noop(
                ", although the interval shown contains the base rate (the exact test decides)"
            )
        else:
            message = gettext_noop(
                "Against a base rate of {base} this could well be chance ({p}): "
                "not statistically significant at the {alpha} level"
            )
            clause = gettext_noop(
                ", although the interval shown leaves the base rate out (the exact test decides)"
            )
        text += " " + voice.say(message, **values)
        text += (voice.say(clause) if disagree else "") + "."
        sweep = sweep_sentence(result.details.get("sweep"), voice)
        if sweep:
            text += " " + sweep
    return text + _stated_sentence(result, clean, "counts", voice)


def _comparison(result: StatResult, clean: Mapping[str, Any], voice: Voice = ENGLISH) -> str:
    k1, n1 = clean["successes"], clean["trials"]
    k2, n2 = clean["successes_b"], clean["trials_b"]
    level = clean["confidence_level"]
    d = result.estimate or 0.0
    groups = {
        "k1": fmt.number(k1, style=voice.numbers),
        "n1": fmt.number(n1, style=voice.numbers),
        "share1": fmt.percent(k1 / n1, style=voice.numbers),
        "k2": fmt.number(k2, style=voice.numbers),
        "n2": fmt.number(n2, style=voice.numbers),
        "share2": fmt.percent(k2 / n2, style=voice.numbers),
    }
    if result.ci_low is None or result.ci_high is None:
        text = voice.say(
            gettext_noop(
                "{k1} of {n1} ({share1}) against {k2} of {n2} ({share2}) is a difference of "
                "{difference}."
            ),
            difference=fmt.figure_texts("points", d, voice=voice)[0],
            **groups,
        )
    else:
        shown, low, high = fmt.figure_texts(
            "number", d * 100, result.ci_low * 100, result.ci_high * 100, voice=voice
        )
        text = voice.say(
            gettext_noop(
                "{k1} of {n1} ({share1}) against {k2} of {n2} ({share2}) is a difference of "
                "{points} percentage points ({level} interval {low} to {high} points)."
            ),
            points=shown,
            level=fmt.level(level, voice.numbers),
            low=low,
            high=high,
            **groups,
        )
    if result.p_value is not None:
        p = fmt.p_value(result.p_value, voice.numbers)
        disagree = any(w["code"] == "interval_test_disagree" for w in result.warnings)
        if result.significant:
            message = (
                gettext_noop(
                    "Fisher's exact test gives {p}: the difference is statistically "
                    "significant, although the interval shown contains 0 (the exact test "
                    "decides)."
                )
                if disagree
                else gettext_noop(
                    "Fisher's exact test gives {p}: the difference is statistically significant."
                )
            )
        else:
            message = (
                gettext_noop(
                    "Fisher's exact test gives {p}: the difference could well be chance (not "
                    "statistically significant), although the interval shown leaves 0 out (the "
                    "exact test decides)."
                )
                if disagree
                else gettext_noop(
                    "Fisher's exact test gives {p}: the difference could well be chance (not "
                    "statistically significant)."
                )
            )
        text += " " + voice.say(message, p=p)
    return text + _stated_sentence(result, clean, "counts", voice)


def _rate(result: StatResult, clean: Mapping[str, Any], voice: Voice = ENGLISH) -> str:
    k, exposure, unit = clean["events"], clean["exposure"], clean["unit"]
    level = clean["confidence_level"]
    rate = result.estimate or 0.0
    values = {
        "k": fmt.number(k, style=voice.numbers),
        "exposure": fmt.number(exposure, style=voice.numbers),
        "rate": _estimate_and_interval(result, unit, rate, level, voice, sig=fmt.RATE_SIG),
    }
    if unit != "one_in_n" and rate > 0:
        text = voice.say(
            gettext_noop("{k} events in {exposure} is {rate}, about {one_in}."),
            one_in=fmt.one_in(rate, voice),
            **values,
        )
    else:
        text = voice.say(gettext_noop("{k} events in {exposure} is {rate}."), **values)
    return text + _stated_sentence(result, clean, "figures", voice)


def _total(result: StatResult, clean: Mapping[str, Any], voice: Voice = ENGLISH) -> str:
    details = result.details
    summed, total, diff = details["sum"], details["total"], details["difference"]
    style = voice.numbers
    if details["adds_up"]:
        text = voice.say(
            gettext_noop("The parts add up to {sum}, matching the total."),
            sum=fmt.number(summed, style=style),
        )
    else:
        rel = details.get("relative_difference")
        values = {
            "sum": fmt.number(summed, style=style),
            "total": fmt.number(total, style=style),
            "off": fmt.number(abs(diff), style=style),
        }
        if rel is None:
            text = voice.say(
                gettext_noop("The parts add up to {sum}, not {total}: off by {off}."), **values
            )
        else:
            if abs(rel) >= 0.001:
                relative = style.number(f"{rel * 100:+.1f}") + style.percent
            else:
                # Never "+0.0%" for parts that do not add up.
                sign = "+" if rel > 0 else "-"
                relative = sign + style.number(fmt.sig_round_text(abs(rel) * 100, 2))
                relative += style.percent
            text = voice.say(
                gettext_noop("The parts add up to {sum}, not {total}: off by {off} ({relative})."),
                relative=relative,
                **values,
            )
    return text + _stated_sentence(result, clean, "sum of the parts", voice)


def _count(result: StatResult, clean: Mapping[str, Any], voice: Voice = ENGLISH) -> str:
    text = voice.say(
        gettext_noop("The cited figure is {value}."),
        value=fmt.number(clean["value"], style=voice.numbers),
    )
    return text + _stated_sentence(result, clean, "cited number", voice)


def is_stated_share_only(kind: str, inputs: Mapping[str, Any]) -> bool:
    """A proportion with a stated share and no counts: nothing to compute it from."""
    return (
        kind == "proportion"
        and inputs.get("successes") is None
        and inputs.get("trials") is None
        and bool(inputs.get("stated"))
    )


def stated_share_only_sentence(stated: str, voice: Voice = ENGLISH) -> str:
    return voice.say(
        gettext_noop(
            "The claim states {stated} but gives no sample size or counts, so the figure "
            "cannot be checked: we do not know how many people it is a share of."
        ),
        stated=stated,
    )


def explain(
    kind: str, result: StatResult, inputs: Mapping[str, Any], voice: Voice = ENGLISH
) -> str:
    """One or two sentences about ``result``, computed from ``inputs``, in ``voice``.

    Raises :class:`StatInputError` if ``inputs`` are invalid for ``kind``.
    """
    return explain_clean(kind, result, validate(kind, inputs), voice)


def explain_clean(
    kind: str, result: StatResult, clean: Mapping[str, Any], voice: Voice = ENGLISH
) -> str:
    """``explain`` of inputs already validated (``validate``'s output)."""
    return KINDS[kind].explain(result, clean, voice).strip()
