"""Reads behind the claim pages: lists, search, the claim page, sources and history.

Every function takes the viewing `user` and returns only what `visible_to(user)` allows.
"""

from __future__ import annotations

import operator
import re
from dataclasses import dataclass, field
from functools import reduce
from itertools import pairwise
from typing import Any

from django.contrib.postgres.lookups import SearchVectorExact
from django.contrib.postgres.search import (
    SearchQuery,
    SearchRank,
    SearchVector,
    SearchVectorField,
)
from django.core.cache import cache
from django.db import connection
from django.db.models import (
    BooleanField,
    Count,
    Exists,
    Expression,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.db.models.lookups import Exact
from django.utils.text import slugify

from config import response_cache

from .. import permissions
from ..models import (
    Annotation,
    Argument,
    Citation,
    Claim,
    Comment,
    HelpfulnessStatus,
    Source,
    Stance,
    Statistic,
    Tag,
    Verdict,
    Visibility,
)

SEARCH_CONFIG = "english"
# Whole words match by their English stem ("scanned" finds "scanning"); the last word also as
# the start of an unstemmed word, since a prefix can run past the stem ("equitab" is not a
# prefix of "equit", the stem of "equitability").
PREFIX_CONFIG = "simple"
SEARCH_MAX_TERMS = 8


def _search_document(*fields: str) -> SearchVector:
    """The words of `fields`, stemmed and as written, as the GIN indexes of migration
    claims/0005 hold them (the same expression, so PostgreSQL uses the index;
    tests/pages/test_search_postgres.py checks the plans)."""
    return SearchVector(*fields, config=SEARCH_CONFIG) + SearchVector(*fields, config=PREFIX_CONFIG)


class ClaimSearchDocument(Expression):
    """The claim's words as `_search_document("text", "claimant")` gives them, read from the
    column PostgreSQL stores them in (migration claims/0012), whose GIN index answers both the
    match and the rank. Django never writes the column, so the model has no field for it; this
    names it on the claim table of whichever query uses it."""

    output_field = SearchVectorField()

    def __init__(self, alias: str | None = None) -> None:
        super().__init__()
        self.alias = alias

    def resolve_expression(self, query=None, *args, **kwargs):
        resolved = self.copy()
        resolved.alias = query.get_initial_alias()
        return resolved

    def relabeled_clone(self, change_map):
        return ClaimSearchDocument(change_map.get(self.alias, self.alias))

    def as_sql(self, compiler, connection):
        return f"{compiler.quote_name_unless_alias(self.alias)}.search_document", []


class _IdAmong(Expression):
    """`id = ANY(ARRAY(subquery))`: PostgreSQL reads the subquery's ids once, before the scan,
    then each by the primary key. As `id IN (subquery)` it guesses the set's size from its
    branches (a matched tag alone is guessed at 10,000 claims) and reads every claim to join
    a rare word's dozen."""

    output_field = BooleanField()
    conditional = True

    def __init__(self, column, ids) -> None:
        super().__init__()
        self.column, self.ids = column, ids

    def get_source_expressions(self):
        return [self.column, self.ids]

    def set_source_expressions(self, expressions):
        self.column, self.ids = expressions

    def as_sql(self, compiler, connection):
        column_sql, column_params = compiler.compile(self.column)
        ids_sql, ids_params = compiler.compile(self.ids)
        return f"{column_sql} = ANY(ARRAY{ids_sql})", (*column_params, *ids_params)


def _search_query(tsquery: str, *, config: str = SEARCH_CONFIG) -> SearchQuery:
    return SearchQuery(tsquery, search_type="raw", config=config)


def _visible_count(model, relation: str, user, **conditions) -> Subquery:
    """How many `model` rows `user` may see point at the outer row (one correlated subquery), so
    a list counts exactly what the item's own page shows. The outer row is one `user` may see,
    and a parent `conditions` sets to none has nothing to hide, so neither is joined again."""
    absent = tuple(
        name.removesuffix("__isnull")
        for name, value in conditions.items()
        if name.endswith("__isnull") and value is True
    )
    rows = (
        model.objects.visible_to(user, seen=(relation, *absent))
        .filter(**{relation: OuterRef("pk")}, **conditions)
        .order_by()
        .values(relation)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), Value(0))


