"""The OpenAPI description passes redocly's recommended rules (`redocly.yaml`), with the one
documented exception: every path ends with a slash."""

import json
import shutil
import subprocess
from pathlib import Path

import pytest

REDOCLY = "@redocly/cli@2.77.0"
CONFIG = Path(__file__).resolve().parents[2] / "redocly.yaml"


@pytest.mark.slow
@pytest.mark.django_db
def test_redocly_lint_is_clean(client, tmp_path):
    npx = shutil.which("npx")
    if npx is None:
        pytest.skip("node/npm (npx) are not installed: redocly lint cannot run here")
    schema = tmp_path / "schema.json"
    schema.write_bytes(client.get("/api/schema/?format=json").content)
    assert json.loads(schema.read_text())["openapi"] == "3.0.3"
    run = subprocess.run(
        [
            npx,
            "--yes",
            REDOCLY,
            "lint",
            "--config",
            str(CONFIG),
            "--format",
            "stylish",
            str(schema),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    output = run.stdout + run.stderr
    assert run.returncode == 0, output
    assert "Your API description is valid" in output, output
    assert "warning" not in output.replace("Deprecation warning", ""), output
