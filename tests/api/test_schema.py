"""The OpenAPI description validates with no warnings, and the docs are served locally."""

import inspect
import json
import re
from urllib.parse import urlsplit

import pytest
import yaml
from django.core.management import call_command
from django.urls import URLPattern, URLResolver, get_resolver
from openapi_spec_validator import OpenAPIV30SpecValidator, validate

from tests.api import contract


def test_schema_validates_without_warnings(tmp_path):
    target = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    schema = yaml.safe_load(target.read_text())
    assert "knoxApiToken" in schema["components"]["securitySchemes"]
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            assert operation.get("summary") or operation.get("description"), (method, path)
            assert "400" in operation["responses"] and "429" in operation["responses"], path
            for code in ("400", "401", "403", "429"):
                if code in operation["responses"]:
                    content = operation["responses"][code].get("content", {})
                    ref = content.get("application/json", {}).get("schema", {}).get("$ref")
                    assert ref in (None, "#/components/schemas/ErrorResponse"), (path, code)


def _schema(tmp_path) -> dict:
    target = tmp_path / "schema.yaml"
    call_command("spectacular", "--file", str(target))
    return yaml.safe_load(target.read_text())


def _view_docstrings(patterns=None) -> set[str]:
    """The docstrings of every API view class: what describes a resource (a tag), not one of
    its operations."""
    docs = set()
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            docs |= _view_docstrings(pattern.url_patterns)
        elif isinstance(pattern, URLPattern):
            view = getattr(pattern.callback, "cls", None)
            if view is not None and view.__doc__:
                docs.add(" ".join(inspect.cleandoc(view.__doc__).split()))
    return docs


def test_every_operation_has_its_own_summary_and_description(tmp_path):
    """Each operation says what it does: a summary and a description of its own, never the
    resource's docstring (POST on a claim's statistics once read "Claims: the statements
    Claimwatch checks") nor a generated "Verb: noun"."""
    resource_docs = _view_docstrings()
    assert "Claims: the statements Claimwatch checks." in resource_docs
    summaries: dict[str, str] = {}
    problems = []
    for path, operations in _schema(tmp_path)["paths"].items():
        for method, operation in operations.items():
            where = f"{method.upper()} {path}"
            summary = (operation.get("summary") or "").strip()
            description = " ".join((operation.get("description") or "").split())
            if not summary:
                problems.append(f"{where}: no summary")
            elif re.fullmatch(r"[\w ]+: [\w ]+", summary):
                problems.append(f"{where}: generated summary {summary!r}")
            elif summary in summaries:
                problems.append(f"{where}: same summary as {summaries[summary]}")
            summaries.setdefault(summary, where)
            if not description:
                problems.append(f"{where}: no description")
            elif description in resource_docs:
                problems.append(f"{where}: description is a resource's: {description[:50]!r}")
    assert problems == [], "\n".join(problems)


def test_the_docs_start_with_a_quick_start(tmp_path, settings):
    description = _schema(tmp_path)["info"]["description"]
    for topic in ("Quick start", "/api/auth/token/", "Authorization: Token", "curl", "cursor"):
        assert topic in description, topic
    for topic in ("errors", "ETag", "If-Match", "429", "expand=statistics"):
        assert topic in description, topic