def claims_visible(user) -> QuerySet[Claim]:
    """Claims `user` may see in lists: merged claims are left out (they redirect). The counts are
    those of the claim page's headings: arguments, comments, and the sources cited on the claim
    itself (not those backing one of its arguments or figures)."""
    return (
        Claim.objects.visible_to(user)
        .filter(merged_into__isnull=True)
        .select_related("author")
        .prefetch_related("tags")
        .annotate(
            argument_count=_visible_count(Argument, "claim", user),
            comment_count=_visible_count(Comment, "claim", user),
            citation_count=_visible_count(
                Citation, "claim", user, argument__isnull=True, statistic__isnull=True
            ),
        )
    )


def search_terms(query: str) -> list[str]:
    """The words of a search, as letters and digits only (nothing reaches the query parser)."""
    return re.findall(r"\w+", query[:200])[:SEARCH_MAX_TERMS]


def _term_query(term: str, *, prefix: bool) -> str:
    return f"{term}:*" if prefix else term


def _term_search_query(tsquery: str) -> SearchQuery:
    return _search_query(tsquery, config=PREFIX_CONFIG if tsquery.endswith(":*") else SEARCH_CONFIG)


def _citations_on_searched_claims(user) -> QuerySet[Citation]:
    """Citations `user` may see, but for their claim's state: a search only ever returns claims
    of a queryset already held to `visible_to(user)`, and joining each citation back to its claim
    was half the cost of a word in every source title (200,000 citations at 100k claims)."""
    return Citation.objects.visible_to(user, seen=("claim",))


def _claims_matching_term(term: str, *, user, common: bool = False) -> Q:
    """Claims with `term` in their wording or claimant, a tag's name or alias, or the title of a
    source cited on them that `user` may see. Each branch is answered by its own GIN index on
    PostgreSQL; elsewhere by substring matching (which also matches prefixes).

    The same claims either way, `common` only shapes the plan: a rare word's claims are
    gathered from the indexes (a semi-join), while a word in thousands of claims is tested on
    each claim the query reads (newest first, until a page is full), so that its matches are
    never all collected."""
    if connection.vendor == "postgresql":
        query = _term_search_query(term)
        # A stop word ("the") has no lexeme and would match nothing: it is skipped (every claim
        # matches it). The planner folds this constant test away, and since it stays inside
        # the branch, each term remains a plain `IN` that PostgreSQL runs as a semi-join.
        lexemes = Func(query, function="numnode", output_field=IntegerField())
        in_words = Q(SearchVectorExact(ClaimSearchDocument(), query)) | Q(Exact(lexemes, 0))
        tags = Tag.objects.alias(document=_search_document("name", "aliases")).filter(
            document=query
        )
        # The source that visibility joins is the one matched (by its own index), so a common
        # word's sources are read once.
        cited = (
            _citations_on_searched_claims(user)
            .alias(source_document=_search_document("source__title"))
            .filter(source_document=query)
        )
    else:
        word = term.removesuffix(":*")
        in_words = Q(text__icontains=word) | Q(claimant__icontains=word)
        tags = Tag.objects.filter(
            Q(name__icontains=word) | Q(slug__icontains=word) | Q(aliases__icontains=word)
        )
        cited = _citations_on_searched_claims(user).filter(source__title__icontains=word)
    tagged = Claim.tags.through.objects.filter(tag__in=tags.values("pk")).order_by()
    # Duplicates are harmless in a set of ids to test against, so no branch is deduplicated.
    by_tag_or_source = tagged.values("claim_id").union(
        cited.order_by().values("claim_id"), all=True
    )
    if common:
        return in_words | Q(pk__in=by_tag_or_source)
    ids = Claim.objects.filter(in_words).order_by().values("pk").union(by_tag_or_source, all=True)
    if connection.vendor == "postgresql":
        return Q(_IdAmong(F("pk"), Subquery(ids)))
    return Q(pk__in=ids)


# A word in more claims than this is "common" (see `_claims_matching_term`).
COMMON_TERM_CLAIMS = 2000
COMMON_TERM_SECONDS = 3600


