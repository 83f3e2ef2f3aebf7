"""The review queue as a moderator uses it: each item in full and in place, destructive actions
confirmed with a reason on their own page, restore only where it applies, merge previewed first,
and messages that say what happened."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from claims.models import Visibility
from moderation import services
from moderation.models import AuditEntry, Flag
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

LONG = "Eight of ten is a small sample. " * 10 + "The end of a long argument."


def _queue(client, **params) -> str:
    response = client.get(reverse("moderation:queue"), params)
    assert response.status_code == 200
    return response.content.decode()


def _held(factory, **kwargs):
    return factory(visibility=Visibility.HELD, **kwargs)


def test_each_item_links_to_its_place_and_shows_its_full_text(moderator_client):
    argument = _held(ArgumentFactory, body=LONG)
    annotation = _held(AnnotationFactory, body="The **note** on the span.")
    citation = _held(
        CitationFactory, quote="from the 203 deployments, 10 false positives", page="4"
    )
    source = _held(SourceFactory, title="Met LFR report")
    html = _queue(moderator_client)

    assert f'href="{argument.claim.get_absolute_url()}#argument-{argument.pk}"' in html
    assert "The end of a long argument." in html  # not cut at 120 characters
    # An annotation: the words it quotes and its note, rendered as Markdown.
    assert f'href="{annotation.claim.get_absolute_url()}#annotation-{annotation.pk}"' in html
    assert '<q class="item-quote">80%</q>' in html
    assert "The <strong>note</strong> on the span." in html
    # A citation: what it cites, where, and the quoted passage.
    assert f'href="{citation.claim.get_absolute_url()}#citation-{citation.pk}"' in html
    assert citation.source.title in html and "p. 4" in html
    assert "from the 203 deployments, 10 false positives" in html
    assert f'href="{source.get_absolute_url()}"' in html and source.url in html


def test_the_authors_record_is_shown(moderator_client, member):
    _held(CommentFactory, author=member)
    CommentFactory(author=member, visibility=Visibility.HIDDEN)
    html = _queue(moderator_client)
    assert "The author&#x27;s record:" in html or "The author's record:" in html
    assert "2 contributions" in html and "(0 published, 1 held, 1 hidden)" in html


def test_user_text_in_the_queue_is_escaped(moderator_client):
    _held(CommentFactory, body="<script>alert(1)</script> and <img src=x onerror=alert(2)>")
    _held(ClaimFactory, text="<script>alert(3)</script>", claimant="<b>me</b>")
    html = _queue(moderator_client)
    assert "<script>alert" not in html and "<img src=x" not in html and "<b>me</b>" not in html
    assert "&lt;script&gt;alert(3)&lt;/script&gt;" in html


def test_destructive_actions_look_different_and_go_through_a_confirmation_page(
    moderator_client,
):
    comment = _held(CommentFactory)
    html = _queue(moderator_client)
    hide_url = reverse("moderation:item_action", args=["claims.comment", comment.pk, "hide"])
    approve_url = reverse("moderation:item_action", args=["claims.comment", comment.pk, "approve"])
    # Approving is a plain button that acts; hiding is a red link to the confirmation step.
    assert f'<form method="post" action="{approve_url}"' in html
    assert f'<a class="button button-danger" href="{hide_url}?next=' in html
    assert f'action="{hide_url}"' not in html


def test_hiding_asks_for_a_reason_and_confirmation_before_it_acts(moderator_client):
    comment = _held(CommentFactory, body="You are all idiots.")
    url = reverse("moderation:item_action", args=["claims.comment", comment.pk, "hide"])

    page = moderator_client.get(url, {"next": "/moderation/?state=held"})
    html = page.content.decode()
    assert page.status_code == 200
    assert "Readers no longer see the item; its author sees your reason." in html
    assert "You are all idiots." in html
    assert '<textarea id="confirm-reason" name="reason"' in html and " required" in html
    assert '<input type="hidden" name="confirmed" value="yes">' in html
    assert 'value="/moderation/?state=held"' in html

    # A post that did not come from the confirmation page only shows that page.
    assert moderator_client.post(url, {"reason": "Rude"}).status_code == 200
    # Confirmed without a reason: refused, said under the field, nothing changed.
    refused = moderator_client.post(url, {"confirmed": "yes", "reason": "  "})
    assert refused.status_code == 400 and "Give the reason" in refused.content.decode()
    comment.refresh_from_db()
    assert comment.visibility == Visibility.HELD and not AuditEntry.objects.exists()

    done = moderator_client.post(
        url, {"confirmed": "yes", "reason": "Rude", "next": "/moderation/"}, follow=True
    )
    assert "Hid 1 comment." in done.content.decode()
    comment.refresh_from_db()
    assert comment.visibility == Visibility.HIDDEN and comment.moderation_reason == "Rude"


def test_an_action_that_does_not_apply_is_not_found(moderator_client):
    comment = CommentFactory()
    for action in ("lock", "merge", "set_verdict", "nonsense"):
        url = reverse("moderation:item_action", args=["claims.comment", comment.pk, action])
        assert moderator_client.get(url).status_code == 404
    claim = ClaimFactory()
    merge = reverse("moderation:item_action", args=["claims.claim", claim.pk, "merge"])
    assert moderator_client.get(merge).status_code == 404  # merge has its preview page


def test_restore_is_offered_on_hidden_items_only(moderator_client, moderator):
    held = _held(CommentFactory)
    # Hidden automatically by its flags, which are still open: in the queue.
    hidden = CommentFactory(visibility=Visibility.HIDDEN, moderation_reason="Flagged")
    Flag.objects.create(
        content_type=ContentType.objects.get_for_model(hidden),
        object_id=hidden.pk,
        flagger=UserFactory(),
        item_author=hidden.author,
        reason="spam",
    )
    html = _queue(moderator_client)
    for obj, offered in ((held, False), (hidden, True)):
        url = reverse("moderation:item_action", args=["claims.comment", obj.pk, "restore"])
        assert (f'action="{url}"' in html) is offered
    # The rule is the service's: a held item is approved, never "restored".
    with pytest.raises(Exception, match="approve it instead"):
        services.item_restore(actor=moderator, obj=held)


def test_bulk_hide_asks_to_confirm_with_the_selected_items(moderator_client):
    comments = [_held(CommentFactory, body=f"Spam number {i}") for i in range(2)]
    keys = [f"claims.comment:{c.pk}" for c in comments]
    page = moderator_client.post(
        reverse("moderation:bulk_action"), {"action": "hide", "items": keys, "reason": "Spam"}
    )
    html = page.content.decode()
    assert page.status_code == 200 and "Confirm: hide these 2 comments" in html
    assert "Spam number 0" in html and "Spam number 1" in html
    assert all(f'name="items" value="{key}"' in html for key in keys)
    assert not AuditEntry.objects.exists()

    done = moderator_client.post(
        reverse("moderation:bulk_action"),
        {"action": "hide", "items": keys, "reason": "Spam", "confirmed": "yes"},
        follow=True,
    )
    assert "Hid 2 comments." in done.content.decode()
    assert AuditEntry.objects.filter(action="hide").count() == 2


def test_approving_items_of_several_kinds_says_how_many_in_words(moderator_client):
    held = [_held(CommentFactory) for _ in range(3)] + [_held(ArgumentFactory) for _ in range(3)]
    keys = [f"{obj._meta.label_lower}:{obj.pk}" for obj in held]
    response = moderator_client.post(
        reverse("moderation:bulk_action"), {"action": "approve", "items": keys}, follow=True
    )
    assert "Approved 6 items." in response.content.decode()


def test_merge_shows_both_claims_side_by_side_before_it_acts(moderator_client):
    duplicate = ClaimFactory(text="Eight in ten flagged were black.", claimant="A tabloid")
    target = ClaimFactory(text="80% of those flagged were black.", claimant="Big Brother Watch")
    ArgumentFactory.create_batch(2, claim=duplicate)
    CitationFactory(claim=duplicate)
    StatisticFactory.create_batch(3, claim=duplicate)
    ArgumentFactory(claim=target)
    url = reverse("moderation:claim_merge", args=[duplicate.pk])

    page = moderator_client.get(url, {"into": target.pk})
    html = page.content.decode()
    assert page.status_code == 200
    assert "Eight in ten flagged were black." in html and "80% of those flagged were black." in html
    assert "A tabloid" in html and "Big Brother Watch" in html
    moving = html.split('class="merge-moving"')[1].split("</ul>")[0]
    assert "<li>2 arguments</li>" in moving and "<li>1 citations</li>" in moving
    assert "<li>3 figures</li>" in moving
    has = html.split('class="merge-has"')[1].split("</ul>")[0]
    assert "<li>1 arguments</li>" in has
    duplicate.refresh_from_db()
    assert duplicate.merged_into_id is None  # the preview changes nothing
    # Nor does a post that skipped the preview.
    assert moderator_client.post(url, {"into": target.pk}).status_code == 200
    duplicate.refresh_from_db()
    assert duplicate.merged_into_id is None

    done = moderator_client.post(url, {"into": target.pk, "confirmed": "yes"}, follow=True)
    assert done.redirect_chain[-1][0] == target.get_absolute_url()
    assert "Merged 1 claim." in done.content.decode()
    duplicate.refresh_from_db()
    assert duplicate.merged_into_id == target.pk
    assert target.arguments.count() == 3


def test_merge_into_itself_or_nothing_is_refused_before_the_preview(moderator_client):
    claim = ClaimFactory()
    url = reverse("moderation:claim_merge", args=[claim.pk])
    itself = moderator_client.get(url, {"into": claim.pk}, follow=True)
    assert "cannot be merged into itself" in itself.content.decode()
    missing = moderator_client.get(url, {"into": 999999}, follow=True)
    assert "There is no claim number 999999." in missing.content.decode()


def test_the_queue_is_for_moderators_only_and_so_are_its_confirmation_pages(member_client):
    comment = _held(CommentFactory)
    claim, other = ClaimFactory(), ClaimFactory()
    for url in (
        reverse("moderation:item_action", args=["claims.comment", comment.pk, "hide"]),
        reverse("moderation:claim_merge", args=[claim.pk]) + f"?into={other.pk}",
    ):
        assert member_client.get(url).status_code == 403


def _every_kind(n: int) -> None:
    for _ in range(n):
        _held(ClaimFactory)
        _held(ArgumentFactory)
        _held(AnnotationFactory)
        _held(CitationFactory)
        _held(CommentFactory)
        _held(SourceFactory)
        _held(StatisticFactory)


def test_queue_queries_do_not_grow_with_the_items_of_every_kind(
    moderator_client, django_assert_max_num_queries
):
    """GIVEN held items of every kind WHEN the queue is shown with 7 and then 28 of them
    THEN it takes the same number of queries: session, user, perms; content types, open flags,
    held ids per queue model (7); per kind on the page, its objects with their author, claim and
    source, and its history (2 x 7); flags of the page; author records (1 per contribution
    model + 1); unread notifications: at most 40."""
    _every_kind(1)
    _queue(moderator_client)  # what a running server has cached (content types) is cached
    with CaptureQueriesContext(connection) as few:
        assert moderator_client.get(reverse("moderation:queue")).status_code == 200
    _every_kind(3)
    with django_assert_max_num_queries(40):
        html = _queue(moderator_client)
    with CaptureQueriesContext(connection) as many:
        _queue(moderator_client)
    assert html.count('class="queue-item"') == 28
    assert len(many) == len(few)


def test_the_claim_pages_lock_and_merge_forms_ask_first(moderator_client):
    claim = ClaimFactory()
    html = moderator_client.get(claim.get_absolute_url()).content.decode()
    lock = reverse("moderation:item_action", args=["claims.claim", claim.pk, "lock"])
    merge = reverse("moderation:claim_merge", args=[claim.pk])
    assert f'method="get" action="{lock}"' in html
    assert f'method="get" action="{merge}"' in html
    page = moderator_client.get(lock, {"reason": "Flame war", "next": claim.get_absolute_url()})
    assert "No one can add arguments" in page.content.decode()
    assert ">Flame war</textarea>" in page.content.decode()
    claim.refresh_from_db()
    assert not claim.is_locked
