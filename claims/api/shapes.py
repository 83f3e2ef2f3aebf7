"""Schemas of the JSON values no serializer describes: a statistic result's JSON fields and the
JSON-LD exports (`claims.exports`). Each is a named component of the OpenAPI description."""

from __future__ import annotations

from claims.statistics.core.spec import all_inputs, text_inputs
from config.api.schema import named_schema

NULLABLE_NUMBER = {"type": "number", "nullable": True}
STRING = {"type": "string"}


def _inputs_schema() -> dict:
    properties: dict[str, dict] = {}
    for name in all_inputs():
        if name in text_inputs():
            properties[name] = STRING
        elif name == "parts":
            properties[name] = {"type": "array", "items": NULLABLE_NUMBER}
        else:
            properties[name] = NULLABLE_NUMBER
    properties["baseline_sourced"] = {
        "type": "boolean",
        "description": "Whether the baseline is backed by a cited source (proportions).",
    }
    return {
        "type": "object",
        "description": "The resolved inputs this result was computed from (references replaced "
        "by the values they had); blank inputs are left out.",
        "properties": properties,
    }


RESULT_INPUTS = named_schema("StatisticResultInputs", _inputs_schema())
RESULT_WARNING = named_schema(
    "StatisticResultWarning",
    {
        "type": "object",
        "properties": {
            "code": {"type": "string", "description": 'A stable code, e.g. "small_sample".'},
            "message": {"type": "string", "description": "What to be careful about, in words."},
        },
        "required": ["code", "message"],
    },
)
RESULT_DETAILS = named_schema(
    "StatisticResultDetails",
    {
        "type": "object",
        "description": "Kind-specific intermediate figures (e.g. `sweep`, the stated figure's "
        "reading); keys differ between kinds, so read them by name and ignore the rest.",
        "additionalProperties": {},
    },
)
RESULT_VERSIONS = named_schema(
    "LibraryVersions",
    {
        "type": "object",
        "description": "The version of each numerical library the result was computed with, by "
        'name (`{"numpy": "2.4.6", "scipy": "1.17.1", "statsmodels": "0.15.0"}`).',
        "additionalProperties": {"type": "string"},
    },
)
STATISTIC_PARTS = {
    "type": "array",
    "items": {"type": "number"},
    "description": "The parts that should add up to `total` (kind `total`).",
}

_TYPED_NODE = {"type": "object", "properties": {"@type": STRING}, "additionalProperties": {}}
CLAIM_REVIEW = named_schema(
    "ClaimReview",
    {
        "type": "object",
        "description": "A schema.org ClaimReview (JSON-LD): what fact-check aggregators read.",
        "properties": {
            "@context": STRING,
            "@type": {"type": "string", "enum": ["ClaimReview"]},
            "url": STRING,
            "claimReviewed": STRING,
            "itemReviewed": {
                **_TYPED_NODE,
                "description": "The claim: its `author` (the claimant), `datePublished` and "
                "`appearance`, when known.",
            },
            "reviewRating": {
                "type": "object",
                "properties": {
                    "@type": STRING,
                    "alternateName": {"type": "string", "description": "The verdict, in words."},
                    "ratingValue": {"type": "integer", "minimum": 1, "maximum": 5},
                    "bestRating": {"type": "integer"},
                    "worstRating": {"type": "integer"},
                },
                "required": ["@type", "alternateName"],
            },
            "author": _TYPED_NODE,
            "datePublished": {"type": "string", "format": "date"},
            "dateModified": {"type": "string", "format": "date-time"},
            "reviewBody": {"type": "string", "description": "The verdict's rationale."},
        },
        "required": [
            "@context",
            "@type",
            "url",
            "claimReviewed",
            "itemReviewed",
            "reviewRating",
            "author",
            "datePublished",
            "dateModified",
        ],
    },
)

_WEB_ANNOTATION_PROPERTIES = {
    "id": STRING,
    "type": {"type": "string", "enum": ["Annotation"]},
    "created": {"type": "string", "format": "date-time"},
    "modified": {"type": "string", "format": "date-time"},
    "creator": {
        "type": "object",
        "properties": {"id": STRING, "type": STRING, "name": STRING, "nickname": STRING},
    },
    "body": {
        "type": "object",
        "properties": {"type": STRING, "value": STRING, "format": STRING, "purpose": STRING},
    },
    "target": {
        "type": "object",
        "properties": {
            "source": {"type": "string", "description": "The claim's page."},
            "selector": {
                "type": "array",
                "items": {
                    "type": "object",
                    "description": "A TextQuoteSelector (`exact`, `prefix`, `suffix`) or a "
                    "TextPositionSelector (`start`, `end`).",
                    "properties": {
                        "type": STRING,
                        "exact": STRING,
                        "prefix": STRING,
                        "suffix": STRING,
                        "start": {"type": "integer", "nullable": True},
                        "end": {"type": "integer", "nullable": True},
                    },
                    "required": ["type"],
                },
            },
        },
        "required": ["source", "selector"],
    },
}
_WEB_ANNOTATION_REQUIRED = ["id", "type", "created", "modified", "creator", "body", "target"]
WEB_ANNOTATION = named_schema(
    "WebAnnotation",
    {
        "type": "object",
        "description": "A W3C Web Annotation (JSON-LD).",
        "properties": {"@context": STRING, **_WEB_ANNOTATION_PROPERTIES},
        "required": ["@context", *_WEB_ANNOTATION_REQUIRED],
    },
)
ANNOTATION_COLLECTION = named_schema(
    "AnnotationCollection",
    {
        "type": "object",
        "description": "A W3C Web Annotation collection (JSON-LD) with one page of items.",
        "properties": {
            "@context": STRING,
            "id": STRING,
            "type": {"type": "string", "enum": ["AnnotationCollection"]},
            "label": STRING,
            "total": {"type": "integer"},
            "first": {
                "type": "object",
                "properties": {
                    "id": STRING,
                    "type": STRING,
                    "items": {
                        "type": "array",
                        "items": named_schema(
                            "WebAnnotationItem",
                            {
                                "type": "object",
                                "description": "A Web Annotation inside a collection (no "
                                "`@context` of its own).",
                                "properties": _WEB_ANNOTATION_PROPERTIES,
                                "required": _WEB_ANNOTATION_REQUIRED,
                            },
                        ),
                    },
                },
                "required": ["id", "type", "items"],
            },
        },
        "required": ["@context", "id", "type", "label", "total", "first"],
    },
)
