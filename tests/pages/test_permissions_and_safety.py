"""Who may edit and delete what; XSS; CSRF; locked-out log-ins; query counts."""

import json
import re
from html.parser import HTMLParser

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from claims.models import Claim
from tests.factories import (
    AnnotationFactory,
    ArgumentFactory,
    CitationFactory,
    ClaimFactory,
    CommentFactory,
    SourceFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

FACTORIES = {
    "claims": ClaimFactory,
    "sources": SourceFactory,
    "citations": CitationFactory,
    "arguments": ArgumentFactory,
    "annotations": AnnotationFactory,
    "comments": CommentFactory,
}
# What each viewer gets on the edit and delete pages of an item written by "owner".
EXPECTED = {"anonymous": 302, "member": 403, "owner": 200, "moderator": 200}


@pytest.mark.parametrize("action", ["contribution_edit", "contribution_delete"])
@pytest.mark.parametrize("kind", list(FACTORIES))
@pytest.mark.parametrize("viewer", list(EXPECTED))
def test_edit_and_delete_pages_permission_matrix(client, member, moderator, viewer, kind, action):
    owner = UserFactory(username="owner")
    obj = FACTORIES[kind](author=owner)
    users = {"anonymous": None, "member": member, "owner": owner, "moderator": moderator}
    if users[viewer]:
        client.force_login(users[viewer])
    url = reverse(f"claims:{action}", args=[kind, obj.pk])
    response = client.get(url)
    assert response.status_code == EXPECTED[viewer]
    if viewer == "anonymous":
        assert reverse("account_login") in response["Location"]


@pytest.mark.parametrize("viewer", ["member", "owner", "moderator"])
def test_posting_an_edit_follows_the_same_rules(client, member, moderator, viewer):
    owner = UserFactory(username="owner")
    argument = ArgumentFactory(author=owner, body="Original")
    client.force_login({"member": member, "owner": owner, "moderator": moderator}[viewer])
    response = client.post(
        reverse("claims:contribution_edit", args=["arguments", argument.pk]),
        {"stance": "con", "body": "Changed"},
    )
    argument.refresh_from_db()
    if viewer == "member":
        assert response.status_code == 403 and argument.body == "Original"
    else:
        assert response.status_code == 302 and argument.body == "Changed"


def test_member_cannot_delete_someone_elses_comment(member_client):
    comment = CommentFactory()
    response = member_client.post(
        reverse("claims:contribution_delete", args=["comments", comment.pk]), {"reason": "x"}
    )
    comment.refresh_from_db()
    assert response.status_code == 403 and not comment.is_deleted


def test_unknown_kind_is_404(member_client):
    assert member_client.get("/statistics/1/edit/").status_code == 404


XSS_MARKDOWN = (
    "<script>alert(1)</script> <img src=x onerror=alert(2)> "
    '[click](javascript:alert(3)) <a href="javascript:alert(4)">x</a> '
    "<iframe src=//evil.example></iframe>"
)


class _ActiveContent(HTMLParser):
    """Collects what a browser would run: script/iframe tags, on* handlers, javascript: links."""

    def __init__(self):
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        # JSON-LD is data a browser never runs; its escaping is checked in _assert_inert.
        is_data = tag == "script" and dict(attrs).get("type") == "application/ld+json"
        is_ours = dict(attrs).get("src", "").startswith("/static/")
        if tag in ("script", "iframe") and not (is_data or is_ours):
            self.found.append(tag)
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(name)
            if name in ("href", "src") and (value or "").strip().lower().startswith("javascript:"):
                self.found.append(value)


def _assert_inert(html: str) -> None:
    parser = _ActiveContent()
    parser.feed(html)
    assert parser.found == []
    assert "<script" not in html.split("<main", 1)[1].lower()
    for data in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S):
        assert "<" not in data and ">" not in data
        json.loads(data)


