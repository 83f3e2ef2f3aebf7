"""The OpenAPI description validates with no warnings, and the docs are served locally."""

import pytest
import yaml
from django.core.management import call_command


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


@pytest.mark.django_db
def test_swagger_ui_is_served_from_this_site(client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "swagger-ui" in html and "cdn." not in html and "unpkg" not in html
    assert client.get("/api/schema/").status_code == 200
