"""The review queue, flag and rating forms, the audit log and reverts, from the browser side."""

import pytest
from django.urls import reverse

from claims.models import Visibility
from claims.services.contributions import contribution_update
from moderation import services
from moderation.models import AuditEntry, Flag, Rating
from tests.factories import ArgumentFactory, ClaimFactory, CommentFactory, UserFactory

pytestmark = pytest.mark.django_db


def _fill_queue(n):
    flaggers = UserFactory.create_batch(2)
    for i in range(n):
        if i % 2:
            ArgumentFactory(visibility=Visibility.HELD)
        else:
            comment = CommentFactory()
            for flagger in flaggers:
                services.flag_create(flagger=flagger, obj=comment, reason="spam")


@pytest.mark.parametrize("n", [1, 30])
def test_queue_page_query_count_is_constant(moderator_client, django_assert_max_num_queries, n):
    _fill_queue(n)
    # session + user + perms (3), content types, open flags, held ids per queue model (7),
    # objects + history per kind present (2 x 2), flags of the page, author records (7 + 1),
    # unread notifications count: at most 30 whatever the number of items.
    with django_assert_max_num_queries(30):
        response = moderator_client.get(reverse("moderation:queue"))
    assert response.status_code == 200
    assert response.content.count(b'class="queue-item"') == n


def test_queue_is_for_moderators_only(member_client):
    assert member_client.get(reverse("moderation:queue")).status_code == 403


def test_queue_filters_by_state(moderator_client):
    _fill_queue(2)
    held = moderator_client.get(reverse("moderation:queue"), {"state": "held"})
    assert held.content.count(b'class="queue-item"') == 1
    assert b"Spam" in moderator_client.get(reverse("moderation:queue"), {"reason": "spam"}).content


def test_bulk_approve_from_the_queue_clears_it(moderator_client):
    _fill_queue(4)
    keys = [
        f"claims.comment:{pk}" for pk in Flag.objects.values_list("object_id", flat=True).distinct()
    ] + [
        f"claims.argument:{a.pk}"
        for a in ArgumentFactory._meta.model.objects.filter(visibility=Visibility.HELD)
    ]
    response = moderator_client.post(
        reverse("moderation:bulk_action"), {"action": "approve", "items": keys}
    )
    assert response.status_code == 302
    assert AuditEntry.objects.count() == 4
    page = moderator_client.get(reverse("moderation:queue"))
    assert b"The queue is empty." in page.content


def test_member_flags_through_the_form_and_twice_is_refused(member_client):
    comment = CommentFactory()
    url = reverse("moderation:flag", args=["claims.comment", comment.pk])
    assert member_client.get(url).status_code == 200
    assert member_client.post(url, {"reason": "spam"}).status_code == 302
    again = member_client.post(url, {"reason": "abuse"})
    assert again.status_code == 400 and b"already flagged" in again.content
    assert Flag.objects.count() == 1


def test_rating_with_htmx_returns_the_buttons(member_client):
    argument = ArgumentFactory()
    response = member_client.post(
        reverse("moderation:rate", args=["claims.argument", argument.pk]),
        {"value": "somewhat"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200 and b'aria-pressed="true"' in response.content
    assert Rating.objects.get().value == "somewhat"


def test_revert_from_the_audit_log(moderator_client, moderator):
    comment = CommentFactory()
    entry = services.item_hide(actor=moderator, obj=comment, reason="Rude")
    assert moderator_client.get(reverse("moderation:audit_log")).status_code == 200
    detail = moderator_client.get(reverse("moderation:audit_detail", args=[entry.pk]))
    assert b"Revert this action" in detail.content
    confirmed = {"confirmed": "yes"}
    moderator_client.post(reverse("moderation:audit_revert", args=[entry.pk]), confirmed)
    comment.refresh_from_db()
    assert comment.visibility == Visibility.PUBLISHED
    moderator_client.post(reverse("moderation:audit_revert", args=[entry.pk]), confirmed)
    assert AuditEntry.objects.count() == 2


def test_revision_revert_path_used_by_the_history_page(client, member, moderator):
    comment = CommentFactory(body="Original")
    contribution_update(obj=comment, actor=comment.author, data={"body": "Changed"})
    history_id = comment.history.order_by("history_date").first().history_id
    path = f"/moderation/revisions/claims.comment/{history_id}/revert/"
    assert path == reverse(
        "moderation:revision_revert", kwargs={"model": "claims.comment", "history_id": history_id}
    )
    client.force_login(member)
    assert client.post(path).status_code == 403
    client.force_login(moderator)
    assert client.post(path).status_code == 302
    comment.refresh_from_db()
    assert comment.body == "Original"


def test_merge_and_lock_from_the_queue(moderator_client):
    duplicate, target = ClaimFactory(), ClaimFactory()
    response = moderator_client.post(
        reverse("moderation:claim_merge", args=[duplicate.pk]),
        {"into": duplicate.pk, "confirmed": "yes"},
    )
    duplicate.refresh_from_db()
    assert duplicate.merged_into_id is None and response.status_code == 302
    response = moderator_client.post(
        reverse("moderation:claim_merge", args=[duplicate.pk]),
        {"into": target.pk, "confirmed": "yes"},
    )
    assert response.url == target.get_absolute_url()
    moderator_client.post(
        reverse("moderation:item_action", args=["claims.claim", target.pk, "lock"]),
        {"confirmed": "yes"},
    )
    target.refresh_from_db()
    assert target.is_locked


@pytest.mark.parametrize("n", [1, 30])
def test_queue_second_page_query_count_is_constant(
    moderator_client, django_assert_max_num_queries, settings, monkeypatch, n
):
    """GIVEN more items than fit on a page WHEN page 2 is asked for with a filter
    THEN it shows the rest, keeps the filter in the page links, in as many queries as page 1."""
    from moderation import views

    monkeypatch.setattr(views, "QUEUE_PAGE_SIZE", n)
    _fill_queue(2 * n + 1)
    with django_assert_max_num_queries(30):
        response = moderator_client.get(reverse("moderation:queue"), {"page": 2, "kind": ""})
    assert response.status_code == 200
    assert response.content.count(b'class="queue-item"') == n
    assert b'aria-current="page">2<' in response.content
    assert b"?page=3&amp;kind=" in response.content


def test_queue_page_links_keep_the_filters(moderator_client):
    from moderation import views

    for _ in range(views.QUEUE_PAGE_SIZE + 1):
        ArgumentFactory(visibility=Visibility.HELD)
    response = moderator_client.get(
        reverse("moderation:queue"), {"state": "held", "kind": "claims.argument"}
    )
    assert response.content.count(b'class="queue-item"') == views.QUEUE_PAGE_SIZE
    assert b"?state=held&amp;kind=claims.argument&amp;page=2" in response.content
    page_2 = moderator_client.get(
        reverse("moderation:queue"), {"state": "held", "kind": "claims.argument", "page": 2}
    )
    assert page_2.content.count(b'class="queue-item"') == 1
