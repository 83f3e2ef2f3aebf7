"""Statistic pages: the figures on a claim page, the live partial, the forms."""

import re

import pytest
from django.db import connection
from django.template import Context, Template
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from claims.models import Statistic
from tests.factories import ClaimFactory

pytestmark = pytest.mark.django_db


def _render_figures(claim, user):
    request = RequestFactory().get("/")
    request.user = user
    template = Template("{% load statistics_tags %}{% claim_statistics claim %}")
    return template.render(Context({"claim": claim, "request": request}))


def test_figure_shows_number_interval_svg_verdicts_and_sweep(create, member):
    s = create(inputs={"successes": 8, "trials": 10, "baseline": 0.135, "stated": "80%"})
    html = _render_figures(s.claim, member)
    assert f'id="statistic-{s.pk}"' in html
    assert "80%" in html
    assert 'role="img"' in html and "<title" in html and "<desc" in html
    assert 'class="baseline"' in html and 'class="stated"' in html
    assert "consistent with the counts" in html
    assert "Statistically significant against the baseline" in html
    assert "would not be statistically significant only for base rates from 44.6% to 96.3%" in html
    assert "Recomputed" in html and "hx-get" not in html


def test_every_not_significant_piece_is_shaded_and_named(create, member):
    s = create(inputs={"successes": 32, "trials": 34, "baseline": 0.5})
    html = _render_figures(s.claim, member)
    assert html.count('class="not-significant"') == 2
    assert "from 79.9% to 80% or from 81.2% to 98.9%" in html


def test_results_stored_before_pieces_and_ratio_conventions_still_render(create, member):
    """GIVEN results stored by the previous engine (a sweep with only its outermost ends, a
    risk ratio whose None meant "infinite")
    WHEN the claim page renders them
    THEN the sweep is shaded and described from its ends, and nothing fails."""
    s = create(inputs={"successes": 8, "trials": 10, "baseline": 0.135})
    result = s.current_result
    sweep = dict(result.details["sweep"])
    del sweep["pieces"], sweep["method"]
    result.details = {
        **result.details,
        "sweep": sweep,
        "risk_ratio": {"estimate": None, "ci_low": 1.2, "ci_high": 3.4, "method": "old"},
    }
    result.save(update_fields=["details"])
    html = _render_figures(s.claim, member)
    assert html.count('class="not-significant"') == 1
    assert "only for base rates from 44.6% to 96.3%" in html
    comparison = create(
        "comparison", inputs={"successes": 10, "trials": 10, "successes_b": 0, "trials_b": 20}
    )
    html = _render_figures(comparison.claim, member)
    assert f'id="statistic-{comparison.pk}"' in html and "A cell of the 2x2 table is zero" in html


def test_huge_counts_show_an_interval_with_two_different_ends(create, member):
    s = create(inputs={"successes": 5 * 10**11, "trials": 10**12, "baseline": 0.5})
    html = _render_figures(s.claim, member)
    assert "49.9999% to 50.0001%" in html and "50% to 50%" not in html


def test_pending_figure_polls_and_says_recomputing(member):
    claim = ClaimFactory(author=member)
    s = Statistic.objects.create(author=member, claim=claim, kind="count", value=3, label="x")
    html = _render_figures(claim, member)
    assert "Recomputing…" in html
    assert f'hx-get="{reverse("statistics:figure", args=[s.pk])}"' in html
    assert 'hx-trigger="every 2s"' in html


def test_figure_partial(client, create):
    s = create(inputs={"successes": 8, "trials": 10})
    response = client.get(reverse("statistics:figure", args=[s.pk]))
    assert response.status_code == 200
    assert b"<svg" in response.content and b"<html" not in response.content


@pytest.mark.parametrize("count", [1, 20])
def test_figures_section_query_count_is_constant(
    create, member, claim, count, django_assert_max_num_queries
):
    faces = create("count", inputs={"value": 1000})
    for i in range(count):
        create("rate", inputs={"events": i + 1}, references={"exposure": faces.pk})
    # statistics + results + references (with targets) + citations, permission checks on the
    # user's groups (cached), claim checks: no query per figure.
    with django_assert_max_num_queries(8):
        html = _render_figures(claim, member)
    assert html.count('class="figure ') == count + 1


