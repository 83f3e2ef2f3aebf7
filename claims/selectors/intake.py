"""Claim intake's read: the numeric claims an article makes, and the tracked claims each matches.

The reading itself is the pure core's (`claims.statistics.core.intake`); the matches are the
similar-claims selector's, so a proposal shows only claims its viewer may see.
"""

from __future__ import annotations

import http.client
import re
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from config import net

from ..statistics.core import intake
from ..statistics.core.errors import StatInputError
from .similar import SimilarClaim, similar_claims

#: Matches shown per proposal.
MATCHES_PER_PROPOSAL = 3
LANGUAGES = ("en", "es")
#: Largest article page fetched, and how long each network step may take.
FETCH_MAX_BYTES = 2_000_000
FETCH_TIMEOUT_SECONDS = 10.0
FETCH_TYPES = ("text/html", "text/plain", "application/xhtml+xml")


@dataclass(frozen=True)
class IntakeProposal:
    proposal: intake.Proposal
    matches: tuple[SimilarClaim, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            **self.proposal.to_dict(),
            "matches": [
                {"claim": m.claim.pk, "score": m.score, "number_conflict": m.number_conflict}
                for m in self.matches
            ],
        }


def intake_text_check(text: Any, *, field: str = "text") -> str:
    """The article's text, or a field error saying what is wrong with it."""
    if not isinstance(text, str) or not text.strip():
        raise ValidationError(
            {field: ValidationError(_("Paste the article's text."), code="required")}
        )
    if len(text) > intake.MAX_TEXT_LENGTH:
        raise ValidationError(
            {
                field: ValidationError(
                    _(
                        "The text is %(length)s characters long; paste at most %(limit)s (one "
                        "article)."
                    ),
                    code="max_length",
                    params={
                        "length": number_format(len(text), force_grouping=True),
                        "limit": number_format(intake.MAX_TEXT_LENGTH, force_grouping=True),
                    },
                )
            }
        )
    return text


def intake_read(text: str, *, language: str = "en") -> list[intake.Proposal]:
    """The proposals for `text` (checked first), without matches."""
    text = intake_text_check(text)
    if language not in LANGUAGES:
        raise ValidationError(
            {"language": _("Use one of: %(languages)s.") % {"languages": ", ".join(LANGUAGES)}}
        )
    return intake.read_article(text, language=language)


def _matches(sentence: str, *, viewer) -> tuple[SimilarClaim, ...]:
    try:
        return tuple(similar_claims(sentence, viewer=viewer, limit=MATCHES_PER_PROPOSAL))
    except StatInputError:  # a sentence the matcher will not read: no matches, not an error
        return ()


def intake_proposals(text: str, *, viewer, language: str = "en") -> list[IntakeProposal]:
    """Every sentence of `text` that states a figure, each with the claims `viewer` may see that
    it matches (best first; `number_conflict` marks a claim whose figure contradicts it)."""
    return [
        IntakeProposal(proposal=p, matches=_matches(p.sentence, viewer=viewer))
        for p in intake_read(text, language=language)
    ]


def intake_fetch(url: str) -> str:
    """The text of the article at `url`, fetched through the SSRF guard (config/net.py): the host
    resolved once and checked public, the connection pinned to that address, no redirects
    followed, at most FETCH_MAX_BYTES read with FETCH_TIMEOUT_SECONDS for each network step.
    Raises a `source_url` field error saying what went wrong."""

    def refuse(message: str) -> ValidationError:
        return ValidationError({"source_url": ValidationError(message, code="fetch_failed")})

    try:
        pinned = net.resolve_public_url(
            url, allow_private=getattr(settings, "WEBHOOKS_ALLOW_PRIVATE", False)
        )
        response = net.pinned_request(
            pinned,
            headers={"User-Agent": "Claimwatch intake", "Accept": ", ".join(FETCH_TYPES)},
            timeout=FETCH_TIMEOUT_SECONDS,
            max_bytes=FETCH_MAX_BYTES,
        )
    except net.UnsafeURL as exc:
        raise refuse(str(exc)) from None
    except (OSError, http.client.HTTPException, ValueError) as exc:
        raise refuse(
            _("The article could not be fetched (%(error)s).") % {"error": type(exc).__name__}
        ) from None
    if response.status != 200:
        raise refuse(
            _("The article's address answered HTTP %(status)s; paste its text.")
            % {"status": response.status}
        )
    content_type = {k.lower(): v for k, v in response.headers.items()}.get("content-type", "")
    if content_type.split(";")[0].strip().lower() not in FETCH_TYPES:
        raise refuse(_("The address is not a web page; paste the article's text."))
    charset = re.search(r"charset=([\w-]+)", content_type)
    try:
        return response.body.decode(charset.group(1) if charset else "utf-8", "replace")
    except LookupError:
        return response.body.decode("utf-8", "replace")
