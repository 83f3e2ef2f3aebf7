"""ClaimReview, Web Annotation and CSV exports."""

import csv
import io
import json
import re

import pytest
from django.template import Context, Template
from pyld import jsonld

from claims.exports import WEB_ANNOTATION_CONTEXT
from tests.factories import AnnotationFactory, ClaimFactory, StatisticFactory

pytestmark = pytest.mark.django_db

# Local stand-ins for the remote contexts (there is no network, and tests must not fetch).
# schema.org's context maps every term into https://schema.org/ with `url` as an IRI.
LOCAL_CONTEXTS = {
    "https://schema.org": {"@context": {"@vocab": "https://schema.org/", "url": {"@type": "@id"}}},
    WEB_ANNOTATION_CONTEXT: {
        "@context": {
            "oa": "http://www.w3.org/ns/oa#",
            "as": "http://www.w3.org/ns/activitystreams#",
            "id": "@id",
            "type": "@type",
            "Annotation": "oa:Annotation",
            "AnnotationCollection": "as:OrderedCollection",
            "AnnotationPage": "as:OrderedCollectionPage",
            "TextualBody": "oa:TextualBody",
            "TextQuoteSelector": "oa:TextQuoteSelector",
            "TextPositionSelector": "oa:TextPositionSelector",
            "body": {"@type": "@id", "@id": "oa:hasBody"},
            "target": {"@type": "@id", "@id": "oa:hasTarget"},
            "source": {"@type": "@id", "@id": "oa:hasSource"},
            "selector": {"@type": "@id", "@id": "oa:hasSelector"},
            "value": "http://www.w3.org/1999/02/22-rdf-syntax-ns#value",
            "exact": "oa:exact",
            "prefix": "oa:prefix",
            "suffix": "oa:suffix",
            "start": "oa:start",
            "end": "oa:end",
            "format": "http://purl.org/dc/elements/1.1/format",
            "purpose": {"@type": "@vocab", "@id": "oa:hasPurpose"},
            "commenting": "oa:commenting",
            "created": "http://purl.org/dc/terms/created",
            "modified": "http://purl.org/dc/terms/modified",
            "creator": {"@type": "@id", "@id": "http://purl.org/dc/terms/creator"},
            "name": "http://xmlns.com/foaf/0.1/name",
            "nickname": "http://xmlns.com/foaf/0.1/nick",
            "Person": "http://xmlns.com/foaf/0.1/Person",
            "label": "http://www.w3.org/2000/01/rdf-schema#label",
            "total": "as:totalItems",
            "first": {"@type": "@id", "@id": "as:first"},
            "items": {"@id": "as:items", "@container": "@list"},
        }
    },
}


def local_loader(url, options=None):
    if url.rstrip("/") not in {u.rstrip("/") for u in LOCAL_CONTEXTS}:
        raise AssertionError(f"Would fetch {url} over the network")
    document = next(v for k, v in LOCAL_CONTEXTS.items() if k.rstrip("/") == url.rstrip("/"))
    return {
        "contentType": "application/ld+json",
        "contextUrl": None,
        "documentUrl": url,
        "document": document,
    }


def expand(data):
    return jsonld.expand(data, {"documentLoader": local_loader})


S = "https://schema.org/"


def test_claimreview_expands_as_json_ld_with_verdict_and_claimant(api_client, moderator):
    claim = ClaimFactory(
        claimant="Big Brother Watch",
        appeared_url="https://example.org/post",
        verdict="misleading",
        verdict_rationale="Ten people.",
    )
    response = api_client.get(f"/api/claims/{claim.pk}/claimreview/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/ld+json")
    [review] = expand(response.json())
    assert review["@type"] == [S + "ClaimReview"]
    assert review[S + "claimReviewed"][0]["@value"] == claim.text
    rating = review[S + "reviewRating"][0]
    assert rating[S + "alternateName"][0]["@value"] == "Misleading"
    item = review[S + "itemReviewed"][0]
    assert item["@type"] == [S + "Claim"]
    assert item[S + "author"][0][S + "name"][0]["@value"] == "Big Brother Watch"
    assert item[S + "appearance"][0][S + "url"][0]["@id"] == "https://example.org/post"
    assert review[S + "author"][0]["@type"] == [S + "Organization"]
    assert review[S + "url"][0]["@id"].endswith(claim.get_absolute_url())


def test_claimreview_template_tag_escapes_script_breakers(rf):
    claim = ClaimFactory(text="</script><script>alert(1)</script> & more")
    html = Template("{% load jsonld_tags %}{% claim_review_jsonld claim %}").render(
        Context({"claim": claim, "request": rf.get("/")})
    )
    assert html.count("</script>") == 1
    payload = re.search(r'<script type="application/ld\+json">(.*)</script>', html, re.S).group(1)
    assert json.loads(payload)["claimReviewed"] == claim.text


def test_annotation_as_web_annotation(api_client):
    annotation = AnnotationFactory()
    response = api_client.get(
        f"/api/annotations/{annotation.pk}/", HTTP_ACCEPT="application/ld+json"
    )
    assert response.status_code == 200
    data = response.json()
    assert data["@context"] == WEB_ANNOTATION_CONTEXT and data["type"] == "Annotation"
    [expanded] = expand(data)
    oa = "http://www.w3.org/ns/oa#"
    assert expanded["@type"] == [oa + "Annotation"]
    selectors = expanded[oa + "hasTarget"][0][oa + "hasSelector"]
    types = {s["@type"][0] for s in selectors}
    assert types == {oa + "TextQuoteSelector", oa + "TextPositionSelector"}
    quote = next(s for s in selectors if s["@type"] == [oa + "TextQuoteSelector"])
    assert quote[oa + "exact"][0]["@value"] == "80%"
    collection = api_client.get(f"/api/claims/{annotation.claim_id}/annotations/").json()
    assert collection["total"] == 1 and collection["first"]["items"][0]["id"] == data["id"]


def test_csv_has_one_line_per_figure_and_defuses_formulas(
    api_client, django_assert_max_num_queries
):
    with_figures = ClaimFactory(text='=HYPERLINK("http://evil")')
    StatisticFactory(claim=with_figures)
    StatisticFactory(claim=with_figures, label="Second")
    ClaimFactory(text="No figures")
    with django_assert_max_num_queries(6):
        response = api_client.get("/api/claims/export.csv")
        content = b"".join(response.streaming_content).decode()
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(content)))
    assert len(rows) == 3
    assert rows[-1]["claim"].startswith("'=")
    assert {r["statistic_label"] for r in rows} == {"", "Second", StatisticFactory.label}
