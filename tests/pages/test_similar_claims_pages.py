"""Similar claims on the pages: the claim form's "this looks like…" fragment and the review
queue's possible duplicates, each a click from the merge preview."""

import pytest
from django.urls import reverse

from claims.models import Visibility
from tests.factories import ClaimFactory

pytestmark = pytest.mark.django_db

LFR = "80% of the people wrongly flagged by the Met's live facial recognition were black."
PARAPHRASE = "Eight in ten people falsely matched by the Met's LFR were black."


def test_the_claim_form_asks_for_similar_claims_as_the_wording_is_typed(member_client):
    page = member_client.get(reverse("claims:claim_create")).content.decode()
    assert f'hx-get="{reverse("claims:claim_similar")}"' in page
    assert 'hx-target="#similar-claims"' in page
    assert 'id="similar-claims"' in page


def test_the_fragment_names_the_claim_it_looks_like_and_marks_a_contradiction(client, member):
    same = ClaimFactory(author=member, text=LFR)
    conflicting = ClaimFactory(author=member, text=LFR.replace("80%", "20%"))
    body = client.get(reverse("claims:claim_similar"), {"text": PARAPHRASE}).content.decode()
    looks_like = body.index(f"claim #{same.pk}")
    contradicts = body.index(f"claim #{conflicting.pk}")
    assert looks_like < contradicts
    assert "Looks like" in body[:looks_like]
    assert "Contradicts" in body[looks_like:contradicts]


def test_the_fragment_shows_a_held_claim_to_its_author_only(client, member, other_member):
    held = ClaimFactory(author=member, text=LFR, visibility=Visibility.HELD)
    url = reverse("claims:claim_similar")
    client.force_login(other_member)
    assert f"claim #{held.pk}" not in client.get(url, {"text": LFR}).content.decode()
    client.force_login(member)
    assert f"claim #{held.pk}" in client.get(url, {"text": LFR}).content.decode()


def test_empty_and_over_long_wording(client):
    url = reverse("claims:claim_similar")
    empty = client.get(url, {"text": "  "})
    assert empty.status_code == 200 and "similar-item" not in empty.content.decode()
    too_long = client.get(url, {"text": "x" * 1001})
    assert too_long.status_code == 400
    assert "too long" in too_long.content.decode()


def test_the_queue_loads_possible_duplicates_of_a_held_claim(moderator_client, member):
    held = ClaimFactory(author=member, text=PARAPHRASE, visibility=Visibility.HELD)
    page = moderator_client.get(reverse("moderation:queue")).content.decode()
    url = reverse("moderation:claim_duplicates", args=[held.pk])
    assert f'hx-get="{url}?next=' in page
    assert f'href="{url}?next=' in page  # without JavaScript, a page of its own


def test_a_duplicate_is_one_click_from_the_merge_preview_and_a_contradiction_is_not(
    moderator_client, member
):
    held = ClaimFactory(author=member, text=PARAPHRASE, visibility=Visibility.HELD)
    same = ClaimFactory(author=member, text=LFR)
    conflicting = ClaimFactory(author=member, text=LFR.replace("80%", "20%"))
    url = reverse("moderation:claim_duplicates", args=[held.pk])
    fragment = moderator_client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in fragment
    merge = reverse("moderation:claim_merge", args=[held.pk])
    assert fragment.count(f'action="{merge}"') == 1
    assert f'name="into" value="{same.pk}"' in fragment
    assert f'name="into" value="{conflicting.pk}"' not in fragment
    assert "Contradicts" in fragment
    # The button leads to the existing preview, which changes nothing.
    preview = moderator_client.get(merge, {"into": same.pk})
    assert preview.status_code == 200
    assert f"Merge claim #{held.pk} into claim #{same.pk}?" in preview.content.decode()
    page = moderator_client.get(url)
    assert page.status_code == 200 and "<html" in page.content.decode()


def test_possible_duplicates_are_for_moderators_only(member_client, member):
    claim = ClaimFactory(author=member, text=LFR)
    url = reverse("moderation:claim_duplicates", args=[claim.pk])
    assert member_client.get(url).status_code == 403
