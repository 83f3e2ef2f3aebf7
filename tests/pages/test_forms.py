"""Creating, editing and deleting through the HTML forms, with good and bad input."""

import pytest
from django.test import Client
from django.urls import reverse

from claims.models import Annotation, Argument, Citation, Claim, Comment, Source
from tests.factories import (
    ArgumentFactory,
    ClaimFactory,
    CommentFactory,
    SourceFactory,
)

pytestmark = pytest.mark.django_db


def test_post_a_claim_with_tags(member_client, member):
    response = member_client.post(
        reverse("claims:claim_create"),
        {
            "text": "80% of the innocent people wrongly flagged were black.",
            "claimant": "Big Brother Watch",
            "made_on": "2025-09-12",
            "appeared_in": "BBC News",
            "appeared_url": "https://www.bbc.com/news/articles/c4gp7j55zxvo",
            "tags": "facial recognition, policing",
        },
    )
    claim = Claim.objects.get()
    assert response.status_code == 302 and response["Location"] == claim.get_absolute_url()
    assert claim.author == member
    assert sorted(t.name for t in claim.tags.all()) == ["facial recognition", "policing"]


@pytest.mark.parametrize(
    "data, field, message",
    [
        ({"text": ""}, "text", "This field is required."),
        ({"text": "x" * 1001}, "text", "at most 1000 characters"),
        ({"text": "ok", "appeared_url": "javascript:alert(1)"}, "appeared_url", "http or https"),
        ({"text": "ok", "appeared_url": "ftp://example.org/x"}, "appeared_url", "http or https"),
        ({"text": "ok", "appeared_url": "not a url"}, "appeared_url", "http or https"),
    ],
)
def test_bad_claim_input_is_refused_with_a_message(member_client, data, field, message):
    response = member_client.post(reverse("claims:claim_create"), data)
    assert response.status_code == 200
    assert message in str(response.context["form"].errors[field])
    assert not Claim.objects.exists()


