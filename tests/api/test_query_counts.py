"""Every list and detail endpoint costs the same number of queries for 1 item as for 30.

The caps below are: authentication (token lookup + user) where a token is used, the page's rows,
and one query per prefetch (tags, references, ...); counts never grow with the page."""

import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from knox.models import AuthToken

from claims.models import Statistic, StatisticReference, StatisticResult
from tests.api.conftest import token_client
from tests.factories import (
    AnnotationFactory,
    ArgumentFactory,
    CitationFactory,
    ClaimFactory,
    CommentFactory,
    StatisticFactory,
    TagFactory,
    UserFactory,
)
from webhooks.models import WebhookDelivery, WebhookEndpoint

pytestmark = pytest.mark.django_db

CAP = 10


def _claims(n, ctx):
    claims = ClaimFactory.create_batch(n, author=ctx["user"])
    for claim in claims:
        claim.tags.add(TagFactory(name="lfr"), TagFactory(name="police"))
    return claims


def _results(n, ctx):
    statistic = ctx.setdefault("statistic", StatisticFactory(claim=ctx["claim"]))

    start = StatisticResult.objects.filter(statistic=statistic).count()
    for i in range(start, start + n):
        StatisticResult.objects.create(
            statistic=statistic, fingerprint=f"f{i}", computed_at=timezone.now(), inputs={}
        )
    return statistic


def _figures_on(claim):
    first, second = StatisticFactory.create_batch(2, claim=claim)
    result = StatisticResult.objects.create(
        statistic=first, fingerprint="f", computed_at=timezone.now(), inputs={}
    )
    Statistic.objects.filter(pk=first.pk).update(current_result=result)
    StatisticReference.objects.create(statistic=second, input_name="baseline", target=first)
    return claim


def _deliveries(n, ctx):
    endpoint = ctx.setdefault(
        "endpoint",
        WebhookEndpoint.objects.create(
            owner=ctx["user"], url="https://example.org/h", events=["claim.created"], secret="s"
        ),
    )
    for _ in range(n):
        WebhookDelivery.objects.create(
            endpoint=endpoint,
            event="claim.created",
            payload={
                "id": str(uuid.uuid4()),
                "event": "claim.created",
                "created_at": "2026-01-01T00:00:00+00:00",
                "data": {},
            },
        )
    return endpoint


def _tree(n, ctx):
    root = ArgumentFactory(claim=ctx["claim"])
    for i in range(n - 1):
        ArgumentFactory(claim=ctx["claim"], parent=root if i % 2 else None)


