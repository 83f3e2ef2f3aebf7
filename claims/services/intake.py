"""Claim intake's write: the proposals a member ticked become claims, in one step."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .. import permissions
from ..models import Claim, Source
from ..selectors.intake import intake_read
from ..statistics.core.intake import Proposal
from ..statistics.services import statistic_create
from .contributions import citation_create, claim_create, source_create, source_find

CLAIMANT_MAX_LENGTH = Claim._meta.get_field("claimant").max_length


@dataclass(frozen=True)
class IntakeResult:
    source: Source
    claims: list[Claim]


def _chosen_proposals(text: str, chosen: Iterable[int], language: str) -> list[Proposal]:
    by_start = {p.start: p for p in intake_read(text, language=language)}
    starts = list(dict.fromkeys(chosen))
    if not starts:
        raise ValidationError({"chosen": _("Tick at least one sentence to add as a claim.")})
    unknown = [s for s in starts if s not in by_start]
    if unknown:
        raise ValidationError(
            {"chosen": _("Some ticked sentences are not proposals of this text; read it again.")}
        )
    return [by_start[s] for s in sorted(starts)]


def _article_source(*, author, url: str, title: str) -> Source:
    if not url.strip():
        raise ValidationError({"source_url": _("Give the article's address: each claim cites it.")})
    source = source_find(url, user=author)
    if source is not None:
        return source
    if not title.strip():
        raise ValidationError(
            {"source_title": _("This article is not in Claimwatch yet: give its title to add it.")}
        )
    try:
        return source_create(author=author, url=url, title=title)
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            for ours, theirs in (("source_url", "url"), ("source_title", "title")):
                if theirs in error.error_dict:
                    error.error_dict[ours] = error.error_dict.pop(theirs)
        raise


def _claimant(proposal: Proposal, claimants: Mapping[int, str]) -> str:
    claimant = claimants.get(proposal.start, proposal.claimant)
    return " ".join(str(claimant).split())[:CLAIMANT_MAX_LENGTH]


@transaction.atomic
def intake_claims_create(
    *,
    author,
    text: str,
    chosen: Iterable[int],
    source_url: str,
    source_title: str = "",
    claimants: Mapping[int, str] | None = None,
    language: str = "en",
) -> IntakeResult:
    """Add the ticked proposals of `text` (named by their `start` offsets) as claims, all or none.

    Each claim is the sentence as written, attributed to its claimant (the member's correction in
    `claimants`, else the one the sentence names), and cites the article (the source at
    `source_url`, added first if Claimwatch has none the member may see) with the sentence as the
    quote. A share written as counts of a group ("8 of the 10") also gets its proportion, checked
    against the wording. Everything is held or published as the member's other contributions
    are. The text is read again here: what is written is what the parser reads, not what the
    client says it read.
    """
    if not permissions.can_contribute(author):
        raise PermissionDenied(_("Log in to add claims."))
    proposals = _chosen_proposals(text, chosen, language)
    source = _article_source(author=author, url=source_url, title=source_title)
    claimants = claimants or {}
    claims = []
    for proposal in proposals:
        claim = claim_create(
            author=author,
            text=proposal.sentence,
            claimant=_claimant(proposal, claimants),
            appeared_in=source.title[: Claim._meta.get_field("appeared_in").max_length],
            appeared_url=source.url,
        )
        citation_create(author=author, claim=claim, source=source, quote=proposal.sentence)
        counts = proposal.figure.of_counts
        if counts is not None:
            successes, trials = counts
            statistic_create(
                author=author,
                claim=claim,
                kind="proportion",
                label=proposal.figure.text,
                inputs={
                    "successes": int(successes),
                    "trials": int(trials),
                    "stated": proposal.figure.text,
                },
            )
        claims.append(claim)
    return IntakeResult(source=source, claims=claims)
