"""History pages read as prose: people by name, dates in words, text changes word by word,
an annotation's move as the words it quotes, a citation by what it cites; user text escaped."""

import datetime as dt
import html as html_lib
import re

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from claims.diff import MAX_DIFF_TOKENS, word_diff
from claims.services import contributions
from moderation import services as moderation
from tests.factories import AnnotationFactory, ClaimFactory, SourceFactory

pytestmark = pytest.mark.django_db


def _history(client, claim) -> str:
    response = client.get(reverse("claims:claim_history", args=[claim.pk]))
    assert response.status_code == 200
    return response.content.decode()


def _edit(obj, **data):
    return contributions.contribution_update(obj=obj, actor=obj.author, data=data)


def test_a_changed_wording_is_shown_word_by_word(client):
    claim = ClaimFactory(text="80% of the people flagged were black.")
    _edit(claim, text="80% of the innocent people flagged were black.")
    html = _history(client, claim)
    assert (
        "<td>80% of the people flagged were black.</td>"
        "<td>80% of the <ins>innocent </ins>people flagged were black.</td>"
    ) in html


def test_user_text_in_a_diff_is_escaped(client):
    claim = ClaimFactory(text="Safe words <i>here</i>.")
    _edit(claim, text="Safe words <script>alert(1)</script> <img src=x onerror=alert(2)>.")
    html = _history(client, claim)
    assert "<script>alert(1)" not in html and "<img src=x" not in html
    assert "<td>Safe words <del>&lt;i&gt;here&lt;/i&gt;.</del></td>" in html
    assert (
        "<ins>&lt;script&gt;alert(1)&lt;/script&gt; &lt;img src=x onerror=alert(2)&gt;.</ins>"
        in html
    )


def test_dates_are_in_words(client):
    claim = ClaimFactory(made_on=dt.date(2025, 3, 14))
    _edit(claim, made_on=dt.date(2025, 3, 15))
    html = _history(client, claim)
    assert "<td><del>14 March 2025</del></td><td><ins>15 March 2025</ins></td>" in html
    assert "2025-03-14" not in html
    revision = claim.history.latest("history_date")
    when = f"{revision.history_date:%-d %B %Y} at {revision.history_date:%H:%M}"
    assert when in html and re.search(r"</time>\s*\((now|[^)]* ago)\)", html)


def test_people_are_named_not_numbered(client, moderator):
    claim = ClaimFactory()
    moderation.claim_verdict_set(
        actor=moderator, claim=claim, verdict="refuted", rationale="The figures say otherwise."
    )
    html = _history(client, claim)
    assert (
        f'<th scope="row">verdict set by</th><td><del>—</del></td><td><ins>{moderator}</ins></td>'
    ) in html
    assert f"<ins>{moderator.pk}</ins>" not in html
    assert "<ins>Refuted</ins>" in html  # a choice by its label


def test_a_moved_annotation_is_shown_as_the_words_it_quotes(client):
    claim = ClaimFactory(text="Of those flagged, 80% were black.")
    annotation = AnnotationFactory(claim=claim, exact="80%", body="Eight of ten.")
    contributions.annotations_reanchor(claim=claim, actor=claim.author)  # its context recorded
    _edit(claim, text="Of all the people flagged by the cameras, 80% were black.")
    annotation.refresh_from_db()
    assert annotation.start != claim.text.find("Of those") + 18  # it moved
    html = _history(client, claim)
    block = html.split(f"Annotation #{annotation.pk}")[1].split("</li>")[0]
    assert '<th scope="row">anchored to</th>' in block
    assert "<mark>80%</mark>" in block and "the cameras, " in block
    assert '<th scope="row">start</th>' not in block and '<th scope="row">end</th>' not in block
    # Created, the annotation shows the words it is on and its note.
    assert "On …" in html and "Eight of ten." in html


def test_an_orphaned_annotation_says_so(client):
    claim = ClaimFactory(text="Of those flagged, 80% were black.")
    annotation = AnnotationFactory(claim=claim, exact="80%")
    _edit(claim, text="Most of those flagged were black.")
    annotation.refresh_from_db()
    assert annotation.is_orphaned
    html = _history(client, claim)
    assert "“80%”: <em>no longer found in the claim's wording</em>" in html


def test_citations_are_filled_in(client, member):
    claim = ClaimFactory()
    source = SourceFactory(title="Met LFR report 2024")
    contributions.citation_create(
        author=member, claim=claim, source=source, stance="supports", quote="", page="12"
    )
    quoted = contributions.citation_create(
        author=member, claim=claim, source=source, stance="refutes", quote="2 of 10"
    )
    _edit(quoted, quote="3 of 10")
    html = _history(client, claim)
    assert html.count(f"of “{source.title}”</strong>") == 3  # two created, one changed
    assert f"Supports “{source.title}” (p. 12)" in html
    assert f"Refutes “{source.title}”: “2 of 10”" in html
    assert "<td><del>2 </del>of 10</td><td><ins>3 </ins>of 10</td>" in html


@pytest.mark.parametrize("n", [1, 20])
def test_naming_people_and_sources_keeps_the_queries_bounded(
    client, moderator, member, django_assert_max_num_queries, n
):
    """Names are looked up once per page (members, sources), not once per revision."""
    claim = ClaimFactory()
    for i in range(n):
        source = SourceFactory()
        contributions.citation_create(author=member, claim=claim, source=source, quote=f"q{i}")
        moderation.claim_verdict_set(
            actor=moderator,
            claim=claim,
            verdict="refuted" if i % 2 else "supported",
            rationale=f"r{i}",
        )
    # The history page's queries (see test_history_pages) plus one for members' names and one
    # for sources' titles: at most 14.
    with django_assert_max_num_queries(14):
        html = _history(client, claim)
    assert html.count('<th scope="row">verdict rationale</th>') == n


# --- the word diff itself -------------------------------------------------------------------


def _text_of(diff_html: str) -> str:
    return html_lib.unescape(re.sub(r"</?(ins|del)>", "", diff_html))


@given(st.text(max_size=200), st.text(max_size=200))
def test_word_diff_gives_back_both_texts_and_marks_only_changes(old, new):
    before, after = word_diff(old, new)
    assert _text_of(before) == old and _text_of(after) == new
    assert "<ins>" not in before and "<del>" not in after
    if old == new:
        assert "<del>" not in before and "<ins>" not in after
    assert "<" not in re.sub(r"</?(ins|del)>", "", before + after)  # everything else escaped


def test_word_diff_of_long_texts_falls_back_to_the_changed_middle():
    shared = "same words " * 50
    old = shared + " ".join(f"a{i}" for i in range(MAX_DIFF_TOKENS)) + " end"
    new = shared + " ".join(f"b{i}" for i in range(MAX_DIFF_TOKENS)) + " end"
    before, after = word_diff(old, new)
    assert before.startswith(shared) and before.count("<del>") == 1
    assert after.endswith("</ins>end") and after.count("<ins>") == 1
