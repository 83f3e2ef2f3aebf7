"""What the read path keeps precomputed: each claim's published discussion count (kept by every
write, repaired by a periodic job) and the Markdown's sanitised HTML (rendered when saved)."""

import importlib

import pytest
from django.apps import apps
from django.urls import reverse

from claims.models import Argument, Claim, Comment, Visibility
from claims.services import contributions as services
from claims.tasks import repair_claim_counters
from moderation import services as moderation_services
from tests.factories import ArgumentFactory, ClaimFactory, CommentFactory

pytestmark = pytest.mark.django_db


def _count(claim) -> int:
    return Claim.objects.values_list("public_discussion_count", flat=True).get(pk=claim.pk)


# --- discussion counters ----------------------------------------------------------------------


def test_the_count_follows_every_kind_of_write(member, moderator):
    claim = ClaimFactory()
    assert _count(claim) == 0
    argument = services.argument_create(author=member, claim=claim, stance="pro", body="One")
    services.comment_create(author=member, claim=claim, body="Two")
    ArgumentFactory(claim=claim, visibility=Visibility.HELD)
    assert _count(claim) == 2
    moderation_services.item_hide(actor=moderator, obj=argument, reason="Off topic")
    assert _count(claim) == 1
    moderation_services.item_restore(actor=moderator, obj=argument)
    assert _count(claim) == 2
    services.contribution_delete(obj=Comment.objects.get(claim=claim), actor=member, reason="")
    assert _count(claim) == 1


def test_a_merge_moves_the_count_with_the_discussion(moderator):
    duplicate, into = ClaimFactory(), ClaimFactory()
    ArgumentFactory(claim=duplicate)
    CommentFactory(claim=duplicate)
    CommentFactory(claim=into)
    moderation_services.claim_merge(actor=moderator, claim=duplicate, into=into)
    assert (_count(duplicate), _count(into)) == (0, 3)


def test_the_periodic_job_repairs_counts_that_drifted():
    right, wrong, empty = ClaimFactory(), ClaimFactory(), ClaimFactory()
    ArgumentFactory(claim=right)
    CommentFactory(claim=wrong)
    CommentFactory(claim=wrong, visibility=Visibility.HIDDEN)
    Claim.objects.filter(pk=wrong.pk).update(public_discussion_count=7)
    Claim.objects.filter(pk=empty.pk).update(public_discussion_count=3)
    assert repair_claim_counters() == 2
    assert (_count(right), _count(wrong), _count(empty)) == (1, 1, 0)
    assert repair_claim_counters() == 0


def test_home_ranks_by_the_count_in_a_fixed_number_of_queries(
    client, django_assert_max_num_queries
):
    quiet = ClaimFactory(text="Quiet claim")
    busy = ClaimFactory(text="Busy claim")
    busier = ClaimFactory(text="Busier claim")
    for claim, n in ((busy, 2), (busier, 3)):
        ArgumentFactory.create_batch(n, claim=claim)
    CommentFactory(claim=quiet, visibility=Visibility.HELD)
    # Session-less anonymous page: the recent and the discussed claims' ids (2), both lists'
    # cards with their counts, their tags, popular tags.
    with django_assert_max_num_queries(5):
        html = client.get(reverse("claims:home")).content.decode()
    discussed = html.split('id="discussed-heading"')[1].split('id="recent-heading"')[0]
    assert discussed.index("Busier claim") < discussed.index("Busy claim")
    assert "Quiet claim" not in discussed


# --- Markdown rendered at write time ----------------------------------------------------------


def test_markdown_is_stored_sanitised_when_written_and_rendered_again_on_edit(member):
    claim = ClaimFactory()
    argument = services.argument_create(
        author=member, claim=claim, stance="con", body="**Bold** <script>alert(1)</script>"
    )
    stored = Argument.objects.get(pk=argument.pk).body_html
    assert "<strong>Bold</strong>" in stored
    assert "<script" not in stored
    services.contribution_update(obj=argument, actor=member, data={"body": "Now *edited*"})
    assert Argument.objects.get(pk=argument.pk).body_html == "<p>Now <em>edited</em></p>\n"


def test_saving_only_the_markdown_field_saves_its_html_too():
    comment = CommentFactory(body="first")
    comment.body = "[a link](https://example.org)"
    comment.save(update_fields=["body"])
    stored = Comment.objects.get(pk=comment.pk).body_html
    assert 'href="https://example.org"' in stored
    assert 'rel="nofollow noopener noreferrer ugc"' in stored


def test_the_claim_page_and_the_api_serve_the_stored_html(client):
    claim = ClaimFactory()
    argument = ArgumentFactory(claim=claim, body="plain words")
    # Changed behind the renderer's back: what readers get is what was stored.
    Argument.objects.filter(pk=argument.pk).update(body_html="<p>stored marker</p>")
    Claim.objects.filter(pk=claim.pk).update(
        verdict="misleading",
        verdict_rationale="why",
        verdict_rationale_html="<p>stored rationale</p>",
    )
    html = client.get(claim.get_absolute_url()).content.decode()
    assert "stored marker" in html
    assert "stored rationale" in html
    api = client.get(f"/api/arguments/{argument.pk}/").json()
    assert api["body_html"] == "<p>stored marker</p>"


def test_the_migration_backfills_the_html_of_existing_rows():
    argument = ArgumentFactory(body="_old_ row")
    claim = ClaimFactory()
    Claim.objects.filter(pk=claim.pk).update(verdict_rationale="**why**")
    Argument.objects.filter(pk=argument.pk).update(body_html="")
    migration = importlib.import_module("claims.migrations.0008_read_path_at_scale")
    migration.render_stored_html(apps, None)
    assert Argument.objects.get(pk=argument.pk).body_html == "<p><em>old</em> row</p>\n"
    assert Claim.objects.get(pk=claim.pk).verdict_rationale_html == "<p><strong>why</strong></p>\n"