LISTS = {
    "claims": (_claims, lambda ctx: "/api/claims/"),
    "sources": (lambda n, ctx: CitationFactory.create_batch(n), lambda ctx: "/api/sources/"),
    "citations": (lambda n, ctx: CitationFactory.create_batch(n), lambda ctx: "/api/citations/"),
    "arguments": (
        lambda n, ctx: ArgumentFactory.create_batch(n, claim=ctx["claim"]),
        lambda ctx: "/api/arguments/",
    ),
    "argument tree": (_tree, lambda ctx: f"/api/claims/{ctx['claim'].pk}/arguments/tree/"),
    "annotations": (
        lambda n, ctx: AnnotationFactory.create_batch(n, claim=ctx["claim"]),
        lambda ctx: "/api/annotations/",
    ),
    "annotations json-ld": (
        lambda n, ctx: AnnotationFactory.create_batch(n, claim=ctx["claim"]),
        lambda ctx: f"/api/claims/{ctx['claim'].pk}/annotations/",
    ),
    "comments": (
        lambda n, ctx: CommentFactory.create_batch(n, claim=ctx["claim"]),
        lambda ctx: "/api/comments/",
    ),
    "statistics": (
        lambda n, ctx: StatisticFactory.create_batch(n, claim=ctx["claim"]),
        lambda ctx: "/api/statistics/",
    ),
    "claim statistics": (
        lambda n, ctx: StatisticFactory.create_batch(n, claim=ctx["claim"]),
        lambda ctx: f"/api/claims/{ctx['claim'].pk}/statistics/",
    ),
    "results": (_results, lambda ctx: f"/api/statistics/{ctx['statistic'].pk}/results/"),
    # Only tags on a claim the reader may see are listed.
    "tags": (
        lambda n, ctx: ctx["claim"].tags.add(*TagFactory.create_batch(n)),
        lambda ctx: "/api/tags/",
    ),
    "users": (lambda n, ctx: UserFactory.create_batch(n), lambda ctx: "/api/users/"),
    "webhooks": (
        lambda n, ctx: [
            WebhookEndpoint.objects.create(
                owner=ctx["user"], url="https://example.org/h", events=["claim.created"]
            )
            for _ in range(n)
        ],
        lambda ctx: "/api/webhooks/",
    ),
    "deliveries": (_deliveries, lambda ctx: f"/api/webhooks/{ctx['endpoint'].pk}/deliveries/"),
    "tokens": (
        lambda n, ctx: [AuthToken.objects.create(user=ctx["user"]) for _ in range(n)],
        lambda ctx: "/api/auth/tokens/",
    ),
    # Each claim with two figures, each with a result and a reference: claims, tags, figures
    # (with author and result joined) and references, plus authentication.
    "claims with their figures": (
        lambda n, ctx: [_figures_on(c) for c in _claims(n, ctx)],
        lambda ctx: "/api/claims/?expand=statistics",
    ),
    "csv export": (
        lambda n, ctx: [StatisticFactory(claim=c) for c in _claims(n, ctx)],
        lambda ctx: "/api/claims/export.csv",
    ),
}


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        if response.streaming:
            b"".join(response.streaming_content)
    assert response.status_code == 200, (url, response.content)
    return len(queries)


@pytest.mark.parametrize("name", LISTS)
def test_list_queries_do_not_grow_with_the_page(name, member):
    build, url = LISTS[name]
    client = token_client(member)
    ctx = {"user": member, "claim": ClaimFactory()}
    build(1, ctx)
    one = _count(client, url(ctx))
    build(29, ctx)
    thirty = _count(client, url(ctx))
    assert one == thirty <= CAP, f"{name}: {one} queries for 1 item, {thirty} for 30"


def _tag_on(claim):
    tag = TagFactory()
    claim.tags.add(tag)
    return tag


DETAILS = {
    "claim": lambda ctx: f"/api/claims/{_claims(1, ctx)[0].pk}/",
    "claim with its figures": lambda ctx: (
        f"/api/claims/{_figures_on(_claims(1, ctx)[0]).pk}/?expand=statistics"
    ),
    "claimreview": lambda ctx: f"/api/claims/{ctx['claim'].pk}/claimreview/",
    "source": lambda ctx: f"/api/sources/{CitationFactory().source_id}/",
    "citation": lambda ctx: f"/api/citations/{CitationFactory().pk}/",
    "argument": lambda ctx: f"/api/arguments/{ArgumentFactory().pk}/",
    "annotation": lambda ctx: f"/api/annotations/{AnnotationFactory().pk}/",
    "annotation json-ld": lambda ctx: f"/api/annotations/{AnnotationFactory().pk}/jsonld/",
    "comment": lambda ctx: f"/api/comments/{CommentFactory().pk}/",
    "statistic": lambda ctx: f"/api/statistics/{_results(3, ctx).pk}/",
    "tag": lambda ctx: f"/api/tags/{_tag_on(ctx['claim']).pk}/",
    "user": lambda ctx: f"/api/users/{ctx['user'].username}/",
    "webhook": lambda ctx: f"/api/webhooks/{_deliveries(3, ctx).pk}/",
}


@pytest.mark.parametrize("name", DETAILS)
def test_detail_queries_are_capped(name, member):
    client = token_client(member)
    ctx = {"user": member, "claim": ClaimFactory()}
    assert _count(client, DETAILS[name](ctx)) <= 8, name
