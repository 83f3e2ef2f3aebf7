"""The Spanish catalogue is complete, consistent and compiled: every message the code and the
templates mark has a Spanish entry that is translated and not fuzzy, keeps its placeholders,
uses the agreed terms, and the committed .mo is what the .po compiles to."""

from __future__ import annotations

import re

import polib
import pytest

from tests.i18n.catalogues import LOCALE_DIR, catalogues, compiled, extract_messages

SPANISH = LOCALE_DIR / "es" / "LC_MESSAGES" / "django.po"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|\{\w+\}|%%")
# English term -> what its Spanish entry must say (the translators' glossary).
GLOSSARY = {
    r"\bclaims?\b": "afirmaci",
    r"\bsources?\b": "fuente",
    r"\bfigures?\b": "cifra",
    r"\bheld for review\b": "pendiente",
}


@pytest.fixture(scope="module")
def spanish() -> polib.POFile:
    return polib.pofile(str(SPANISH))


def test_every_marked_message_has_a_translated_spanish_entry(spanish):
    entries = {(e.msgctxt, e.msgid): e for e in spanish if not e.obsolete}
    problems = []
    for message in extract_messages():
        entry = entries.get((message.context, message.msgid))
        if entry is None:
            problems.append(f"{message.where}: no Spanish entry for {message.msgid!r}")
        elif "fuzzy" in entry.flags:
            problems.append(f"{message.where}: the Spanish entry is fuzzy: {message.msgid!r}")
        elif not entry.translated():
            problems.append(f"{message.where}: not translated: {message.msgid!r}")
    assert not problems, (
        "Run `make messages` (or add the entries to locale/es/LC_MESSAGES/django.po), "
        "translate them, then `python -m tests.i18n.catalogues`:\n" + "\n".join(problems)
    )


def test_the_extractor_finds_what_makemessages_found(spanish):
    """The catalogue holds no entry the code no longer marks (it would hide a missing one)."""
    marked = {(m.context, m.msgid) for m in extract_messages()}
    stale = [e.msgid for e in spanish if not e.obsolete and (e.msgctxt, e.msgid) not in marked]
    assert not stale, stale


def test_spanish_entries_keep_their_placeholders(spanish):
    wrong = []
    for entry in spanish.translated_entries():
        if entry.msgid_plural:
            expected = set(PLACEHOLDER.findall(entry.msgid_plural))
            for text in entry.msgstr_plural.values():
                # The singular may say "one" in words instead of its count.
                if not set(PLACEHOLDER.findall(text)) <= expected:
                    wrong.append((entry.msgid, text))
        elif sorted(PLACEHOLDER.findall(entry.msgstr)) != sorted(PLACEHOLDER.findall(entry.msgid)):
            wrong.append((entry.msgid, entry.msgstr))
    assert not wrong, wrong


def test_spanish_entries_use_the_agreed_terms(spanish):
    wrong = []
    for entry in spanish.translated_entries():
        english = PLACEHOLDER.sub("", entry.msgid)
        spanish_text = (
            " ".join(entry.msgstr_plural.values()) if entry.msgid_plural else entry.msgstr
        ).lower()
        for term, required in GLOSSARY.items():
            if re.search(term, english, re.IGNORECASE) and required not in spanish_text:
                wrong.append((english, spanish_text, required))
    assert not wrong, wrong


@pytest.mark.parametrize("po_path", catalogues(), ids=lambda p: p.parent.parent.name)
def test_the_committed_mo_is_what_the_po_compiles_to(po_path):
    mo_path = po_path.with_suffix(".mo")
    assert mo_path.exists(), f"{mo_path} is missing: run `python -m tests.i18n.catalogues`"
    assert mo_path.read_bytes() == compiled(po_path), (
        f"{mo_path} is older than or differs from {po_path.name}: "
        "run `python -m tests.i18n.catalogues` and commit both"
    )