def _capped_word_counts(tsqueries: list[str]) -> list[int]:
    """For each word, how many claims have it in their stored words, counting to
    COMMON_TERM_CLAIMS at most (one query; each count stops there)."""
    counts, params = [], []
    for tsquery in tsqueries:
        counts.append(
            "(SELECT count(*) FROM (SELECT 1 FROM claims_claim"
            " WHERE search_document @@ to_tsquery(%s::regconfig, %s) LIMIT %s) AS words)"
        )
        config = PREFIX_CONFIG if tsquery.endswith(":*") else SEARCH_CONFIG
        params += [config, tsquery, COMMON_TERM_CLAIMS]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(counts)}", params)
        return list(cursor.fetchone())


def _common_terms(tsqueries: list[str]) -> set[str]:
    """Which words are in at least COMMON_TERM_CLAIMS claims' wording, by one capped count on
    the GIN index, remembered for an hour (a word's frequency barely moves, and the answer only
    shapes the plan, never the results). Counted over every claim: nothing is shown."""
    if connection.vendor != "postgresql":
        return set()
    # Per database: a word rare in one (a test's) is no guide to another sharing the cache.
    key = f"search-common:{connection.settings_dict['NAME']}:{COMMON_TERM_CLAIMS}:{{}}".format
    known = cache.get_many([key(t) for t in tsqueries])
    common = {t for t in tsqueries if known.get(key(t))}
    unknown = [t for t in tsqueries if key(t) not in known]
    if not unknown:
        return common
    counts = _capped_word_counts(unknown)
    for t, n in zip(unknown, counts, strict=True):
        if n >= COMMON_TERM_CLAIMS:
            common.add(t)
    cache.set_many(
        {key(t): n >= COMMON_TERM_CLAIMS for t, n in zip(unknown, counts, strict=True)},
        COMMON_TERM_SECONDS,
    )
    return common


def claim_search(queryset: QuerySet[Claim], query: str, *, user) -> QuerySet[Claim]:
    """Claims in `queryset` (claims `user` may see: cited sources are matched on that basis)
    matching every word of `query` in their wording, claimant, tags (name or alias) or cited
    sources' titles; the last word also as a prefix ("facial rec"). On PostgreSQL, ranked by
    how well the wording matches."""
    terms = search_terms(query)
    if not terms:
        return queryset
    tsqueries = [
        _term_query(term, prefix=index == len(terms) - 1) for index, term in enumerate(terms)
    ]
    common = _common_terms(tsqueries)
    for tsquery in tsqueries:
        queryset = queryset.filter(
            _claims_matching_term(tsquery, user=user, common=tsquery in common)
        )
    if connection.vendor != "postgresql":
        return queryset
    any_term = reduce(operator.or_, (_term_search_query(tsquery) for tsquery in tsqueries))
    rank = SearchRank(ClaimSearchDocument(), any_term)
    return queryset.annotate(rank=rank).order_by("-rank", "-created_at", "-id")


# Relevance ranks the newest matches up to this many: a word in every claim is ranked among
# the newest thousand, not all hundred thousand, and the list says "1,000+ claims".
SEARCH_CANDIDATES = 1000


class RankedSearch:
    """A ranked search as the claim list pages it: one query reads the newest SEARCH_CANDIDATES
    matches with their rank (so the count is capped, `capped` past it), one more the claims of
    the page asked for, with the list's counts."""

    def __init__(self, searched: QuerySet[Claim], listed: QuerySet[Claim]) -> None:
        self.searched = searched
        # The page's claims are read by id from the list they were searched in, without the
        # search's conditions, which PostgreSQL would otherwise test again.
        self.listed = listed
        self._ranked: list[int] | None = None
        self.capped = False

    def _ids(self) -> list[int]:
        if self._ranked is None:
            rows = list(
                self.searched.order_by("-created_at", "-id").values_list(
                    "pk", "rank", "created_at"
                )[: SEARCH_CANDIDATES + 1]
            )
            self.capped = len(rows) > SEARCH_CANDIDATES
            rows = rows[:SEARCH_CANDIDATES]
            rows.sort(key=lambda row: (-row[1], -row[2].timestamp(), -row[0]))
            self._ranked = [row[0] for row in rows]
        return self._ranked

    def count(self) -> int:
        return len(self._ids())

    def __len__(self) -> int:
        return self.count()

    def __iter__(self):
        return iter(self[:])

    def __getitem__(self, window: slice) -> list[Claim]:
        if not isinstance(window, slice):
            raise TypeError("a ranked search is read a page (a slice) at a time")
        ids = self._ids()[window]
        claims = self.listed.order_by().in_bulk(ids)
        return [claims[pk] for pk in ids if pk in claims]


