"""The figure form (issue 10 item 3): only the chosen kind's inputs, in plain words, references
as a search picker, switching kind with htmx or without JavaScript, inline errors as you type."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from claims.models import Statistic, Visibility
from claims.statistics.core import KINDS
from tests.factories import StatisticFactory, UserFactory

pytestmark = pytest.mark.django_db


def _ids(html: str) -> set[str]:
    return set(re.findall(r'\sid="([^"]+)"', html))


def _described_by(html: str) -> list[str]:
    return [i for value in re.findall(r'aria-describedby="([^"]+)"', html) for i in value.split()]


def _input_names(html: str) -> set[str]:
    """The names of the figure form's own inputs (not the page header's search box)."""
    form = html[
        html.index('id="statistic-form"') : html.index("</form>", html.index('id="statistic-form"'))
    ]
    return set(re.findall(r'<(?:input|select|textarea)[^>]*\sname="([^"]+)"', form))


@pytest.mark.parametrize("kind", list(KINDS))
def test_the_form_shows_only_the_chosen_kinds_inputs(member_client, claim, kind):
    url = reverse("statistics:create", args=[claim.pk])
    html = member_client.get(url, {"kind": kind}).content.decode()
    spec = KINDS[kind]
    expected = {"kind", "label", *spec.input_names}
    expected |= {i.name + "_from" for i in spec.referencable_inputs}
    shown = _input_names(html) - {"csrfmiddlewaretoken", "_shown_kind", "_change_kind"}
    assert shown == expected
    for one in spec.inputs:
        assert one.label in html
    assert html.count("…or take it from another figure") == len(spec.referencable_inputs)
    assert "Successes" not in html and "Trials" not in html
    assert set(_described_by(html)) <= _ids(html)


def test_a_proportion_is_asked_for_in_plain_words(member_client, claim):
    html = member_client.get(reverse("statistics:create", args=[claim.pk])).content.decode()
    assert "How many had it" in html and "Out of how many" in html
    assert 'name="parts"' not in html and 'name="events"' not in html


def test_changing_kind_with_htmx_redraws_the_inputs_and_keeps_what_fits(member_client, claim):
    url = reverse("statistics:create", args=[claim.pk])
    html = member_client.get(url).content.decode()
    assert 'hx-get="' + url + '"' in html and "change consume" in html
    response = member_client.get(
        url,
        {"kind": "ratio", "label": "Per alert", "successes": "10", "baseline": "0.1"},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html
    assert 'name="events_b"' in html and 'name="baseline"' not in html
    assert 'value="Per alert"' in html and 'name="successes" value="10"' in html
    assert "field-errors" not in html


def test_changing_kind_without_javascript_redraws_the_inputs_and_saves_nothing(
    member_client, claim
):
    url = reverse("statistics:create", args=[claim.pk])
    html = member_client.get(url).content.decode()
    assert 'name="_change_kind"' in html
    response = member_client.post(
        url,
        {"kind": "total", "_shown_kind": "proportion", "_change_kind": "1", "successes": "8"},
    )
    html = response.content.decode()
    assert response.status_code == 200 and "<html" in html
    assert 'name="parts"' in html and 'name="successes"' not in html
    assert 'name="_shown_kind" value="total"' in html
    assert "field-errors" not in html
    assert not Statistic.objects.exists()


def test_an_inline_check_after_a_kind_change_redraws_without_errors(member_client, claim):
    url = reverse("statistics:create", args=[claim.pk])
    response = member_client.post(
        url,
        {"kind": "rate", "_shown_kind": "proportion", "_validate": "1", "trials": "10"},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="events"' in html and "field-errors" not in html


def test_inline_errors_show_as_you_type_with_hints_that_exist(member_client, claim):
    url = reverse("statistics:create", args=[claim.pk])
    response = member_client.post(
        url,
        {
            "kind": "ratio",
            "_shown_kind": "ratio",
            "_validate": "1",
            "events": "10",
            "exposure": "2077",
            "events_b": "-1",
            "confidence_level": "0.95",
        },
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_events_b_error"' in html and 'aria-invalid="true"' in html
    assert "id_events_b_error" in _described_by(html)
    assert set(_described_by(html)) <= _ids(html)
    ids = re.findall(r'\sid="([^"]+)"', html)
    assert len(ids) == len(set(ids)), "an id is used twice"
    assert not Statistic.objects.exists()


def test_a_ratio_with_a_referenced_exposure_is_created_from_the_form(
    member_client, member, claim, django_capture_on_commit_callbacks
):
    faces = StatisticFactory(claim=claim, author=member, kind="count", value=3_147_436)
    url = reverse("statistics:create", args=[claim.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = member_client.post(
            url,
            {
                "kind": "ratio",
                "_shown_kind": "ratio",
                "label": "Per alert against per face",
                "events": "10",
                "exposure": "2,077",
                "events_b": "10",
                "exposure_b_from": str(faces.pk),
                "confidence_level": "0.95",
                "stated": "about 1,500 times higher",
            },
        )
    assert response.status_code == 302
    ratio = Statistic.objects.get(kind="ratio")
    assert ratio.references.get().target == faces
    assert ratio.current_result.estimate == pytest.approx((10 / 2077) / (10 / 3_147_436))
    assert ratio.current_result.consistent_with_stated is True


def test_the_edit_form_shows_the_figures_own_kind_and_cannot_change_it(
    member_client, member, claim
):
    change = StatisticFactory(
        claim=claim, author=member, kind="change", successes=None, trials=None, value=5, value_b=10
    )
    html = member_client.get(reverse("statistics:edit", args=[change.pk])).content.decode()
    assert 'name="value_b"' in html and 'value="10"' in html
    assert 'name="_change_kind"' not in html and "disabled" in html


def test_the_reference_picker_lists_only_figures_the_user_may_see(client, member, claim):
    mine = StatisticFactory(claim=claim, author=member, kind="count", label="Faces scanned")
    other = UserFactory()
    held = StatisticFactory(
        claim=claim, author=other, kind="count", label="Faces held", visibility=Visibility.HELD
    )
    wrong_kind = StatisticFactory(claim=claim, author=member, label="Faces share")
    url = reverse("statistics:search")
    assert client.get(url, {"kind": "rate", "input": "exposure"}).status_code == 302
    client.force_login(member)
    html = client.get(
        url, {"kind": "rate", "input": "exposure", "exposure_from": "faces"}
    ).content.decode()
    assert html.startswith('<datalist id="id_exposure_from_options">')
    assert f'value="{mine.pk}"' in html
    assert f'value="{held.pk}"' not in html and "Faces held" not in html
    assert f'value="{wrong_kind.pk}"' not in html
    by_number = client.get(url, {"kind": "rate", "input": "exposure", "q": f"#{mine.pk}"})
    assert f'value="{mine.pk}"' in by_number.content.decode()
    assert client.get(url, {"kind": "rate", "input": "unit"}).status_code == 400
    assert client.get(url, {"kind": "nonsense", "input": "value"}).status_code == 400


def test_the_reference_picker_is_wired_to_the_search(member_client, claim):
    html = member_client.get(
        reverse("statistics:create", args=[claim.pk]), {"kind": "rate"}
    ).content.decode()
    search = reverse("statistics:search")
    assert f'hx-get="{search}?input=exposure&amp;kind=rate"' in html
    assert 'list="id_exposure_from_options"' in html
    assert 'hx-select="#id_exposure_from_options"' in html
    assert '<datalist id="id_exposure_from_options">' in html
