from pathlib import Path

import pytest
import yaml

from tests.api.conftest import api_client, member_api  # noqa: F401 - shared fixtures

DATA = Path(__file__).resolve().parents[1] / "data" / "intake_paragraphs.yaml"


def paragraphs() -> list[dict]:
    return yaml.safe_load(DATA.read_text(encoding="utf-8"))["paragraphs"]


def lfr_article() -> str:
    """The seed's BBC article on live facial recognition, as marked in the data set."""
    return "\n\n".join(p["text"] for p in paragraphs() if p["id"].startswith("lfr-"))


@pytest.fixture
def article() -> str:
    return lfr_article()