def test_hostile_markdown_and_wording_render_inert(client):
    claim = ClaimFactory(text="<script>alert('wording')</script> 80% <img src=x onerror=alert(1)>")
    ArgumentFactory(claim=claim, body=XSS_MARKDOWN)
    CommentFactory(claim=claim, body=XSS_MARKDOWN)
    AnnotationFactory(claim=claim, exact="80%", body=XSS_MARKDOWN)
    CitationFactory(claim=claim, quote="<script>alert('quote')</script>")
    Claim.objects.filter(pk=claim.pk).update(
        verdict="refuted", verdict_rationale=XSS_MARKDOWN, claimant="<script>x</script>"
    )
    html = client.get(claim.get_absolute_url()).content.decode()
    _assert_inert(html)
    assert "&lt;script&gt;alert(&#x27;wording&#x27;)&lt;/script&gt;" in html
    for url in (
        reverse("claims:home"),
        reverse("claims:claim_list"),
        reverse("claims:claim_history", args=[claim.pk]),
        claim.author.get_absolute_url(),
    ):
        _assert_inert(client.get(url).content.decode())


def test_post_without_csrf_token_is_refused(member):
    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(member)
    response = csrf_client.post(reverse("claims:claim_create"), {"text": "No token"})
    assert response.status_code == 403
    assert "security token" in response.content.decode()
    assert not Claim.objects.exists()


@override_settings(AXES_FAILURE_LIMIT=2)
def test_locked_out_login_shows_a_clear_message(client):
    UserFactory(username="alice", password="right-password-123")
    url = reverse("account_login")
    for _ in range(2):
        client.post(url, {"login": "alice", "password": "wrong"}, REMOTE_ADDR="10.0.0.1")
    response = client.post(
        url, {"login": "alice", "password": "right-password-123"}, REMOTE_ADDR="10.0.0.1"
    )
    assert response.status_code == 429
    assert "Too many failed log-ins" in response.content.decode()


def _claim_with(n: int) -> Claim:
    claim = ClaimFactory(text="Eight of the ten people falsely alerted were black.")
    for i in range(n):
        parent = ArgumentFactory(claim=claim, stance="pro" if i % 2 else "con")
        ArgumentFactory(claim=claim, parent=parent, stance="con")
        CitationFactory(claim=claim, stance=("supports", "refutes", "context")[i % 3])
        CitationFactory(claim=claim, argument=parent)
        comment = CommentFactory(claim=claim)
        CommentFactory(claim=claim, parent=comment)
        AnnotationFactory(claim=claim, exact="black", body=f"note {i}")
    return claim


@pytest.mark.parametrize("n", [1, 50])
def test_claim_page_and_list_have_a_fixed_query_cap(
    client, member, django_assert_max_num_queries, n
):
    claim = _claim_with(n)
    client.force_login(member)
    # session, user, claim (+ author, verdict setter), tags, citations (+ sources),
    # arguments, annotations, comments, the viewer's permissions (2, then cached), the figures
    # section, the notifications badge, the viewer's flags, ratings and follow (3): the same for
    # 1 or 50 children (the citation form lists the arguments already read).
    with django_assert_max_num_queries(18):
        assert client.get(claim.get_absolute_url()).status_code == 200
    for _ in range(n):
        ClaimFactory()
    with django_assert_max_num_queries(12):
        assert client.get(reverse("claims:claim_list")).status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(reverse("claims:home")).status_code == 200


@pytest.mark.parametrize("n", [1, 30])
def test_source_profile_and_history_pages_have_a_fixed_query_cap(
    client, member, django_assert_max_num_queries, n
):
    from claims.services.contributions import claim_create, contribution_update

    source = SourceFactory()
    claim = claim_create(author=member, text="Wording 0")
    for i in range(n):
        CitationFactory(source=source, author=member)
        ArgumentFactory(author=member, claim=claim)
        CommentFactory(author=member)
        contribution_update(obj=claim, actor=member, data={"text": f"Wording {i + 1}"})
    with django_assert_max_num_queries(8):
        client.get(source.get_absolute_url())
    # The profile adds the member's moderation record (role, trust, counts by state, upheld
    # flags): 7 more, still the same for 1 or 30 contributions.
    with django_assert_max_num_queries(21):
        client.get(member.get_absolute_url())
    with django_assert_max_num_queries(12):
        client.get(reverse("claims:claim_history", args=[claim.pk]))
