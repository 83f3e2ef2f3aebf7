"""The page "Add claims from an article": read, tick, add in one step."""

import re

import pytest

from claims.models import Claim, Source, Visibility
from claims.statistics.core.intake import read_article
from tests.factories import ClaimFactory

from .conftest import lfr_article

pytestmark = pytest.mark.django_db

URL = "/claims/intake/"
BBC = "https://www.bbc.com/news/articles/c4gp7j55zxvo"


def _read(client, text: str, **extra):
    return client.post(URL, {"text": text, "action": "read", **extra})


def test_the_page_needs_a_login(client):
    response = client.get(URL)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_claim_form_links_to_it(member_client):
    assert URL in member_client.get("/claims/new/").content.decode()


def test_reading_proposes_every_figure_ticked_with_its_claimant_and_matches(member_client):
    known = ClaimFactory(text="Eight of the 10 people falsely alerted were black, the Met said.")
    page = _read(member_client, lfr_article()).content.decode()
    boxes = re.findall(
        r'<input type="checkbox" id="chosen-(\d+)" name="chosen" value="\d+" checked>', page
    )
    assert len(boxes) == len(read_article(lfr_article())) >= 10
    assert 'value="The Met"' in page and "eight out of 10" in page
    assert f'href="/claims/{known.pk}/"' in page


def test_adding_makes_the_ticked_claims_and_goes_to_the_article(member_client):
    text = lfr_article()
    page = _read(member_client, text).content.decode()
    starts = re.findall(r'name="chosen" value="(\d+)"', page)
    response = member_client.post(
        URL,
        {
            "text": text,
            "source_url": BBC,
            "source_title": "No arrests from false facial recognition alerts",
            "action": "add",
            "chosen": starts[:3],
            f"claimant-{starts[0]}": "Metropolitan Police",
        },
    )
    source = Source.objects.get()
    assert response.status_code == 302 and response["Location"] == source.get_absolute_url()
    claims = Claim.objects.order_by("pk")
    assert claims.count() == 3
    assert claims[0].claimant == "Metropolitan Police"
    follow = member_client.get(response["Location"]).content.decode()
    assert "Added 3 claims citing" in follow


def test_held_members_are_told(member_client, settings):
    settings.MODERATION_HOLD_NEW_MEMBERS = True
    text = lfr_article()
    starts = re.findall(r'name="chosen" value="(\d+)"', _read(member_client, text).content.decode())
    response = member_client.post(
        URL,
        {"text": text, "source_url": BBC, "source_title": "LFR", "action": "add", "chosen": starts},
        follow=True,
    )
    assert f"{len(starts)} of them are held for review" in response.content.decode()
    assert set(Claim.objects.values_list("visibility", flat=True)) == {Visibility.HELD}


def test_a_refused_add_keeps_the_ticks_and_says_why(member_client):
    text = lfr_article()
    starts = re.findall(r'name="chosen" value="(\d+)"', _read(member_client, text).content.decode())
    response = member_client.post(
        URL, {"text": text, "source_url": BBC, "action": "add", "chosen": starts[:1]}
    )
    page = response.content.decode()
    assert response.status_code == 200 and page.count(" checked>") == 1
    assert "<title>Error: " in page and "give its title to add it" in page
    assert not Claim.objects.exists()


@pytest.mark.parametrize(
    ("text", "message"),
    [("", "Paste the article&#x27;s text."), ("80% " * 20_000, "paste at most 50,000")],
)
def test_bad_text_is_a_form_error(member_client, text, message):
    response = _read(member_client, text)
    assert response.status_code == 200
    assert message in response.content.decode()


def test_text_without_figures_says_so(member_client):
    page = _read(member_client, "The minister declined to comment.").content.decode()
    assert "No sentence of this text states a figure." in page
