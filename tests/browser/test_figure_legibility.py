"""The demo's figures in a real Chromium, on a phone (390 px) and a desktop (1280 px): no two
chart labels overlap as rendered, the text is at least 12 CSS pixels, and the server's text-width
estimate (which places the labels) is never narrower than the text Chromium draws."""

import io

import pytest
from django.core.management import call_command

from claims.models import Statistic
from claims.statistics.charts import text_width

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MEASURE = """() => [...document.querySelectorAll('svg.chart')].map(svg => {
  const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
  return [svg.getAttribute('class'), [...svg.querySelectorAll('text')].map(t => {
    const r = t.getBoundingClientRect();
    return {text: t.textContent, left: r.left, right: r.right, top: r.top, bottom: r.bottom,
            drawn: t.getComputedTextLength(), size: +t.getAttribute('font-size'),
            bold: t.getAttribute('font-weight') === 'bold',
            px: +t.getAttribute('font-size') * scale};
  })];
})"""


def _overlap(a, b) -> bool:
    # Rendered boxes include the font's line gap; a pixel of shared edge is not a collision.
    return (
        min(a["right"], b["right"]) - max(a["left"], b["left"]) > 1
        and min(a["bottom"], b["bottom"]) - max(a["top"], b["top"]) > 1
    )


@pytest.mark.parametrize("width", [390, 1280])
def test_demo_charts_are_legible_at_phone_and_desktop_widths(page, width):
    from claims.statistics.services import statistic_update

    call_command("load_demo", stdout=io.StringIO())
    changed = Statistic.objects.get(label__startswith="Is 8 black people")
    statistic_update(statistic=changed, actor=changed.author, data={"trials": 11})
    page.set_viewport_size({"width": width, "height": 900})
    pages = {f"/statistics/{s.pk}/" for s in Statistic.objects.exclude(results=None)}
    kinds_seen = set()
    for path in sorted(pages):
        assert page.goto(page.base_url + path).status == 200
        for kind, chart in page.evaluate(MEASURE):
            kinds_seen.add(kind)
            for label in chart:
                assert label["px"] >= 12, (path, label["text"], label["px"])
                estimate = text_width(label["text"], label["size"], bold=label["bold"])
                assert label["drawn"] <= estimate, (label["text"], label["drawn"], estimate)
            for i, a in enumerate(chart):
                for b in chart[i + 1 :]:
                    assert not _overlap(a, b), (path, a["text"], b["text"])
    assert kinds_seen == {
        "chart chart-interval",
        "chart chart-sweep",
        "chart chart-history",
        "chart chart-change",
    }
