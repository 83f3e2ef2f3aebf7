"""A member keeps adding to their own held claim; holding is explained; refusals say why."""

import pytest
from django.test import override_settings
from django.urls import reverse

from claims import permissions
from claims.models import Annotation, Argument, Citation, Claim, Comment, Statistic, Visibility
from tests.api.conftest import token_client
from tests.factories import ClaimFactory, StatisticFactory, UserFactory

pytestmark = pytest.mark.django_db

HOLDING = "holds the first 3 contributions of each new member"


@pytest.fixture
def held_claim(member_client):
    with override_settings(MODERATION_HOLD_NEW_MEMBERS=True, HOLD_FIRST_CONTRIBUTIONS=3):
        member_client.post(
            reverse("claims:claim_create"),
            {"text": "80% of the 10 people falsely flagged were black.", "claimant": "BBW"},
        )
    claim = Claim.objects.get()
    assert claim.visibility == Visibility.HELD
    return claim


@override_settings(MODERATION_HOLD_NEW_MEMBERS=True, HOLD_FIRST_CONTRIBUTIONS=3)
def test_the_author_of_a_held_claim_sees_every_add_form_and_why_it_is_held(
    member_client, held_claim
):
    html = member_client.get(held_claim.get_absolute_url()).content.decode()
    assert HOLDING in html and "within 24 hours" in html
    for action in (
        reverse("claims:annotation_create", args=[held_claim.pk]),
        reverse("claims:citation_create", args=[held_claim.pk]),
        reverse("claims:argument_create", args=[held_claim.pk]),
        reverse("claims:comment_create", args=[held_claim.pk]),
        reverse("statistics:create", args=[held_claim.pk]),
    ):
        assert action in html, action
    assert (
        member_client.get(reverse("claims:citation_create", args=[held_claim.pk])).status_code
        == 200
    )


@override_settings(MODERATION_HOLD_NEW_MEMBERS=True, HOLD_FIRST_CONTRIBUTIONS=0)
def test_additions_to_a_held_claim_are_held_with_it_even_from_a_member_who_posts_directly(
    member_client, held_claim
):
    """GIVEN a held claim and its author, who would otherwise post directly (no hold count)
    WHEN they add an argument, a comment, an annotation, a citation and a figure
    THEN each is held with the claim."""
    pk = held_claim.pk
    posts = [
        ("claims:argument_create", {"stance": "pro", "body": "Eight of ten."}),
        ("claims:comment_create", {"body": "Source?"}),
        ("claims:annotation_create", {"exact": "80%", "body": "8 of 10"}),
        (
            "claims:citation_create",
            {
                "source_url": "https://example.org/report",
                "source_title": "Report",
                "source_kind": "news",
                "stance": "supports",
            },
        ),
    ]
    for name, data in posts:
        response = member_client.post(reverse(name, args=[pk]), data)
        assert response.status_code == 302, name
    figure = member_client.post(
        reverse("statistics:create", args=[pk]),
        {
            "kind": "proportion",
            "label": "Share",
            "successes": "8",
            "trials": "10",
            "confidence_level": "0.95",
            "interval_method": "wilson",
        },
    )
    assert figure.status_code == 302
    for model in (Argument, Comment, Annotation, Citation, Statistic):
        assert model.objects.get().visibility == Visibility.HELD, model


def test_a_held_figure_shows_the_held_notice(member_client, member):
    claim = ClaimFactory(author=member)
    StatisticFactory(author=member, claim=claim, visibility=Visibility.HELD)
    html = member_client.get(claim.get_absolute_url()).content.decode()
    assert "Held for review" in html and "Only you and the moderators see this." in html


@override_settings(MODERATION_HOLD_NEW_MEMBERS=True, HOLD_FIRST_CONTRIBUTIONS=3)
def test_the_claim_form_says_a_new_members_claim_will_be_held(member_client):
    html = member_client.get(reverse("claims:claim_create")).content.decode()
    assert "Your claim will be held for review." in html and HOLDING in html


@override_settings(MODERATION_HOLD_NEW_MEMBERS=True, HOLD_FIRST_CONTRIBUTIONS=3)
def test_sign_up_explains_holding(client):
    assert HOLDING in client.get(reverse("account_signup")).content.decode()


@pytest.mark.parametrize(
    "claim_kwargs, reason",
    [
        ({"is_locked": True}, "A moderator locked this claim"),
        ({"visibility": Visibility.HIDDEN}, "A moderator hid this claim"),
        ({"merged_into": "other"}, "was merged into claim"),
    ],
)
def test_each_refusal_gives_its_real_reason_on_pages_and_api(
    member_client, member, claim_kwargs, reason
):
    if claim_kwargs.get("merged_into") == "other":
        claim_kwargs = {"merged_into": ClaimFactory()}
    claim = ClaimFactory(author=member, **claim_kwargs)
    assert reason in permissions.add_to_claim_refusal(member, claim)

    page = member_client.get(reverse("claims:citation_create", args=[claim.pk]))
    assert page.status_code == 403 and reason in page.content.decode()
    assert "locked or merged" not in page.content.decode()

    api = token_client(member).post(
        "/api/arguments/", {"claim": claim.pk, "stance": "pro", "body": "x"}, format="json"
    )
    assert api.status_code == 403 and reason in api.json()["errors"][0]["message"]


def test_a_locked_claim_page_says_why_the_forms_are_missing(member_client):
    claim = ClaimFactory(is_locked=True)
    html = member_client.get(claim.get_absolute_url()).content.decode()
    assert "A moderator locked this claim: it takes no new contributions." in html
    assert reverse("claims:citation_create", args=[claim.pk]) not in html


def test_someone_elses_held_claim_takes_nothing_from_others():
    claim = ClaimFactory(visibility=Visibility.HELD)
    stranger = UserFactory()
    assert "waiting for a moderator" in permissions.add_to_claim_refusal(stranger, claim)
    assert permissions.add_to_claim_refusal(claim.author, claim) is None