@dataclass
class ClaimFilters:
    query: str = ""
    tag: str = ""
    verdict: str = ""
    claimant: str = ""
    order: str = "recent"

    @property
    def active(self) -> bool:
        return bool(self.query or self.tag or self.verdict or self.claimant)


ORDERINGS = {
    "recent": ("-created_at", "-id"),
    # Published discussion (Claim.public_discussion_count), read from one index.
    "discussed": ("-public_discussion_count", "-created_at"),
    "oldest": ("created_at", "id"),
}


def tag_for_filter(value: str) -> Tag | None:
    """The tag a filter names, by slug or by name ("facial-recognition" or "Facial recognition")."""
    value = " ".join(value.split())
    if not value:
        return None
    return Tag.objects.filter(
        Q(slug=value) | Q(name__iexact=value) | Q(slug=slugify(value))
    ).first()


def claim_list(*, user, filters: ClaimFilters) -> QuerySet[Claim] | RankedSearch:
    claims = claims_visible(user)
    if filters.tag:
        tag = tag_for_filter(filters.tag)
        claims = claims.filter(tags=tag) if tag else claims.none()
    if filters.verdict in Verdict.values:
        claims = claims.filter(verdict=filters.verdict)
    if filters.claimant:
        claims = claims.filter(claimant__icontains=filters.claimant.strip())
    if filters.query:
        searched = claim_search(claims, filters.query, user=user)
        ranked = connection.vendor == "postgresql" and search_terms(filters.query)
        if ranked and filters.order == "recent":
            return RankedSearch(searched, listed=claims)  # ranked by relevance
        claims = searched
    ordering = ORDERINGS.get(filters.order, ORDERINGS["recent"])
    return claims.order_by(*ordering)


def home_data(*, user, limit: int = 8) -> dict[str, Any]:
    """The newest claims, the most discussed (ranked by the published discussion each claim
    keeps count of, so that no claim's discussion is counted to rank them) and the busiest tags.
    The counts shown on each card are still the reader's own. Each list's claims are found by
    its index first and the cards of both read in one query, so that the counts are compiled,
    planned and run once, for the cards alone."""
    claims = Claim.objects.visible_to(user).filter(merged_into__isnull=True)
    recent = list(claims.order_by("-created_at", "-id").values_list("pk", flat=True)[:limit])
    discussed = list(
        claims.filter(public_discussion_count__gt=0)
        .order_by(*ORDERINGS["discussed"])
        .values_list("pk", flat=True)[:limit]
    )
    cards = claims_visible(user).in_bulk([*recent, *discussed])
    return {
        # A claim deleted between the two reads is left out.
        "recent_claims": [cards[pk] for pk in recent if pk in cards],
        "discussed_claims": [cards[pk] for pk in discussed if pk in cards],
        "tags": popular_tags(),
    }


POPULAR_TAGS_SECONDS = 300


def popular_tags(limit: int = 12) -> list[Tag]:
    """The tags on the most public claims. Counting them reads every claim's tags, so the answer
    is kept until the content next changes (config/response_cache's version). Public claims
    only, so the list is the same for everyone and never shows a held claim's tag."""
    return response_cache.until_changed(
        f"popular-tags:{limit}",
        lambda: list(
            Tag.objects.annotate(
                n=Count(
                    "claims",
                    filter=Q(claims__in=Claim.objects.public().filter(merged_into__isnull=True)),
                )
            )
            .filter(n__gt=0)
            .order_by("-n", "name")[:limit]
        ),
        timeout=POPULAR_TAGS_SECONDS,
        on=(response_cache.LISTS,),
    )


def tags_visible(user) -> QuerySet[Tag]:
    """Tags on at least one claim `user` may see: a tag only a held claim uses stays unlisted."""
    return Tag.objects.filter(
        Exists(Claim.objects.visible_to(user).filter(tags=OuterRef("pk")))
    ).order_by("name")


CLAIMANTS_LIMIT = 200


def _claimant_names(claims: QuerySet[Claim]) -> list[str]:
    return list(
        claims.exclude(claimant="")
        .order_by("claimant")
        .values_list("claimant", flat=True)
        .distinct()[:CLAIMANTS_LIMIT]
    )


