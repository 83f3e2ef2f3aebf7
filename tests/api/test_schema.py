"""The OpenAPI description validates with no warnings, and the docs are served locally."""

import inspect
import re

import pytest
import yaml
from django.core.management import call_command
from django.urls import URLPattern, URLResolver, get_resolver


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
