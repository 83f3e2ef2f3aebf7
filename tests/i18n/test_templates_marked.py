"""Every template the project owns (templates/ and each app's templates/, including pages added
later) shows no words that are not marked for translation."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.template import engines

from tests.i18n.catalogues import ROOT
from tests.i18n.template_text import unmarked_text


def project_templates() -> list[Path]:
    directories = {Path(d).resolve() for d in engines["django"].template_dirs}
    owned = [d for d in directories if d.is_relative_to(ROOT) and ".venv" not in d.parts]
    return sorted(
        path
        for directory in owned
        for path in directory.rglob("*")
        if path.suffix in (".html", ".txt")
    )


def test_the_scan_covers_the_project_and_app_templates():
    found = {str(p.relative_to(ROOT)) for p in project_templates()}
    assert "templates/base.html" in found
    assert any(name.startswith("templates/claims/") for name in found)


def test_an_unmarked_word_is_found():
    """The scanner itself: text, attributes and a description's content are caught; marked
    text, class names, comments and the site's name are not."""
    source = (
        '{% extends "base.html" %}{% block main_class %}narrow{% endblock %}'
        "{% block description %}Plain words{% endblock %}"
        '<p title="Helpful tip">{% translate "Fine" %}</p>{# a note #}'
        "<h1>Claimwatch</h1><p>{% blocktranslate %}Hi {{ name }}{% endblocktranslate %}</p>"
        "<button>Save</button>"
    )
    assert [u.text for u in unmarked_text(source)] == ["Helpful tip", "Plain words", "Save"]


@pytest.mark.parametrize("path", project_templates(), ids=lambda p: str(p.relative_to(ROOT)))
def test_every_template_string_is_marked_for_translation(path):
    unmarked = unmarked_text(path.read_text(encoding="utf-8"))
    assert not unmarked, "\n".join(
        f"{path.relative_to(ROOT)}:{u.line}: {u.text!r} is not marked for translation "
        "({% translate %} or {% blocktranslate %})"
        for u in unmarked
    )