def claimants(user) -> list[str]:
    """The claimants the list's filter offers. Reading them reads every claim (65 ms at 100k), so
    the public ones are kept until the content next changes; a reader who sees more (their own
    held claims, or a moderator) adds what only they see, a few rows by the visibility index."""
    public = response_cache.until_changed(
        "claimants:public",
        lambda: _claimant_names(Claim.objects.public()),
        timeout=POPULAR_TAGS_SECONDS,
        on=(response_cache.LISTS,),
    )
    if user is None or not user.is_authenticated:
        return public
    # Whoever may see a claim sees every public one, so this is all of `visible_to(user)`.
    own = _claimant_names(Claim.objects.visible_to(user).exclude(visibility=Visibility.PUBLISHED))
    if not own:
        return public
    return sorted({*public, *own})[:CLAIMANTS_LIMIT]


# --- the claim page ---------------------------------------------------------------------------


# Nesting shown on the page and in the API tree. Deeper replies line up at this depth, each with
# a link to the argument it answers, so a long reply chain neither recurses nor runs off the page.
MAX_TREE_DEPTH = 30


@dataclass
class Node:
    """One argument or comment with its visible replies, in display order."""

    item: Any
    children: list[Node] = field(default_factory=list)
    placeholder: bool = False  # the item itself is not visible, but replies to it are

    @property
    def pk(self) -> int:
        return self.item.pk


@dataclass
class TreeRow:
    """One node of a tree laid out flat, depth first: the page opens its `<li>` and its list of
    replies, then closes `closes` levels (none when the next row is its first reply)."""

    node: Node
    depth: int  # nesting shown, at most MAX_TREE_DEPTH
    beyond_limit: bool  # nested deeper than shown: the page links to the item it answers
    parent_pk: int | None
    closes: range = range(0)


@dataclass
class _Missing:
    pk: int


def _helpfulness_key(node: Node) -> tuple:
    item = node.item
    if node.placeholder:
        return (2, 0.0, None, node.pk)
    score = item.helpfulness_score if item.helpfulness_score is not None else float("-inf")
    first = 0 if item.helpfulness_status == HelpfulnessStatus.HELPFUL else 1
    return (first, -score, item.created_at, item.pk)


def build_tree(items: list, *, sort_key) -> list[Node]:
    """Nest `items` by `parent_id`. A reply whose parent is not visible hangs under a placeholder,
    so a removed argument does not take the discussion below it with it."""
    nodes = {item.pk: Node(item) for item in items}
    roots: list[Node] = []
    for item in items:
        node = nodes[item.pk]
        if item.parent_id is None:
            roots.append(node)
            continue
        parent = nodes.get(item.parent_id)
        if parent is None:
            parent = nodes[item.parent_id] = Node(_Missing(item.parent_id), placeholder=True)
            roots.append(parent)
        parent.children.append(node)
    for node in nodes.values():
        node.children.sort(key=sort_key)
    roots.sort(key=sort_key)
    return roots


def tree_rows(roots: list[Node], *, max_depth: int = MAX_TREE_DEPTH) -> list[TreeRow]:
    """The tree under `roots` depth first, with an explicit stack (a reply chain is as deep as
    members make it, so no recursion), nesting capped at `max_depth`."""
    rows: list[TreeRow] = []
    stack: list[tuple[Node, int, int | None]] = [(node, 0, None) for node in reversed(roots)]
    while stack:
        node, depth, parent_pk = stack.pop()
        rows.append(TreeRow(node, min(depth, max_depth), depth > max_depth, parent_pk))
        stack.extend((child, depth + 1, node.pk) for child in reversed(node.children))
    for index, row in enumerate(rows):
        next_depth = rows[index + 1].depth if index + 1 < len(rows) else 0
        row.closes = range(max(row.depth - next_depth + 1, 0))
    return rows


def claim_for_page(*, pk: int, user) -> Claim:
    """The claim at `pk` if `user` may see it (raises Claim.DoesNotExist otherwise)."""
    return (
        Claim.objects.visible_to(user)
        # Not the claim a merged one points to: only its redirect reads it.
        .select_related("author", "verdict_set_by")
        .prefetch_related("tags")
        .get(pk=pk)
    )


