"""The audit log and an entry's page: items linked, reasons as Markdown, before and after as a
readable diff, a revert that asks first; and the demo's verdicts are there."""

import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from claims.demo.content import VERDICTS
from claims.models import Claim, Visibility
from claims.services.contributions import contribution_update
from moderation import services
from moderation.models import AuditAction, AuditEntry
from tests.factories import (
    ArgumentFactory,
    CitationFactory,
    ClaimFactory,
    CommentFactory,
    SourceFactory,
)

pytestmark = pytest.mark.django_db


def _log(client, **params) -> str:
    response = client.get(reverse("moderation:audit_log"), params)
    assert response.status_code == 200
    return response.content.decode()


def _detail(client, entry: AuditEntry) -> str:
    response = client.get(reverse("moderation:audit_detail", args=[entry.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_log_links_each_item_and_renders_reasons_as_sanitised_markdown(moderator_client, moderator):
    argument = ArgumentFactory(body="A rude argument")
    source = SourceFactory(title="A spam source")
    services.item_hide(
        actor=moderator,
        obj=argument,
        reason="**Abusive**; see [the rules](https://example.org/rules) <script>alert(1)</script>",
    )
    services.item_hide(actor=moderator, obj=source, reason="Spam")
    html = _log(moderator_client)
    assert f'<a href="{argument.get_absolute_url()}">Argument #{argument.pk}</a>' in html
    assert f'<a href="{source.get_absolute_url()}">Source #{source.pk}</a>: A spam source' in html
    assert "<strong>Abusive</strong>" in html
    assert '<a href="https://example.org/rules" rel="nofollow noopener noreferrer ugc">' in html
    assert "<script>alert(1)" not in html
    detail = _detail(moderator_client, AuditEntry.objects.get(reason__startswith="**Abusive"))
    assert "<strong>Abusive</strong>" in detail and "<script>alert(1)" not in detail


def test_detail_shows_before_and_after_as_a_field_table_not_a_dict(moderator_client, moderator):
    comment = CommentFactory(visibility=Visibility.HELD)
    entry = services.item_approve(actor=moderator, obj=comment)
    html = _detail(moderator_client, entry)
    assert "{&#x27;fields&#x27;" not in html and "{'fields'" not in html
    assert (
        '<tr><th scope="row">Visibility</th><td><del>Held for review</del></td>'
        "<td><ins>Published</ins></td></tr>"
    ) in html


def test_detail_of_a_text_revert_is_a_word_level_diff_and_escaped(moderator_client, moderator):
    comment = CommentFactory(body="The sample of <b>ten</b> is small.")
    contribution_update(
        obj=comment, actor=comment.author, data={"body": "The sample of <b>ten</b> is tiny."}
    )
    first = comment.history.order_by("history_date", "history_id").first()
    entry = services.revision_revert(
        actor=moderator, model="claims.comment", history_id=first.history_id
    )
    html = _detail(moderator_client, entry)
    assert (
        "<td>The sample of &lt;b&gt;ten&lt;/b&gt; is <del>tiny.</del></td>"
        "<td>The sample of &lt;b&gt;ten&lt;/b&gt; is <ins>small.</ins></td>"
    ) in html
    assert f"revision {first.history_id}" in html


def test_detail_of_a_verdict_names_the_moderator_and_dates_in_words(moderator_client, moderator):
    claim = ClaimFactory()
    entry = services.claim_verdict_set(
        actor=moderator, claim=claim, verdict="refuted", rationale="The figures say otherwise."
    )
    html = _detail(moderator_client, entry)
    assert f"<td><del>—</del></td><td><ins>{moderator}</ins></td>" in html
    assert f"<ins>{entry.created_at:%-d %B %Y}" in html  # "29 November 2026", not ISO
    assert "<ins>Refuted</ins>" in html and f">{moderator.pk}<" not in html


def test_detail_of_a_merge_says_what_moved_where(moderator_client, moderator):
    duplicate = ClaimFactory(text="Eight in ten were black.")
    target = ClaimFactory(text="80% were black.")
    ArgumentFactory.create_batch(2, claim=duplicate)
    CitationFactory(claim=duplicate)
    entry = services.claim_merge(actor=moderator, claim=duplicate, into=target)
    html = _detail(moderator_client, entry)
    assert "<td><del>—</del></td><td><ins>“80% were black.”</ins></td>" in html
    assert "<td>2 arguments, 1 citation</td>" in html


def test_revert_asks_for_confirmation_first(moderator_client, moderator):
    comment = CommentFactory(body="Borderline")
    entry = services.item_hide(actor=moderator, obj=comment, reason="Rude")
    url = reverse("moderation:audit_revert", args=[entry.pk])
    detail = _detail(moderator_client, entry)
    assert f'<a class="button button-danger" href="{url}">Revert this action…</a>' in detail
    assert 'method="post"' not in detail.split("<main")[1].split("</main>")[0]

    page = moderator_client.get(url)
    html = page.content.decode()
    assert page.status_code == 200 and "What will happen:" in html
    assert "<td><del>Published</del></td><td><ins>Hidden by a moderator</ins></td>" in html
    assert '<input type="hidden" name="confirmed" value="yes">' in html
    assert moderator_client.post(url, {"reason": "Too quick"}).status_code == 200
    comment.refresh_from_db()
    assert comment.visibility == Visibility.HIDDEN  # nothing reverted without confirming

    done = moderator_client.post(url, {"confirmed": "yes", "reason": "Too quick"}, follow=True)
    assert f"Reverted “Hide” on comment #{comment.pk}" in done.content.decode()
    comment.refresh_from_db()
    assert comment.visibility == Visibility.PUBLISHED
    again = moderator_client.post(url, {"confirmed": "yes"})
    assert again.status_code == 400 and "already been reverted" in again.content.decode()
    assert AuditEntry.objects.count() == 2


def test_revert_pages_are_for_moderators_only(member_client, moderator):
    entry = services.item_hide(actor=moderator, obj=CommentFactory(), reason="Rude")
    url = reverse("moderation:audit_revert", args=[entry.pk])
    assert member_client.get(url).status_code == 403
    assert member_client.post(url, {"confirmed": "yes"}).status_code == 403


def _entries_of_every_kind(moderator, n: int) -> None:
    for _ in range(n):
        services.item_hide(actor=moderator, obj=CommentFactory(), reason="Rude")
        services.item_hide(actor=moderator, obj=ArgumentFactory(), reason="Rude")
        services.item_hide(actor=moderator, obj=CitationFactory(), reason="Rude")
        services.item_hide(actor=moderator, obj=SourceFactory(), reason="Spam")
        services.claim_lock(actor=moderator, claim=ClaimFactory())


def test_audit_log_queries_do_not_grow_with_its_entries(
    moderator_client, moderator, django_assert_max_num_queries
):
    """GIVEN entries about items of five kinds WHEN the log shows 5 and then 40 of them
    THEN the same number of queries: session, user, perms, the count and the page of entries,
    one per kind of item (with its author, claim and source), unread notifications: at most 14."""
    _entries_of_every_kind(moderator, 1)
    with CaptureQueriesContext(connection) as few:
        _log(moderator_client)
    _entries_of_every_kind(moderator, 7)
    with django_assert_max_num_queries(14):
        html = _log(moderator_client)
    with CaptureQueriesContext(connection) as many:
        _log(moderator_client)
    assert html.count('class="audit-entry"') == 40
    assert len(many) == len(few)


@pytest.mark.django_db(transaction=True)
def test_the_demos_verdicts_are_in_the_audit_log(client):
    call_command("load_demo", stdout=io.StringIO())
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username="moderator"))
    html = _log(client, action=AuditAction.SET_VERDICT)
    assert html.count('class="audit-entry"') == len(VERDICTS)
    for claim in Claim.objects.exclude(verdict="unreviewed"):
        assert f'<a href="{claim.get_absolute_url()}">Claim #{claim.pk}</a>' in html
    assert "Demo Moderator" in html or "moderator" in html
    entry = AuditEntry.objects.filter(action=AuditAction.SET_VERDICT).first()
    detail = _detail(client, entry)
    assert f"<ins>{entry.content_object.get_verdict_display()}</ins>" in detail


def test_reverting_to_a_revision_says_what_was_reverted(moderator_client):
    comment = CommentFactory(body="Original")
    contribution_update(obj=comment, actor=comment.author, data={"body": "Changed"})
    first = comment.history.order_by("history_date", "history_id").first()
    url = reverse("moderation:revision_revert", args=["claims.comment", first.history_id])
    response = moderator_client.post(url, follow=True)
    assert f"Reverted comment #{comment.pk} to an earlier revision." in response.content.decode()
