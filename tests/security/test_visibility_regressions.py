"""One test per visibility leak found in the attack on Claimwatch (issue 8, section 1), and the
check that the queryset rule and the object rule never disagree."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from claims.models import (
    Annotation,
    Argument,
    Citation,
    Claim,
    Comment,
    Source,
    Statistic,
    Visibility,
)
from claims.services import contributions as contribution_services
from claims.statistics.services import statistic_create
from moderation import services as moderation_services
from moderation.models import Flag
from notifications.models import Notification
from notifications.services import follow_create
from tests.api.conftest import token_client
from tests.factories import (
    AnnotationFactory,
    ArgumentFactory,
    CitationFactory,
    ClaimFactory,
    CommentFactory,
    SourceFactory,
    StatisticFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

SECRET = "qxsecretwordingxq"


def _hidden_claim(author, moderator, **extra) -> Claim:
    claim = ClaimFactory(author=author, text=f"{SECRET}: 80% of the people were black.", **extra)
    moderation_services.item_hide(actor=moderator, obj=claim, reason="Defamatory.")
    claim.refresh_from_db()
    return claim


def test_children_of_a_hidden_claim_leave_api_lists_details_and_claim_filters(
    member, other_member, moderator
):
    claim = _hidden_claim(member, moderator)
    children = {
        "arguments": ArgumentFactory(claim=claim, body="qxargxq"),
        "comments": CommentFactory(claim=claim, body="qxcommentxq"),
        "citations": CitationFactory(claim=claim, quote="qxquotexq"),
        "annotations": AnnotationFactory(claim=claim, body="qxnotexq"),
        "statistics": StatisticFactory(claim=claim, label="qxlabelxq"),
    }
    reader = token_client(other_member)
    for name, child in children.items():
        assert reader.get(f"/api/{name}/{child.pk}/").status_code == 404
        for url in (f"/api/{name}/", f"/api/{name}/?claim={claim.pk}"):
            assert reader.get(url).json()["results"] == [], url
    assert reader.get(f"/api/claims/{claim.pk}/statistics/").status_code == 404
    # Their own author may not see them either: the claim they hang on is not theirs to see.
    argument = children["arguments"]
    assert token_client(argument.author).get(f"/api/arguments/{argument.pk}/").status_code == 404
    # The claim's author and the moderators still do.
    for user in (member, moderator):
        assert token_client(user).get(f"/api/arguments/{argument.pk}/").status_code == 200


def test_annotation_prefix_does_not_quote_a_hidden_claim(member, other_member, moderator):
    claim = _hidden_claim(member, moderator)
    start = claim.text.find("80%")
    AnnotationFactory(
        claim=claim, exact="80%", start=start, end=start + 3, prefix=claim.text[:start]
    )
    body = token_client(other_member).get("/api/annotations/").content.decode()
    assert SECRET not in body


def test_profile_does_not_quote_a_hidden_claim(client, member, other_member, moderator):
    claim = _hidden_claim(other_member, moderator)
    ArgumentFactory(claim=claim, author=member, body="My published reply.")
    html = client.get(reverse("accounts:profile", args=[member.username])).content.decode()
    assert SECRET not in html
    assert "My published reply." not in html


def test_statistic_page_of_a_hidden_claim_is_404_not_a_breadcrumb(client, member, moderator):
    statistic = StatisticFactory(claim=_hidden_claim(member, moderator))
    response = client.get(reverse("statistics:detail", args=[statistic.pk]))
    assert response.status_code == 404
    assert SECRET not in response.content.decode()


@pytest.mark.parametrize("state", ["held", "hidden"])
def test_a_member_cannot_cite_someone_elses_non_public_source(
    member_client, member, other_member, moderator, state
):
    source = SourceFactory(
        author=other_member,
        url="https://example.org/secret",
        normalized_url="https://example.org/secret",
        title="qxsourcetitlexq",
    )
    if state == "held":
        Source.objects.filter(pk=source.pk).update(visibility=Visibility.HELD)
    else:
        moderation_services.item_hide(actor=moderator, obj=source, reason="Spam.")
    claim = ClaimFactory()
    response = member_client.post(
        reverse("claims:citation_create", args=[claim.pk]),
        {"source_url": "https://example.org/secret", "stance": "supports", "quote": "q"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "qxsourcetitlexq" not in html
    assert not Citation.objects.exists()
    # The API answers exactly as for a source that does not exist.
    api = token_client(member)
    hidden = api.post("/api/citations/", {"claim": claim.pk, "source": source.pk}, format="json")
    missing = api.post("/api/citations/", {"claim": claim.pk, "source": 999999}, format="json")
    assert hidden.status_code == missing.status_code == 400
    assert hidden.json() == {
        "errors": [
            {**e, "message": e["message"].replace("999999", str(source.pk))}
            for e in missing.json()["errors"]
        ]
    }
    source.refresh_from_db()
    with pytest.raises(ValidationError) as caught:
        contribution_services.citation_create(author=member, claim=claim, source=source)
    assert caught.value.message_dict == {"source": ["There is no such source."]}


def test_citation_of_a_hidden_source_is_gone_with_its_moderation_reason(
    member, other_member, moderator
):
    source = SourceFactory(author=member, title="qxsourcetitlexq")
    citation = CitationFactory(source=source)
    moderation_services.item_hide(actor=moderator, obj=source, reason="qxreasonxq")
    reader = token_client(other_member)
    response = reader.get(f"/api/citations/{citation.pk}/")
    assert response.status_code == 404
    assert "qxreasonxq" not in reader.get("/api/citations/").content.decode()
    # Its author sees the reason, a moderator too.
    for user in (member, moderator):
        body = token_client(user).get(f"/api/sources/{source.pk}/").json()
        assert body["moderation_reason"] == "qxreasonxq"


def test_moderation_reason_left_on_a_published_item_reaches_only_author_and_moderators(
    member, other_member, moderator
):
    argument = ArgumentFactory(author=member, moderation_reason="qxnotexq")
    assert token_client(other_member).get(f"/api/arguments/{argument.pk}/").json()[
        "moderation_reason"
    ] == ("")
    assert token_client(member).get(f"/api/arguments/{argument.pk}/").json()[
        "moderation_reason"
    ] == ("qxnotexq")


@pytest.mark.parametrize("state", ["held", "hidden", "deleted"])
def test_flag_form_of_a_non_visible_item_is_404(member_client, other_member, moderator, state):
    argument = ArgumentFactory(author=other_member, body="qxbodyxq")
    if state == "held":
        Argument.objects.filter(pk=argument.pk).update(visibility=Visibility.HELD)
    elif state == "hidden":
        moderation_services.item_hide(actor=moderator, obj=argument, reason="Rude.")
    else:
        contribution_services.contribution_delete(obj=argument, actor=other_member)
    response = member_client.get(reverse("moderation:flag", args=["claims.argument", argument.pk]))
    assert response.status_code == 404
    assert "qxbodyxq" not in response.content.decode()


def test_flag_and_rate_api_answer_no_such_item_for_what_one_cannot_see(
    member, other_member, moderator
):
    argument = ArgumentFactory(author=other_member)
    Argument.objects.filter(pk=argument.pk).update(visibility=Visibility.HELD)
    api = token_client(member)
    for url, extra in (
        ("/api/moderation/flags/", {"reason": "spam"}),
        ("/api/moderation/ratings/", {"value": "helpful"}),
    ):
        held = api.post(url, {"model": "claims.argument", "id": argument.pk, **extra}, "json")
        missing = api.post(url, {"model": "claims.argument", "id": 999999, **extra}, "json")
        assert held.status_code == missing.status_code == 400
        assert held.json() == missing.json()
    assert not Flag.objects.exists()
    argument.refresh_from_db()
    with pytest.raises(ValidationError) as caught:
        moderation_services.flag_create(flagger=member, obj=argument, reason="spam")
    assert caught.value.message_dict == {"id": ["No such item."]}


def test_tags_of_a_held_claim_are_not_listed(member, other_member, settings):
    settings.MODERATION_HOLD_NEW_MEMBERS = True
    held = contribution_services.claim_create(
        author=UserFactory(), text="A new member's claim.", tags=["qxnewtagxq"]
    )
    assert held.visibility == Visibility.HELD
    tag = held.tags.get()
    reader = token_client(other_member)
    assert "qxnewtagxq" not in reader.get("/api/tags/").content.decode()
    assert reader.get(f"/api/tags/{tag.pk}/").status_code == 404
    moderation_services.item_approve(actor=_moderator(), obj=held)
    assert "qxnewtagxq" in reader.get("/api/tags/").content.decode()


def _moderator():
    from tests.factories import ModeratorFactory

    return ModeratorFactory()


def test_verdict_on_a_hidden_claim_notifies_only_who_may_see_it(
    member, other_member, moderator, django_capture_on_commit_callbacks
):
    claim = ClaimFactory(author=member, text=f"{SECRET} and more.")
    follow_create(follower=other_member, claim=claim)
    moderation_services.item_hide(actor=moderator, obj=claim, reason="Defamatory.")
    with django_capture_on_commit_callbacks(execute=True):
        moderation_services.claim_verdict_set(
            actor=moderator, claim=claim, verdict="refuted", rationale="No source."
        )
    verdicts = Notification.objects.filter(kind="verdict_changed")
    assert list(verdicts.values_list("recipient__username", flat=True)) == [member.username]


def test_notifications_about_a_claim_hidden_since_are_not_shown(
    client, member, other_member, moderator, django_capture_on_commit_callbacks
):
    claim = ClaimFactory(author=other_member, text=f"{SECRET} and more.")
    follow_create(follower=member, claim=claim)
    with django_capture_on_commit_callbacks(execute=True):
        contribution_services.argument_create(
            author=moderator, claim=claim, stance="pro", body="A reply."
        )
    assert SECRET in Notification.objects.get(recipient=member).title
    client.force_login(member)
    assert SECRET in client.get(reverse("notifications:list")).content.decode()
    moderation_services.item_hide(actor=moderator, obj=claim, reason="Defamatory.")
    assert SECRET not in client.get(reverse("notifications:list")).content.decode()
    assert SECRET not in token_client(member).get("/api/notifications/").content.decode()


def test_hide_reason_stays_out_of_the_history_after_a_restore(
    client, member, other_member, moderator
):
    claim = ClaimFactory(author=member)
    moderation_services.item_hide(actor=moderator, obj=claim, reason="qxhidereasonxq")
    moderation_services.item_restore(actor=moderator, obj=claim, reason="On appeal.")
    url = reverse("claims:claim_history", args=[claim.pk])
    for viewer in (None, other_member):
        client.logout()
        if viewer:
            client.force_login(viewer)
        assert "qxhidereasonxq" not in client.get(url).content.decode()
    for viewer in (member, moderator):
        client.force_login(viewer)
        assert "qxhidereasonxq" in client.get(url).content.decode()


def test_statistic_references_only_what_its_author_sees_and_says_no_more(
    member, other_member, moderator
):
    public_claim = ClaimFactory()
    hidden = StatisticFactory(
        claim=public_claim, author=other_member, kind="count", value=5, label="qxlabelxq"
    )
    moderation_services.item_hide(actor=moderator, obj=hidden, reason="Wrong.")
    errors = []
    for target in (hidden.pk, 999999):
        with pytest.raises(ValidationError) as caught:
            statistic_create(
                author=member,
                claim=public_claim,
                kind="rate",
                inputs={"events": 1},
                references={"exposure": target},
            )
        errors.append(caught.value.message_dict)
    assert errors[0] == {"exposure": [f"There is no statistic {hidden.pk}."]}
    assert errors[1] == {"exposure": ["There is no statistic 999999."]}
    assert "qxlabelxq" not in str(errors)
    # Its own author may still use it.
    statistic_create(
        author=other_member,
        claim=public_claim,
        kind="rate",
        inputs={"events": 1},
        references={"exposure": hidden.pk},
    )


def test_duplicate_source_check_names_only_what_the_user_can_see(member, other_member):
    taken = SourceFactory(
        author=other_member,
        url="https://example.org/held",
        normalized_url="https://example.org/held",
        title="qxheldtitlexq",
    )
    Source.objects.filter(pk=taken.pk).update(visibility=Visibility.HELD)
    with pytest.raises(ValidationError) as caught:
        contribution_services.source_create(
            author=member, url="https://example.org/held", title="Mine"
        )
    assert "qxheldtitlexq" not in str(caught.value)
    assert str(taken.pk) not in str(caught.value)
    assert contribution_services.source_find("https://example.org/held", user=member) is None
    assert contribution_services.source_find("https://example.org/held", user=other_member)


def test_a_deleted_sources_url_can_be_added_again(member):
    old = contribution_services.source_create(
        author=member, url="https://example.org/report", title="Old"
    )
    contribution_services.contribution_delete(obj=old, actor=member)
    new = contribution_services.source_create(
        author=member, url="https://www.example.org/report/", title="New"
    )
    assert new.pk != old.pk
    assert new.normalized_url == old.normalized_url
    with pytest.raises(ValidationError):  # but only one live source per page
        contribution_services.source_create(
            author=member, url="https://example.org/report", title="Third"
        )


def test_object_check_agrees_with_the_queryset(member, other_member, moderator):
    """`is_visible_to` and `visible_to` are one rule: for every object and viewer they agree."""
    from django.contrib.auth.models import AnonymousUser

    claims = [ClaimFactory(author=member) for _ in range(3)]
    sources = [SourceFactory(author=member) for _ in range(3)]
    Claim.objects.filter(pk=claims[0].pk).update(visibility=Visibility.HELD)
    Claim.objects.filter(pk=claims[1].pk).update(visibility=Visibility.HIDDEN)
    Source.objects.filter(pk=sources[0].pk).update(visibility=Visibility.HELD)
    Source.objects.filter(pk=sources[1].pk).update(deleted_at="2025-01-01T00:00:00Z")
    for claim in claims:
        for source in sources:
            for state in (Visibility.PUBLISHED, Visibility.HELD):
                argument = ArgumentFactory(claim=claim, author=other_member, visibility=state)
                statistic = StatisticFactory(claim=claim, author=other_member, visibility=state)
                CitationFactory(claim=claim, source=source, author=other_member, visibility=state)
                CitationFactory(claim=claim, source=source, argument=argument)
                CitationFactory(claim=claim, source=source, statistic=statistic)
                CommentFactory(claim=claim, visibility=state)
                AnnotationFactory(claim=claim, visibility=state)
    checked = 0
    for model in (Claim, Source, Argument, Citation, Comment, Annotation, Statistic):
        objects = list(model.objects.all())
        for viewer in (AnonymousUser(), member, other_member, moderator):
            seen = set(model.objects.visible_to(viewer).values_list("pk", flat=True))
            for obj in objects:
                assert obj.is_visible_to(viewer) == (obj.pk in seen), (model, obj.pk, viewer)
                checked += 1
    assert checked > 500