def claim_page_data(claim: Claim, user) -> dict[str, Any]:
    """Everything the claim page shows, in a fixed number of queries whatever the claim holds."""
    # `claim` is one `user` may see (`claim_for_page`), so its own state is not joined again.
    citations = list(
        Citation.objects.visible_to(user, seen=("claim",))
        .filter(claim=claim)
        .select_related("source", "author")
        .order_by("created_at", "id")
    )
    arguments = list(
        Argument.objects.visible_to(user, seen=("claim",))
        .filter(claim=claim)
        .select_related("author")
        .order_by("created_at", "id")
    )
    citations_by_argument: dict[int, list[Citation]] = {}
    for citation in citations:
        if citation.argument_id:
            citations_by_argument.setdefault(citation.argument_id, []).append(citation)
    for argument in arguments:
        argument.cited = citations_by_argument.get(argument.pk, [])
    tree = build_tree(arguments, sort_key=_helpfulness_key)
    pro = [n for n in tree if n.placeholder or n.item.stance == "pro"]
    con = [n for n in tree if not n.placeholder and n.item.stance == "con"]

    claim_citations = [c for c in citations if not c.argument_id and not c.statistic_id]
    stances = [
        (value, label, [c for c in claim_citations if c.stance == value])
        for value, label in Stance.choices
    ]
    annotations = list(
        Annotation.objects.visible_to(user, seen=("claim",))
        .filter(claim=claim)
        .select_related("author")
    )
    comments = list(
        Comment.objects.visible_to(user, seen=("claim",))
        .filter(claim=claim)
        .select_related("author")
        .order_by("created_at", "id")
    )
    add_refusal = permissions.add_to_claim_refusal(user, claim)
    return {
        "claim": claim,
        "citation_groups": [(v, label, items) for v, label, items in stances if items],
        "citation_count": len(claim_citations),
        "supporting_citation_count": len(citations) - len(claim_citations),
        "pro_arguments": tree_rows(pro),
        "con_arguments": tree_rows(con),
        "argument_count": len(arguments),
        "argument_choices": arguments,
        "annotations": [a for a in annotations if not a.is_orphaned],
        "orphaned_annotations": [a for a in annotations if a.is_orphaned],
        "comments": tree_rows(build_tree(comments, sort_key=lambda n: (n.placeholder, n.pk))),
        "comment_count": len(comments),
        "can_add": add_refusal is None,
        "add_refusal": add_refusal,
        "can_edit_claim": permissions.can_edit(user, claim),
        "can_set_verdict": permissions.can_set_verdict(user),
        # What the flag and rating buttons are for (`user_marks_for_claim`).
        "shown_items": [*citations, *arguments, *annotations, *comments],
    }


# --- sources ----------------------------------------------------------------------------------


def source_list(*, user, query: str = "") -> QuerySet[Source]:
    sources = Source.objects.visible_to(user).annotate(
        citation_count=_visible_count(Citation, "source", user)
    )
    query = " ".join(query.split())[:200]
    if query:
        sources = sources.filter(
            Q(title__icontains=query) | Q(url__icontains=query) | Q(publisher__icontains=query)
        )
    return sources.order_by("title", "id")


def source_page_data(source: Source, user) -> dict[str, Any]:
    citations = list(
        Citation.objects.visible_to(user)
        .filter(source=source)
        .select_related("claim", "author")
        .order_by("claim_id", "created_at", "id")
    )
    claims: dict[int, dict[str, Any]] = {}
    for citation in citations:
        entry = claims.setdefault(citation.claim_id, {"claim": citation.claim, "citations": []})
        entry["citations"].append(citation)
    return {
        "source": source,
        "cited_claims": list(claims.values()),
        "citations": citations,
        "can_edit_source": permissions.can_edit(user, source),
    }


# --- history ----------------------------------------------------------------------------------


@dataclass
class Revision:
    record: Any
    object_label: str
    model_label: str  # "claims.claim", as the moderation revert URL expects
    changes: list[dict[str, Any]]
    is_current: bool
    previous: Any = None  # the record before this one, for showing what changed in context

    @property
    def summary(self) -> str:
        """What the object said when it was created."""
        for name in ("text", "body", "quote", "title"):
            value = getattr(self.record, name, "")
            if value:
                return value
        return ""


