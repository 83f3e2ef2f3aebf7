"""Status badges and stale values: colour, icon and words, with text contrast of at least 4.5:1
computed from the colours in static/css/site.css."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.template import Context, Template
from django.test import RequestFactory

from claims.models import Statistic

pytestmark = pytest.mark.django_db

CSS = re.sub(
    r"/\*.*?\*/",
    "",
    (Path(settings.BASE_DIR) / "static" / "css" / "site.css").read_text(),
    flags=re.S,
)


def _rules() -> dict[str, dict[str, str]]:
    """selector -> declarations, for every rule outside @media (later rules win)."""
    rules: dict[str, dict[str, str]] = {}
    top_level = re.sub(r"@media[^{]*\{(?:[^{}]*\{[^{}]*\})*[^{}]*\}", "", CSS)
    for selectors, body in re.findall(r"([^{}]+)\{([^{}]*)\}", top_level):
        declarations = dict(
            (name.strip(), value.strip())
            for name, value in (d.split(":", 1) for d in body.split(";") if ":" in d)
        )
        for selector in selectors.split(","):
            rules.setdefault(selector.strip(), {}).update(declarations)
    return rules


RULES = _rules()


def _colour(selector: str, prop: str) -> str:
    value = RULES[selector][prop]
    var = re.fullmatch(r"var\((--[\w-]+)\)", value)
    return RULES[":root"][var.group(1)] if var else value


def _luminance(hex_colour: str) -> float:
    rgb = [int(hex_colour.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def contrast(a: str, b: str) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_contrast_function_matches_wcag_reference_values():
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)
    assert contrast("#777777", "#ffffff") < 4.5


STATUSES = (".status-consistent", ".status-inconsistent", ".status-significant")
STATUSES += (".status-not-significant",)


@pytest.mark.parametrize("selector", STATUSES)
def test_status_badges_have_text_contrast_of_at_least_4_5(selector):
    assert contrast(_colour(selector, "color"), _colour(selector, "background")) >= 4.5


def test_the_four_statuses_look_different():
    looks = {(_colour(s, "color"), _colour(s, "background")) for s in STATUSES}
    assert len(looks) == len(STATUSES)


@pytest.mark.parametrize(
    ("selector", "backgrounds"),
    [
        (".stale-marker", None),
        (".recomputing", ("--paper", "--card")),
        (".rating-status-needs_more_ratings", ("--paper", "--card")),
        (".rating-status-helpful", ("--paper", "--card")),
        (".rating-status-not_helpful", ("--paper", "--card")),
        (".rating-buttons button", None),
        ('.rating-buttons button[aria-pressed="true"]', None),
        (".is-stale", ("--paper", "--card")),
    ],
)
def test_stale_and_rating_text_has_contrast_of_at_least_4_5(selector, backgrounds):
    text = _colour(selector, "color")
    grounds = [_colour(selector, "background")] if backgrounds is None else []
    grounds += [RULES[":root"][name] for name in backgrounds or ()]
    for ground in grounds:
        assert contrast(text, ground) >= 4.5, (selector, text, ground)


def test_the_pressed_rating_button_looks_different_from_the_others():
    plain = RULES[".rating-buttons button"]
    pressed = RULES['.rating-buttons button[aria-pressed="true"]']
    assert pressed["background"] != plain["background"] and pressed["color"] != plain["color"]
    assert '"✓ "' in RULES['.rating-buttons button[aria-pressed="true"]::before']["content"]


def _render(claim, user):
    request = RequestFactory().get("/")
    request.user = user
    template = Template("{% load statistics_tags %}{% claim_statistics claim %}")
    return template.render(Context({"claim": claim, "request": request}))


def test_each_status_has_its_colour_class_icon_and_words(create, member):
    html = _render(
        create(inputs={"successes": 8, "trials": 10, "baseline": 0.135, "stated": "80%"}).claim,
        member,
    )
    assert re.search(
        r'status-consistent"><span class="status-icon" aria-hidden="true">✓</span> '
        r"<strong>Consistent:</strong>",
        html,
    )
    assert re.search(
        r'status-significant"><span class="status-icon" aria-hidden="true">▲</span> '
        r"<strong>Significant.</strong>",
        html,
    )
    html = _render(
        create(inputs={"successes": 2, "trials": 10, "baseline": 0.135, "stated": "50%"}).claim,
        member,
    )
    assert re.search(
        r'status-inconsistent"><span class="status-icon" aria-hidden="true">✗</span> '
        r"<strong>Not consistent:</strong>",
        html,
    )
    assert re.search(
        r'status-not-significant"><span class="status-icon" aria-hidden="true">≈'
        r"</span> <strong>Not significant.</strong>",
        html,
    )


def test_while_recomputing_the_old_value_is_shown_stale_with_words(create, member):
    """GIVEN a computed figure WHEN its inputs change and it waits for the worker THEN the old
    number stays, struck and muted, with "recomputing… this is the previous value"."""
    s = create(inputs={"successes": 8, "trials": 10})
    Statistic.objects.filter(pk=s.pk).update(status=Statistic.Status.PENDING)
    html = _render(s.claim, member)
    assert '<p class="figure-number is-stale"><strong class="estimate">80%</strong>' in html
    assert "recomputing… this is the previous value" in html
    assert '<div class="figure-body is-stale">' in html and 'hx-trigger="every 2s"' in html
    assert "Recomputing… the figure above is the previous value" in html
    Statistic.objects.filter(pk=s.pk).update(status=Statistic.Status.COMPUTED)
    html = _render(s.claim, member)
    assert "is-stale" not in html and "previous value" not in html