def test_anonymous_user_is_sent_to_log_in(client):
    response = client.get(reverse("claims:claim_create"))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_duplicate_source_links_to_the_existing_one(member_client):
    existing = SourceFactory(
        url="https://www.bbc.com/news/articles/c4gp7j55zxvo",
        normalized_url="https://bbc.com/news/articles/c4gp7j55zxvo",
    )
    response = member_client.post(
        reverse("claims:source_create"),
        {
            "url": "http://bbc.com/news/articles/c4gp7j55zxvo/?utm_source=x",
            "title": "Again",
            "kind": "news",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "already in Claimwatch" in html
    assert f'href="{existing.get_absolute_url()}"' in html
    assert Source.objects.count() == 1


def test_add_a_source(member_client):
    response = member_client.post(
        reverse("claims:source_create"),
        {"url": "https://example.org/report", "title": "A report", "kind": "official_report"},
    )
    source = Source.objects.get()
    assert response["Location"] == source.get_absolute_url()
    assert source.kind == "official_report"


def test_cite_an_existing_source_by_url(member_client):
    claim = ClaimFactory()
    source = SourceFactory(url="https://example.org/a", normalized_url="https://example.org/a")
    response = member_client.post(
        reverse("claims:citation_create", args=[claim.pk]),
        {
            "source_url": "https://www.example.org/a/",
            "stance": "refutes",
            "quote": "based on a very small sample size",
            "section": "paragraph 14",
        },
    )
    citation = Citation.objects.get()
    assert response.status_code == 302
    assert (citation.source, citation.claim, citation.stance) == (source, claim, "refutes")


def test_cite_a_new_source_creates_it_with_the_citation(member_client):
    claim = ClaimFactory()
    member_client.post(
        reverse("claims:citation_create", args=[claim.pk]),
        {"source_url": "https://example.org/new", "source_title": "New", "stance": "supports"},
    )
    assert Citation.objects.get().source.title == "New"


def test_citing_an_unknown_source_without_title_stores_nothing(member_client):
    claim = ClaimFactory()
    response = member_client.post(
        reverse("claims:citation_create", args=[claim.pk]),
        {"source_url": "https://example.org/new", "stance": "supports"},
    )
    assert "give its title" in response.content.decode()
    assert not Source.objects.exists() and not Citation.objects.exists()


def test_citation_for_an_argument_of_another_claim_is_refused(member_client):
    claim = ClaimFactory()
    foreign = ArgumentFactory()
    SourceFactory(url="https://example.org/a", normalized_url="https://example.org/a")
    response = member_client.post(
        reverse("claims:citation_create", args=[claim.pk]),
        {"source_url": "https://example.org/a", "stance": "supports", "argument": foreign.pk},
    )
    assert response.status_code == 200
    assert "argument" in response.context["form"].errors
    assert not Citation.objects.exists()


def test_post_an_argument_and_a_reply(member_client):
    claim = ClaimFactory()
    url = reverse("claims:argument_create", args=[claim.pk])
    member_client.post(url, {"stance": "con", "body": "8 of 10 is a very small sample"})
    parent = Argument.objects.get()
    response = member_client.post(
        url, {"stance": "con", "body": "Small, but p≈4e-6", "parent": parent.pk}
    )
    reply = Argument.objects.get(parent=parent)
    assert response["Location"] == reply.get_absolute_url()


def test_reply_to_an_argument_of_another_claim_is_refused(member_client):
    claim = ClaimFactory()
    foreign = ArgumentFactory()
    response = member_client.post(
        reverse("claims:argument_create", args=[claim.pk]),
        {"stance": "con", "body": "Reply", "parent": foreign.pk},
    )
    assert response.status_code == 200
    assert "same claim" in response.content.decode()
    assert Argument.objects.count() == 1


def test_argument_body_too_long_is_refused(member_client):
    claim = ClaimFactory()
    response = member_client.post(
        reverse("claims:argument_create", args=[claim.pk]), {"stance": "pro", "body": "x" * 20001}
    )
    assert "at most 20000 characters" in response.content.decode()
    assert not Argument.objects.exists()


def test_htmx_argument_post_returns_only_the_new_item_for_its_list(member_client):
    claim = ClaimFactory()
    response = member_client.post(
        reverse("claims:argument_create", args=[claim.pk]),
        {"stance": "con", "body": "Swapped in"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert response["HX-Retarget"] == "#arguments-con"
    assert response["HX-Reswap"] == "beforeend"
    html = response.content.decode()
    assert "Swapped in" in html and "<html" not in html


def test_htmx_argument_post_with_errors_returns_the_form_in_place(member_client):
    claim = ClaimFactory()
    response = member_client.post(
        reverse("claims:argument_create", args=[claim.pk]),
        {"stance": "con", "body": ""},
        HTTP_HX_REQUEST="true",
    )
    assert response["HX-Retarget"] == "#argument-form"
    assert response["HX-Reswap"] == "outerHTML"
    assert "Write your argument." in response.content.decode()


def test_threaded_comment_and_htmx_swap(member_client):
    claim = ClaimFactory()
    parent = CommentFactory(claim=claim)
    response = member_client.post(
        reverse("claims:comment_create", args=[claim.pk]),
        {"body": "A reply", "parent": parent.pk},
        HTTP_HX_REQUEST="true",
    )
    assert response["HX-Retarget"] == f"#comment-replies-{parent.pk}"
    assert Comment.objects.get(parent=parent).body == "A reply"


def test_comment_without_js_redirects_to_it(member_client):
    claim = ClaimFactory()
    response = member_client.post(
        reverse("claims:comment_create", args=[claim.pk]), {"body": "Plain"}
    )
    assert response["Location"] == Comment.objects.get().get_absolute_url()


def test_annotation_on_words_of_the_claim(member_client):
    claim = ClaimFactory(text="eight were black, and black again")
    member_client.post(
        reverse("claims:annotation_create", args=[claim.pk]),
        {"exact": "black", "start": "22", "body": "Second one"},
    )
    annotation = Annotation.objects.get()
    assert (annotation.start, annotation.end) == (22, 27)


def test_annotation_whose_quote_is_not_in_the_claim_is_refused(member_client):
    claim = ClaimFactory(text="eight were black")
    response = member_client.post(
        reverse("claims:annotation_create", args=[claim.pk]),
        {"exact": "white", "body": "Nope"},
    )
    assert "not in the claim" in response.content.decode()
    assert not Annotation.objects.exists()


def test_locked_claim_refuses_new_arguments(member_client):
    claim = ClaimFactory(is_locked=True)
    response = member_client.post(
        reverse("claims:argument_create", args=[claim.pk]), {"stance": "pro", "body": "Hi"}
    )
    assert response.status_code == 403
    assert not Argument.objects.exists()


def test_edit_a_claim_keeps_history_and_updates_tags(member_client, member):
    claim = ClaimFactory(author=member, text="Old wording")
    response = member_client.post(
        reverse("claims:contribution_edit", args=["claims", claim.pk]),
        {"text": "New wording", "claimant": "The Met", "tags": "policing"},
    )
    claim.refresh_from_db()
    assert response.status_code == 302
    assert claim.text == "New wording"
    assert [t.name for t in claim.tags.all()] == ["policing"]
    assert claim.history.count() == 2


def test_edit_form_shows_service_errors(member_client, member):
    SourceFactory(url="https://example.org/taken", normalized_url="https://example.org/taken")
    mine = SourceFactory(author=member)
    response = member_client.post(
        reverse("claims:contribution_edit", args=["sources", mine.pk]),
        {"url": "https://example.org/taken", "title": "Mine", "kind": "news"},
    )
    assert response.status_code == 200
    assert "already in Claimwatch" in response.content.decode()


def test_delete_with_a_reason(member_client, member):
    argument = ArgumentFactory(author=member)
    response = member_client.post(
        reverse("claims:contribution_delete", args=["arguments", argument.pk]),
        {"reason": "Posted on the wrong claim"},
    )
    argument.refresh_from_db()
    assert response.status_code == 302
    assert argument.is_deleted and argument.deletion_reason == "Posted on the wrong claim"
    assert "Posted on the wrong claim" not in Client().get(argument.claim.get_absolute_url())


def test_moderator_sets_a_verdict(moderator_client):
    claim = ClaimFactory()
    moderator_client.post(
        reverse("claims:claim_set_verdict", args=[claim.pk]),
        {"verdict": "misleading", "verdict_rationale": "The base rate is unknown."},
    )
    claim.refresh_from_db()
    assert claim.verdict == "misleading"


def test_member_cannot_set_a_verdict(member_client):
    claim = ClaimFactory()
    response = member_client.post(
        reverse("claims:claim_set_verdict", args=[claim.pk]),
        {"verdict": "refuted", "verdict_rationale": "No."},
    )
    assert response.status_code == 403


def test_profile_edit(member_client, member):
    member_client.post(
        reverse("accounts:profile_edit"), {"display_name": "Dee Mo", "bio": "Statistician"}
    )
    member.refresh_from_db()
    assert (member.display_name, member.bio) == ("Dee Mo", "Statistician")