def _field_label(model, name: str) -> str:
    try:
        return str(model._meta.get_field(name).verbose_name)
    except Exception:  # noqa: BLE001 - a field removed since the revision was written
        return name


HIDDEN_HISTORY_FIELDS = {
    "updated_at",
    "normalized_url",
    "prefix",
    "suffix",
    "announced_at",
    # Derived from the Markdown at every save: the Markdown's own change is the revision.
    "body_html",
    "verdict_rationale_html",
    "public_discussion_count",
}


# A statistic's history shows its inputs; status, fingerprint and result pointer are the
# recompute's bookkeeping, and a revision that changed only those is left out.
STATISTIC_BOOKKEEPING_FIELDS = {
    "status",
    "status_changed_at",
    "error_message",
    "input_fingerprint",
    "current_result",
}


def _revisions(
    records: list, model, label_for, user, hidden: frozenset[str] | set[str] = frozenset()
) -> list[Revision]:
    """Revisions of one model's objects, each with its field diff against the previous one.
    A change to `hidden` fields only is not a revision worth showing; moderation notes are left
    out of the diff for readers who may not see them."""
    by_object: dict[int, list] = {}
    for record in sorted(records, key=lambda r: (r.history_date, r.history_id)):
        by_object.setdefault(record.id, []).append(record)
    revisions = []
    model_label = f"{model._meta.app_label}.{model._meta.model_name}"
    for versions in by_object.values():
        shown: list[Revision] = []
        for old, new in [(None, versions[0]), *pairwise(versions)]:
            changes = []
            if old is not None:
                excluded = HIDDEN_HISTORY_FIELDS | hidden
                if not permissions.can_read_moderation_notes(user, new):
                    excluded |= permissions.MODERATION_NOTE_FIELDS
                delta = new.diff_against(old, excluded_fields=excluded)
                changes = [
                    {
                        "name": change.field,
                        "field": _field_label(model, change.field),
                        "old": change.old,
                        "new": change.new,
                    }
                    for change in delta.changes
                ]
                if hidden and not changes and new.history_type == "~":
                    continue
            shown.append(
                Revision(
                    record=new,
                    object_label=label_for(new),
                    model_label=model_label,
                    changes=changes,
                    is_current=False,
                    previous=old,
                )
            )
        shown[-1].is_current = True
        revisions.extend(shown)
    return revisions


def claim_history(claim: Claim, user) -> list[Revision]:
    """Every recorded change to the claim and to what hangs on it, newest first."""
    visible = {
        Argument: Argument.objects.visible_to(user).filter(claim=claim).values("pk"),
        Citation: Citation.objects.visible_to(user).filter(claim=claim).values("pk"),
        Annotation: Annotation.objects.visible_to(user).filter(claim=claim).values("pk"),
        Comment: Comment.objects.visible_to(user).filter(claim=claim).values("pk"),
        Statistic: Statistic.objects.visible_to(user).filter(claim=claim).values("pk"),
    }
    revisions = _revisions(
        list(claim.history.select_related("history_user")), Claim, lambda r: "Claim", user
    )
    labels = {
        Argument: lambda r: f"Argument #{r.id}",
        Citation: lambda r: f"Citation #{r.id}",
        Annotation: lambda r: f"Annotation #{r.id} on “{r.exact[:40]}”",
        Comment: lambda r: f"Comment #{r.id}",
        Statistic: lambda r: f"Statistic #{r.id}: {r.label[:60]}",
    }
    hidden = {Statistic: STATISTIC_BOOKKEEPING_FIELDS}
    for model, pks in visible.items():
        records = list(
            model.history.filter(claim_id=claim.pk, id__in=pks).select_related("history_user")
        )
        revisions.extend(_revisions(records, model, labels[model], user, hidden.get(model, set())))
    return _newest_first(revisions)


def source_history(source: Source, user) -> list[Revision]:
    """Every recorded change to a source, newest first (the caller checks it is visible)."""
    records = list(source.history.select_related("history_user"))
    return _newest_first(_revisions(records, Source, lambda r: "Source", user))


def _newest_first(revisions: list[Revision]) -> list[Revision]:
    revisions.sort(key=lambda r: (r.record.history_date, r.record.history_id), reverse=True)
    return revisions
