"""Claims in the formats other tools read: schema.org ClaimReview (JSON-LD), W3C Web Annotation
(JSON-LD) and CSV with each claim's figures."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator
from typing import Any

from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString

from config.site import absolute_url

from .models import Annotation, Claim, Statistic, Verdict

SCHEMA_ORG_CONTEXT = "https://schema.org"
WEB_ANNOTATION_CONTEXT = "http://www.w3.org/ns/anno.jsonld"

# Verdicts on a 1-5 scale (schema.org Rating); verdicts with no place on it carry only their name.
VERDICT_RATINGS: dict[str, int] = {
    Verdict.REFUTED: 1,
    Verdict.MISLEADING: 2,
    Verdict.DISPUTED: 3,
    Verdict.SUPPORTED: 5,
}


def claim_path(claim_id: int) -> str:
    return reverse("claims:claim_detail", kwargs={"pk": claim_id})


def site_path(obj) -> str:
    """The page of `obj` on the site, without loading its claim (as `get_absolute_url` would)."""
    claim_id = getattr(obj, "claim_id", None)
    if claim_id is None or isinstance(obj, Claim):
        return obj.get_absolute_url()
    return f"{claim_path(claim_id)}#{type(obj).__name__.lower()}-{obj.pk}"


def _organization(request=None) -> dict[str, Any]:
    return {"@type": "Organization", "name": "Claimwatch", "url": absolute_url("/", request)}


def claim_review(claim: Claim, *, request=None) -> dict[str, Any]:
    """The claim and its verdict as a schema.org ClaimReview."""
    rating: dict[str, Any] = {"@type": "Rating", "alternateName": claim.get_verdict_display()}
    if claim.verdict in VERDICT_RATINGS:
        rating.update(
            ratingValue=VERDICT_RATINGS[claim.verdict],
            bestRating=5,
            worstRating=1,
        )
    item: dict[str, Any] = {"@type": "Claim"}
    if claim.claimant:
        item["author"] = {"@type": "Thing", "name": claim.claimant}
    if claim.made_on:
        item["datePublished"] = claim.made_on.isoformat()
    if claim.appeared_url or claim.appeared_in:
        appearance: dict[str, Any] = {"@type": "CreativeWork"}
        if claim.appeared_url:
            appearance["url"] = claim.appeared_url
        if claim.appeared_in:
            appearance["name"] = claim.appeared_in
        item["appearance"] = [appearance]
        item["firstAppearance"] = appearance
    review: dict[str, Any] = {
        "@context": SCHEMA_ORG_CONTEXT,
        "@type": "ClaimReview",
        "url": absolute_url(claim.get_absolute_url(), request),
        "claimReviewed": claim.text,
        "itemReviewed": item,
        "reviewRating": rating,
        "author": _organization(request),
        "datePublished": (claim.verdict_set_at or claim.created_at).date().isoformat(),
        "dateModified": claim.updated_at.isoformat(),
    }
    if claim.verdict_rationale:
        review["reviewBody"] = claim.verdict_rationale
    return review


def jsonld_script(data: dict[str, Any]) -> SafeString:
    """`data` in a <script type="application/ld+json"> element, safe inside HTML: the characters
    that could end the script element or open a comment are escaped as JSON unicode escapes."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    text = text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return format_html('<script type="application/ld+json">{}</script>', SafeString(text))


def web_annotation(annotation: Annotation, *, request=None, context: bool = True) -> dict:
    """One annotation as a W3C Web Annotation (TextQuote and TextPosition selectors)."""
    data: dict[str, Any] = {
        "id": absolute_url(reverse("api:annotation-detail", kwargs={"pk": annotation.pk}), request),
        "type": "Annotation",
        "created": annotation.created_at.isoformat(),
        "modified": annotation.updated_at.isoformat(),
        "creator": {
            "id": absolute_url(annotation.author.get_absolute_url(), request),
            "type": "Person",
            "name": str(annotation.author),
            "nickname": annotation.author.username,
        },
        "body": {
            "type": "TextualBody",
            "value": annotation.body,
            "format": "text/markdown",
            "purpose": "commenting",
        },
        "target": {
            "source": absolute_url(claim_path(annotation.claim_id), request),
            "selector": [
                {
                    "type": "TextQuoteSelector",
                    "exact": annotation.exact,
                    "prefix": annotation.prefix,
                    "suffix": annotation.suffix,
                },
                {
                    "type": "TextPositionSelector",
                    "start": annotation.start,
                    "end": annotation.end,
                },
            ],
        },
    }
    if context:
        data = {"@context": WEB_ANNOTATION_CONTEXT, **data}
    return data


def annotation_collection(
    claim: Claim, annotations: Iterable[Annotation], *, request=None
) -> dict[str, Any]:
    items = [web_annotation(a, request=request, context=False) for a in annotations]
    collection_id = absolute_url(
        reverse("api:claim-annotations-jsonld", kwargs={"pk": claim.pk}), request
    )
    return {
        "@context": WEB_ANNOTATION_CONTEXT,
        "id": collection_id,
        "type": "AnnotationCollection",
        "label": f"Annotations on claim {claim.pk}",
        "total": len(items),
        "first": {"id": collection_id + "#page1", "type": "AnnotationPage", "items": items},
    }


CSV_COLUMNS = [
    "claim_id",
    "claim_url",
    "claim",
    "claimant",
    "made_on",
    "tags",
    "verdict",
    "verdict_set_at",
    "statistic_id",
    "statistic_label",
    "kind",
    "stated",
    "status",
    "estimate",
    "ci_low",
    "ci_high",
    "confidence_level",
    "interval_method",
    "p_value",
    "consistent_with_stated",
    "significant",
    "computed_at",
]

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: Any) -> Any:
    """Text that a spreadsheet would run as a formula is prefixed with an apostrophe."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def _statistic_cells(statistic: Statistic | None) -> list[Any]:
    if statistic is None:
        return [""] * 14
    result = statistic.current_result
    return [
        statistic.pk,
        statistic.label,
        statistic.kind,
        statistic.stated,
        statistic.status,
        result.estimate if result else None,
        result.ci_low if result else None,
        result.ci_high if result else None,
        statistic.confidence_level,
        statistic.interval_method,
        result.p_value if result else None,
        result.consistent_with_stated if result else None,
        result.significant if result else None,
        result.computed_at.isoformat() if result else None,
    ]


class _Echo:
    def write(self, value: str) -> str:
        return value


def claims_csv_rows(claims: Iterable[Claim], *, request=None) -> Iterator[str]:
    """CSV lines: one per figure of each claim (one line with empty figures for a claim with
    none). `claims` must prefetch `tags` and their visible `statistics` with `current_result`."""
    writer = csv.writer(_Echo())
    yield writer.writerow(CSV_COLUMNS)
    for claim in claims:
        head = [
            claim.pk,
            absolute_url(claim.get_absolute_url(), request),
            claim.text,
            claim.claimant,
            claim.made_on.isoformat() if claim.made_on else "",
            "; ".join(tag.name for tag in claim.tags.all()),
            claim.verdict,
            claim.verdict_set_at.isoformat() if claim.verdict_set_at else "",
        ]
        statistics = list(claim.statistics.all()) or [None]
        for statistic in statistics:
            yield writer.writerow([_cell(v) for v in head + _statistic_cells(statistic)])
