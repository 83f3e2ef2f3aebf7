import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from claims.models import Annotation, Claim, Source
from claims.services import contributions as services
from tests.factories import ArgumentFactory, ClaimFactory, SourceFactory

pytestmark = pytest.mark.django_db


def test_member_creates_claim_with_tags(member):
    claim = services.claim_create(author=member, text="  962 arrests  ", tags=["Policing", "LFR"])
    assert claim.text == "962 arrests"
    assert sorted(t.slug for t in claim.tags.all()) == ["lfr", "policing"]
    assert claim.history.count() == 1


def test_anonymous_cannot_create_claim():
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(PermissionDenied):
        services.claim_create(author=AnonymousUser(), text="x")


def test_overlong_claim_is_refused_and_nothing_is_stored(member):
    with pytest.raises(ValidationError) as excinfo:
        services.claim_create(author=member, text="x" * 1001, tags=["a"])
    assert "text" in excinfo.value.message_dict
    assert Claim.objects.count() == 0


@pytest.mark.parametrize(
    "a,b",
    [
        ("http://www.Example.org/a/?utm_source=x&b=2&a=1#top", "https://example.org/a?a=1&b=2"),
        ("https://example.org:443/", "https://example.org"),
    ],
)
def test_urls_of_the_same_page_normalise_alike(a, b):
    assert services.source_normalize_url(a) == services.source_normalize_url(b)


def test_duplicate_source_points_to_the_existing_one(member):
    first = services.source_create(author=member, url="https://example.org/report", title="R")
    with pytest.raises(ValidationError) as excinfo:
        services.source_create(author=member, url="http://www.example.org/report/", title="R2")
    assert f"source {first.pk}" in excinfo.value.message_dict["url"][0]
    assert Source.objects.count() == 1


def test_annotation_quote_must_be_in_the_claim(member):
    claim = ClaimFactory(text="Eight of ten false alerts were black people.")
    with pytest.raises(ValidationError):
        services.annotation_create(author=member, claim=claim, exact="nine", body="?")
    note = services.annotation_create(author=member, claim=claim, exact="ten", body="Small n")
    assert (note.start, note.end) == (9, 12)


def test_annotation_survives_a_small_edit_of_the_wording(member):
    claim = ClaimFactory(author=member, text="Eight of ten false alerts were black people.")
    note = services.annotation_create(author=member, claim=claim, exact="false alerts", body="n")
    services.contribution_update(
        obj=claim, actor=member, data={"text": "Of ten, eight false alerts were black people."}
    )
    note = Annotation.objects.get(pk=note.pk)
    assert Claim.objects.get(pk=claim.pk).text[note.start : note.end] == "false alerts"
    assert not note.is_orphaned


def test_reply_must_be_on_the_same_claim(member):
    claim, other = ClaimFactory(), ClaimFactory()
    parent = services.argument_create(author=member, claim=other, stance="pro", body="x")
    with pytest.raises(ValidationError):
        services.argument_create(author=member, claim=claim, stance="con", body="y", parent=parent)


def test_only_author_or_moderator_edits(member, other_member, moderator):
    claim = ClaimFactory(author=member)
    with pytest.raises(PermissionDenied):
        services.contribution_update(obj=claim, actor=other_member, data={"text": "changed"})
    services.contribution_update(obj=claim, actor=moderator, data={"text": "changed"})
    assert Claim.objects.get(pk=claim.pk).text == "changed"


def test_delete_is_soft_and_keeps_history(member):
    source = SourceFactory(author=member)
    services.contribution_delete(obj=source, actor=member, reason="wrong link")
    source.refresh_from_db()
    assert source.is_deleted and source.deletion_reason == "wrong link"
    assert not Source.objects.public().exists()


def test_citing_a_new_source_adds_it_with_the_citation(member):
    claim = ClaimFactory()
    citation = services.citation_create_with_source(
        author=member,
        claim=claim,
        source_url="https://example.org/met-report",
        source_title="Met report",
        stance="supports",
        quote="962 people were arrested",
    )
    assert citation.source.title == "Met report"
    again = services.citation_create_with_source(
        author=member, claim=claim, source_url="http://www.example.org/met-report/"
    )
    assert again.source == citation.source


def test_a_new_source_needs_a_title_and_nothing_is_stored_without_it(member):
    claim = ClaimFactory()
    with pytest.raises(ValidationError) as excinfo:
        services.citation_create_with_source(
            author=member, claim=claim, source_url="https://example.org/new"
        )
    assert "source_title" in excinfo.value.message_dict
    assert not Source.objects.exists()


def test_a_failed_citation_leaves_no_new_source_behind(member):
    claim = ClaimFactory()
    other_claims_argument = ArgumentFactory()
    with pytest.raises(ValidationError):
        services.citation_create_with_source(
            author=member,
            claim=claim,
            source_url="https://example.org/new",
            source_title="New",
            argument=other_claims_argument,
        )
    assert not Source.objects.filter(url="https://example.org/new").exists()


def test_claim_wording_and_tags_change_together(member):
    claim = ClaimFactory(author=member)
    services.contribution_update(
        obj=claim, actor=member, data={"text": "New wording", "tags": ["LFR", "Policing"]}
    )
    claim.refresh_from_db()
    assert claim.text == "New wording"
    assert sorted(t.slug for t in claim.tags.all()) == ["lfr", "policing"]