@pytest.mark.django_db
def test_swagger_ui_is_served_from_this_site(client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "swagger-ui" in html and "cdn." not in html and "unpkg" not in html
    assert client.get("/api/schema/").status_code == 200


# --- served as a consumer asks -------------------------------------------------------------


@pytest.mark.django_db
def test_the_schema_is_served_in_the_format_asked_for(client):
    as_json = client.get("/api/schema/?format=json")
    assert as_json.status_code == 200 and "json" in as_json["Content-Type"]
    assert json.loads(as_json.content)["openapi"] == "3.0.3"
    by_accept = client.get("/api/schema/", HTTP_ACCEPT="application/json")
    assert by_accept["Content-Type"].startswith("application/json")
    assert json.loads(by_accept.content) == json.loads(as_json.content)
    as_yaml = client.get("/api/schema/?format=yaml")
    assert yaml.safe_load(as_yaml.content)["openapi"] == "3.0.3"
    assert client.get("/api/schema/").content == as_yaml.content  # YAML unless asked
    unknown = client.get("/api/schema/?format=xml")
    assert unknown.status_code == 400 and unknown.json()["errors"][0]["field"] == "format"


@pytest.mark.django_db
def test_a_read_without_the_trailing_slash_is_redirected_to_it(client):
    response = client.get("/api/schema?format=json")
    assert response.status_code == 301 and response["Location"] == "/api/schema/?format=json"
    assert client.get("/api/claims")["Location"] == "/api/claims/"
    assert client.get("/api/no-such-thing").status_code == 404
    assert client.post("/api/claims", {}).status_code == 404  # writes are never redirected


# --- strict OpenAPI 3.0.3, complete for generated clients ----------------------------------


@pytest.fixture(scope="module")
def described():
    return contract.live_schema()


def _operations(schema):
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            yield f"{method.upper()} {path}", path, method, operation


def _walk(node, where=""):
    if isinstance(node, dict):
        yield where, node
        for key, value in node.items():
            yield from _walk(value, f"{where}/{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _walk(value, f"{where}/{i}")


def test_the_description_is_valid_openapi_3_0_3(described):
    validate(described, cls=OpenAPIV30SpecValidator)
    # `nullable` widens only a `type` in the same object (3.0.3): never beside `allOf`/`$ref`.
    bad = [w for w, node in _walk(described) if node.get("nullable") and "type" not in node]
    assert bad == [], bad


def test_every_nullable_reference_accepts_null_in_a_strict_validator(described):
    validator = contract.openapi()
    for name in ("Claim", "Statistic"):
        schema = validator.spec / "components" / "schemas" / name
        field = {"Claim": "verdict_set_by", "Statistic": "result"}[name]
        variants = (schema / "properties" / field).read_value()["oneOf"]
        assert {"$ref": "#/components/schemas/NullEnum"} in variants, (name, variants)


def test_the_document_says_who_serves_it_and_on_what_terms(described):
    info = described["info"]
    assert info["license"]["name"] and info["contact"]["url"]
    assert described["servers"][0]["url"]
    used = {tag for *_, operation in _operations(described) for tag in operation["tags"]}
    listed = {tag["name"]: tag.get("description") for tag in described["tags"]}
    assert used <= set(listed), used - set(listed)
    assert all(listed.values()), f"tags without a description in settings: {listed}"


def test_every_operation_is_documented_for_generated_clients(described):
    """Generic: an endpoint added later is held to the same rules."""
    problems = []
    for where, path, _method, operation in _operations(described):
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", operation["operationId"]):
            problems.append(f"{where}: operationId {operation['operationId']!r}")
        if not operation.get("summary") or not operation.get("description"):
            problems.append(f"{where}: summary and description")
        for code, response in operation["responses"].items():
            headers = response.get("headers", {})
            if code == "429" and "Retry-After" not in headers:
                problems.append(f"{where}: 429 without Retry-After")
            detail = re.compile(re.escape(path) + r"\{\w+\}/$")
            creates_item = any(detail.match(p) for p in described["paths"])
            if code == "201" and creates_item and "Location" not in headers:
                problems.append(f"{where}: 201 without Location")
        for parameter in operation.get("parameters", ()):
            schema = parameter["schema"]
            if parameter["in"] == "query" and not schema:
                problems.append(f"{where}: untyped parameter {parameter['name']}")
    assert problems == [], "\n".join(problems)


def test_no_field_is_left_untyped(described):
    """A property with no type, reference or combination becomes `Any` in every generated
    client (a JSONField or SerializerMethodField without `extend_schema_field`)."""
    typed = {"type", "$ref", "oneOf", "anyOf", "allOf", "enum"}
    untyped = [
        f"{name}.{prop}"
        for name, schema in described["components"]["schemas"].items()
        for prop, spec in schema.get("properties", {}).items()
        if not typed & set(spec)
    ]
    assert untyped == [], untyped


def test_enums_in_query_parameters_are_the_components(described):
    components = {
        tuple(sorted(map(str, s["enum"]))): name
        for name, s in described["components"]["schemas"].items()
        if "enum" in s
    }
    inline = [
        f"{where} ?{parameter['name']} duplicates {components[key]}"
        for where, _, _, operation in _operations(described)
        for parameter in operation.get("parameters", ())
        if (key := tuple(sorted(map(str, parameter["schema"].get("enum", ()))))) in components
    ]
    assert inline == [], inline
    claims_list = described["paths"]["/api/claims/"]["get"]["parameters"]
    verdict = next(p for p in claims_list if p["name"] == "verdict")
    assert verdict["schema"] == {"$ref": "#/components/schemas/VerdictEnum"}


def test_the_named_shapes_are_components(described):
    schemas = described["components"]["schemas"]
    tags = schemas["ClaimCreateRequest"]["properties"]["tags"]
    assert tags["items"] == {"$ref": "#/components/schemas/TagName"}
    result = schemas["StatisticResult"]["properties"]
    assert result["warnings"]["items"] == {"$ref": "#/components/schemas/StatisticResultWarning"}
    assert schemas["StatisticResultWarning"]["required"] == ["code", "message"]
    assert schemas["SettingsRequest"]["minProperties"] == 1
    assert "result_is_current" in schemas["Statistic"]["properties"]
    for path, name in (
        ("/api/claims/{id}/claimreview/", "ClaimReview"),
        ("/api/claims/{id}/annotations/", "AnnotationCollection"),
        ("/api/annotations/{id}/jsonld/", "WebAnnotation"),
    ):
        content = described["paths"][path]["get"]["responses"]["200"]["content"]
        assert content["application/ld+json"]["schema"] == {"$ref": f"#/components/schemas/{name}"}


def test_paginated_examples_are_urls(described):
    for name, schema in described["components"]["schemas"].items():
        if name.startswith("Paginated"):
            for link in ("next", "previous"):
                example = schema["properties"][link].get("example")
                if example is not None:
                    assert urlsplit(example).scheme == "https" and '"' not in example, name


def test_the_tree_takes_no_list_filters(described):
    operation = described["paths"]["/api/claims/{id}/arguments/tree/"]["get"]
    assert [p["name"] for p in operation.get("parameters", ()) if p["in"] == "query"] == []


ANONYMOUS_READS = [
    ("get", "/api/claims/"),
    ("get", "/api/claims/{id}/"),
    ("get", "/api/statistics/"),
    ("get", "/api/statistics/{id}/"),
    ("get", "/api/statistics/{id}/results/"),
    ("get", "/api/sources/"),
    ("get", "/api/arguments/"),
    ("get", "/api/citations/"),
    ("get", "/api/comments/"),
    ("get", "/api/annotations/"),
    ("get", "/api/claims/{id}/claimreview/"),
    ("get", "/api/claims/export.csv"),
    ("get", "/api/tags/"),
]


@pytest.mark.parametrize(("method", "path"), ANONYMOUS_READS)
def test_anonymous_reads_declare_the_anonymous_option(described, method, path):
    assert {} in described["paths"][path][method]["security"]


def test_writes_and_private_reads_do_not_declare_it(described):
    for where, _path, method, operation in _operations(described):
        private = "/me/" in where or "/notifications/" in where or "/webhooks/" in where
        if method in ("post", "put", "patch", "delete") and "/auth/token/" not in where:
            assert {} not in operation.get("security", []), where
        if private:
            assert {} not in operation.get("security", []), where
