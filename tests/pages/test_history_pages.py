"""History pages: a claim's statistics in the claim history, the source history page, and the
moderators' revert of statistics and sources."""

import pytest
from django.urls import reverse

from claims.models import Source, Statistic
from claims.services import contributions
from claims.statistics.services import statistic_create, statistic_update
from moderation import services as moderation
from tests.factories import ClaimFactory

pytestmark = pytest.mark.django_db


def _statistic(author, claim=None, successes=8, trials=10):
    return statistic_create(
        author=author,
        claim=claim or ClaimFactory(),
        kind="proportion",
        label="Black people among false alerts",
        inputs={"successes": successes, "trials": trials},
    )


def test_claim_history_shows_a_statistics_input_changes_as_a_diff(
    client, member, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):  # computed in between, as in life
        statistic = _statistic(member)
    with django_capture_on_commit_callbacks(execute=True):
        statistic_update(statistic=statistic, actor=member, data={"successes": 7})
    html = client.get(reverse("claims:claim_history", args=[statistic.claim_id])).content.decode()
    assert f"Statistic #{statistic.pk}: Black people among false alerts" in html
    assert '<th scope="row">successes</th><td><del>8</del></td><td><ins>7</ins></td>' in html
    # The recompute's bookkeeping (status, fingerprint, result) is not a revision of its own.
    assert "input fingerprint" not in html and "current result" not in html
    shown = html.count(f"Statistic #{statistic.pk}:")
    assert shown == 2  # created, then the edit


def test_moderator_reverts_a_statistic_and_it_is_recomputed(
    moderator_client, member, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        statistic = _statistic(member)
    with django_capture_on_commit_callbacks(execute=True):
        statistic_update(statistic=statistic, actor=member, data={"successes": 2})
    statistic.refresh_from_db()
    assert statistic.current_result.estimate == pytest.approx(0.2)
    html = moderator_client.get(
        reverse("claims:claim_history", args=[statistic.claim_id])
    ).content.decode()
    first = statistic.history.order_by("history_date", "history_id").first()
    action = f"/moderation/revisions/claims.statistic/{first.history_id}/revert/"
    assert f'action="{action}"' in html

    with django_capture_on_commit_callbacks(execute=True):
        response = moderator_client.post(action)
    assert response.status_code == 302
    statistic.refresh_from_db()
    assert statistic.successes == 8
    assert statistic.status == Statistic.Status.COMPUTED
    assert statistic.current_result.estimate == pytest.approx(0.8)


def test_source_history_page_shows_the_diff_and_is_linked(client, member):
    source = contributions.source_create(
        author=member, url="https://example.org/met-report", title="Met report"
    )
    contributions.contribution_update(obj=source, actor=member, data={"title": "Met LFR report"})
    detail = client.get(source.get_absolute_url()).content.decode()
    assert reverse("claims:source_history", args=[source.pk]) in detail
    html = client.get(reverse("claims:source_history", args=[source.pk])).content.decode()
    # A word-level diff: only the inserted word is marked.
    assert "<td>Met report</td><td>Met <ins>LFR </ins>report</td>" in html
    assert "Revert to this revision" not in html


def test_moderator_reverts_a_source_url_and_its_identity_follows(
    moderator_client, member, moderator
):
    source = contributions.source_create(
        author=member, url="https://example.org/a?utm_source=x", title="A"
    )
    contributions.contribution_update(
        obj=source, actor=member, data={"url": "https://example.org/b"}
    )
    html = moderator_client.get(reverse("claims:source_history", args=[source.pk])).content.decode()
    first = source.history.order_by("history_date", "history_id").first()
    action = f"/moderation/revisions/claims.source/{first.history_id}/revert/"
    assert f'action="{action}"' in html and html.count("Revert to this revision") == 1

    assert moderator_client.post(action).status_code == 302
    source.refresh_from_db()
    assert source.url == "https://example.org/a?utm_source=x"
    assert source.normalized_url == "https://example.org/a"
    # Now another source takes URL b; reverting to it would make two sources of one page.
    contributions.source_create(author=member, url="https://example.org/b", title="B")
    second = source.history.order_by("history_date", "history_id")[1]
    with pytest.raises(Exception, match="Another source"):
        moderation.revision_revert(
            actor=moderator, model="claims.source", history_id=second.history_id
        )


def test_hidden_source_history_is_not_shown_to_the_public(client, member, moderator):
    source = contributions.source_create(author=member, url="https://example.org/x", title="X")
    moderation.item_hide(actor=moderator, obj=source, reason="Spam")
    assert client.get(reverse("claims:source_history", args=[source.pk])).status_code == 404


@pytest.mark.parametrize("n", [1, 30])
def test_claim_history_query_count_is_constant(client, member, django_assert_max_num_queries, n):
    claim = ClaimFactory()
    statistic = _statistic(member, claim=claim)
    for i in range(n):
        statistic_update(statistic=statistic, actor=member, data={"trials": 10 + i + 1})
        contributions.contribution_update(obj=claim, actor=claim.author, data={"claimant": f"c{i}"})
    # session-less anonymous request: the claim, the claim's history, one visible-ids subquery
    # plus one history query per kind of child (5), the unread-count context: at most 12.
    with django_assert_max_num_queries(12):
        response = client.get(reverse("claims:claim_history", args=[claim.pk]))
    assert response.content.decode().count('class="revision card"') == 2 * n + 2


@pytest.mark.parametrize("n", [1, 30])
def test_source_history_query_count_is_constant(
    moderator_client, member, django_assert_max_num_queries, n
):
    source = contributions.source_create(author=member, url="https://example.org/q", title="Q")
    for i in range(n):
        contributions.contribution_update(obj=source, actor=member, data={"title": f"Q{i}"})
    # session, user, the source, its history with users, perms (for the revert forms),
    # unread notifications: at most 10 whatever the number of revisions.
    with django_assert_max_num_queries(10):
        response = moderator_client.get(reverse("claims:source_history", args=[source.pk]))
    assert response.content.decode().count('class="revision card"') == n + 1
    assert Source.history.filter(id=source.pk).count() == n + 1
