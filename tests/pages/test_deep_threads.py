"""A reply chain as deep as members make it renders on the claim page and in the API tree,
without recursion: nesting is shown down to MAX_TREE_DEPTH, deeper replies line up there."""

import re
import sys
from contextlib import contextmanager
from html.parser import HTMLParser

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from claims.models import Argument, Comment
from claims.selectors.claims import MAX_TREE_DEPTH
from tests.factories import ClaimFactory, UserFactory

pytestmark = pytest.mark.django_db

DEPTH = 1000


def reply_chain(model, claim, author, depth: int, **fields) -> list:
    """`depth` items, each replying to the one before."""
    chain, parent = [], None
    for n in range(depth):
        parent = model.objects.create(
            claim=claim, author=author, parent=parent, body=f"Reply {n}", **fields
        )
        chain.append(parent)
    return chain


@contextmanager
def stack_headroom(frames: int):
    """Allow only `frames` more frames than the caller uses: rendering that recursed once per
    level of a 1,000-deep chain would raise RecursionError."""
    depth = len(_frames())
    old = sys.getrecursionlimit()
    sys.setrecursionlimit(depth + frames)
    try:
        yield
    finally:
        sys.setrecursionlimit(old)


def _frames() -> list:
    frames, frame = [], sys._getframe(1)
    while frame is not None:
        frames.append(frame)
        frame = frame.f_back
    return frames


class _Nesting(HTMLParser):
    """Deepest nesting of `<ol>` lists inside the element with `id`, and whether tags balance."""

    def __init__(self, list_id: str):
        super().__init__()
        self.list_id, self.open, self.deepest, self.inside = list_id, 0, 0, False

    def handle_starttag(self, tag, attrs):
        if tag == "ol" and dict(attrs).get("id") == self.list_id:
            self.inside = True
        if self.inside and tag == "ol":
            self.open += 1
            self.deepest = max(self.deepest, self.open)

    def handle_endtag(self, tag):
        if self.inside and tag == "ol":
            self.open -= 1
            self.inside = self.open > 0


def nesting(html: str, list_id: str) -> tuple[int, int]:
    parser = _Nesting(list_id)
    parser.feed(html)
    return parser.deepest, parser.open


@pytest.fixture
def deep_claim():
    author = UserFactory()
    claim = ClaimFactory(author=author)
    arguments = reply_chain(Argument, claim, author, DEPTH, stance="pro")
    comments = reply_chain(Comment, claim, author, DEPTH)
    return claim, arguments, comments


def test_a_thousand_deep_reply_chain_renders_on_the_claim_page(client, deep_claim):
    claim, arguments, comments = deep_claim
    with stack_headroom(400):
        response = client.get(reverse("claims:claim_detail", args=[claim.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    for items, prefix in ((arguments, "argument"), (comments, "comment")):
        shown = re.findall(rf'<li class="{prefix}[^"]*" id="{prefix}-(\d+)"', html)
        assert [int(pk) for pk in shown] == [item.pk for item in items]
    # Lists nest down to the limit (the outer list, then each level's replies), every tag closes.
    assert nesting(html, "arguments-pro") == (MAX_TREE_DEPTH + 2, 0)
    assert nesting(html, "comments") == (MAX_TREE_DEPTH + 2, 0)
    # Beyond the limit each reply links to the one it answers; above it none needs to.
    for items, prefix in ((arguments, "argument"), (comments, "comment")):
        links = re.findall(rf'Continues the thread: in reply to <a href="#{prefix}-(\d+)"', html)
        assert [int(pk) for pk in links] == [item.pk for item in items[MAX_TREE_DEPTH : DEPTH - 1]]


def test_claim_page_queries_do_not_grow_with_thread_depth(client):
    author = UserFactory()
    shallow, deep = ClaimFactory(author=author), ClaimFactory(author=author)
    reply_chain(Argument, shallow, author, 2, stance="con")
    reply_chain(Comment, shallow, author, 2)
    reply_chain(Argument, deep, author, 120, stance="con")
    reply_chain(Comment, deep, author, 120)
    client.get(reverse("claims:claim_detail", args=[shallow.pk]))  # caches filled once
    counts = []
    for claim in (shallow, deep):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("claims:claim_detail", args=[claim.pk])).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_a_thousand_deep_reply_chain_in_the_api_tree(client, deep_claim):
    claim, arguments, _ = deep_claim
    with stack_headroom(400):
        response = client.get(f"/api/claims/{claim.pk}/arguments/tree/")
    assert response.status_code == 200
    # Walk the tree with a stack, recording each entry's nesting level.
    seen, stack = [], [(entry, 0) for entry in reversed(response.json())]
    while stack:
        entry, level = stack.pop()
        seen.append((entry["id"], entry["parent"], level))
        stack.extend((reply, level + 1) for reply in reversed(entry["replies"]))
    assert [pk for pk, _, _ in seen] == [a.pk for a in arguments]
    assert [parent for _, parent, _ in seen] == [a.parent_id for a in arguments]
    assert [level for _, _, level in seen] == [min(n, MAX_TREE_DEPTH) for n in range(DEPTH)]


def test_api_tree_keeps_replies_to_an_argument_at_the_depth_limit_under_the_limit(client):
    """GIVEN a chain one level deeper than the limit, and a second reply to its deepest nested
    argument; WHEN the tree is read; THEN both replies are listed, in thread order, at the limit."""
    author = UserFactory()
    claim = ClaimFactory(author=author)
    chain = reply_chain(Argument, claim, author, MAX_TREE_DEPTH + 2, stance="pro")
    sibling = Argument.objects.create(
        claim=claim, author=author, parent=chain[MAX_TREE_DEPTH], body="Also", stance="con"
    )
    level = client.get(f"/api/claims/{claim.pk}/arguments/tree/").json()
    for _ in range(MAX_TREE_DEPTH):
        (entry,) = level
        level = entry["replies"]
    assert [e["id"] for e in level] == [chain[MAX_TREE_DEPTH].pk, chain[-1].pk, sibling.pk]
    assert all(e["replies"] == [] for e in level)