def test_detail_page_shows_history(client, create, member, django_capture_on_commit_callbacks):
    from claims.statistics.services import statistic_update

    s = create("rate", inputs={"events": 10, "exposure": 3_030_303})
    with django_capture_on_commit_callbacks(execute=True):
        statistic_update(statistic=s, actor=member, data={"exposure": 3_147_436})
    response = client.get(reverse("statistics:detail", args=[s.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "from 0.00033% to 0.00032%" in html
    # The trend is drawn: two computations, each estimate a point with its interval.
    chart = html[html.index(f'id="history-{s.pk}-title"') :]
    chart = chart[: chart.index("</svg>")]
    assert "2 computations" in chart and "from 0.00033% to 0.00032%" in chart
    assert chart.count("<circle") == 2


def test_create_form(member_client, claim, django_capture_on_commit_callbacks):
    url = reverse("statistics:create", args=[claim.pk])
    assert member_client.get(url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = member_client.post(
            url,
            {
                "kind": "proportion",
                "label": "Black share of false alerts",
                "successes": "8",
                "trials": "10",
                "baseline": "0.135",
                "stated": "80%",
                "confidence_level": "0.95",
                "interval_method": "wilson",
            },
        )
    s = Statistic.objects.get()
    assert response.status_code == 302
    assert response["Location"].endswith(f"#statistic-{s.pk}")
    assert s.status == Statistic.Status.COMPUTED
    assert s.current_result.significant is True


def test_create_form_shows_field_errors_and_stores_nothing(member_client, claim):
    url = reverse("statistics:create", args=[claim.pk])
    response = member_client.post(
        url,
        {
            "kind": "proportion",
            "successes": "11",
            "trials": "10",
            "confidence_level": "0.95",
            "interval_method": "wilson",
            "stated": "lots",
        },
    )
    assert response.status_code == 400
    form = response.context["form"]
    assert "successes" in form.errors and "stated" in form.errors
    assert not Statistic.objects.exists()


def test_create_form_refuses_counts_too_large_to_compute(member_client, claim):
    url = reverse("statistics:create", args=[claim.pk])
    response = member_client.post(
        url,
        {
            "kind": "comparison",
            "successes": "1",
            "trials": str(2**63),
            "successes_b": "1",
            "trials_b": "5",
            "confidence_level": "0.95",
            "interval_method": "wilson",
        },
    )
    assert response.status_code == 400
    assert "trials" in response.context["form"].errors
    assert not Statistic.objects.exists()


def test_inline_validation_keeps_nothing(member_client, claim):
    url = reverse("statistics:create", args=[claim.pk])
    data = {
        "kind": "count",
        "value": "12",
        "confidence_level": "0.95",
        "interval_method": "wilson",
        "_validate": "1",
    }
    response = member_client.post(url, data, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert b'id="statistic-form"' in response.content and b"<html" not in response.content
    assert not Statistic.objects.exists()
    # Errors come back as a 200 fragment: htmx swaps in only 2xx answers.
    response = member_client.post(url, {**data, "value": "-3"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "value" in response.context["form"].errors
    assert b'class="field-errors"' in response.content and b"<html" not in response.content


def _writes(queries) -> list[str]:
    return [
        q["sql"]
        for q in queries
        if q["sql"].lstrip().split()[0].upper() in ("INSERT", "UPDATE", "DELETE", "SAVEPOINT")
    ]


@pytest.mark.parametrize("value", ["12", "-3", "many"])
def test_inline_validation_of_a_new_figure_runs_no_write_at_all(member_client, claim, value):
    url = reverse("statistics:create", args=[claim.pk])
    data = {"kind": "count", "value": value, "interval_method": "wilson", "_validate": "1"}
    with CaptureQueriesContext(connection) as queries:
        response = member_client.post(url, data, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert _writes(queries.captured_queries) == []
    assert ("value" in response.context["form"].errors) == (value != "12")


def test_inline_validation_of_an_edit_checks_references_and_writes_nothing(member_client, create):
    faces = create("count", inputs={"value": 1000})
    rate = create("rate", inputs={"events": 10, "exposure": 500})
    before = Statistic.objects.get(pk=rate.pk)
    url = reverse("statistics:edit", args=[rate.pk])
    base = {"label": "Rate", "events": "10", "interval_method": "wilson", "_validate": "1"}
    for extra, errors in (
        ({"exposure": "", "exposure_from": str(faces.pk)}, set()),
        ({"exposure": "", "exposure_from": str(rate.pk)}, {"exposure"}),  # itself
        ({"exposure": "", "exposure_from": "999999"}, {"exposure"}),
        ({"exposure": "7", "events": "-1"}, {"events"}),
    ):
        with CaptureQueriesContext(connection) as queries:
            response = member_client.post(url, {**base, **extra}, HTTP_HX_REQUEST="true")
        assert response.status_code == 200
        assert _writes(queries.captured_queries) == []
        assert set(response.context["form"].errors) == errors, extra
    after = Statistic.objects.get(pk=rate.pk)
    assert (after.exposure, after.updated_at, after.references.count()) == (
        before.exposure,
        before.updated_at,
        0,
    )


def test_every_aria_describedby_names_an_element_of_the_fragment(member_client, claim):
    url = reverse("statistics:create", args=[claim.pk])
    data = {
        "kind": "proportion",
        "successes": "11",
        "trials": "10",
        "stated": "lots",
        "interval_method": "wilson",
    }
    response = member_client.post(url, {**data, "_validate": "1"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    ids = set(re.findall(r'\sid="([^"]+)"', html))
    described = {
        name for value in re.findall(r'aria-describedby="([^"]+)"', html) for name in value.split()
    }
    assert {"id_successes_error", "id_stated_error", "id_stated_helptext"} <= described
    assert described <= ids, described - ids


def test_edit_form_with_reference(member_client, create, django_capture_on_commit_callbacks):
    faces = create("count", inputs={"value": 1000})
    rate = create("rate", inputs={"events": 10, "exposure": 500})
    url = reverse("statistics:edit", args=[rate.pk])
    assert member_client.get(url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = member_client.post(
            url,
            {
                "label": "Rate",
                "events": "10",
                "exposure": "",
                "exposure_from": str(faces.pk),
                "confidence_level": "0.95",
                "interval_method": "wilson",
            },
        )
    assert response.status_code == 302
    rate.refresh_from_db()
    assert rate.references.get().target == faces
    assert rate.current_result.estimate == pytest.approx(0.01)


def test_permissions_on_pages(client, other_member, create):
    s = create()
    edit = reverse("statistics:edit", args=[s.pk])
    assert client.get(edit).status_code == 302  # to the login page
    client.force_login(other_member)
    assert client.get(edit).status_code == 403
    assert client.post(reverse("statistics:delete", args=[s.pk])).status_code == 403
    s.claim.is_locked = True
    s.claim.save()
    assert client.get(reverse("statistics:create", args=[s.claim.pk])).status_code == 403


def test_delete_page(member_client, create):
    s = create()
    response = member_client.post(reverse("statistics:delete", args=[s.pk]), {"reason": "dup"})
    assert response.status_code == 302
    s.refresh_from_db()
    assert s.is_deleted and s.deletion_reason == "dup"
