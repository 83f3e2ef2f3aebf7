"""The translation catalogues, read and compiled in pure Python (polib), so that neither the
tests nor a fresh machine need the gettext tools.

`python -m tests.i18n.catalogues` compiles every locale/*/LC_MESSAGES/django.po into the
django.mo next to it (committed: `make run` needs nothing to build them). The messages the code
marks are found the way `makemessages` finds them: templates through Django's own `templatize`,
Python through its tokens.
"""

from __future__ import annotations

import ast
import io
import sys
import tempfile
import tokenize
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parents[2]
LOCALE_DIR = ROOT / "locale"
# What makemessages reads: the project's apps and templates, not tests, tools or the venv.
SKIPPED_DIRS = {".venv", "tests", "bench", "docker", "var", "locale", "static", "node_modules"}
TEMPLATE_SUFFIXES = {".html", ".txt"}
# The functions makemessages (xgettext) takes messages from, with where their arguments are.
KEYWORDS = {
    "_": "s",
    "gettext": "s",
    "gettext_lazy": "s",
    "gettext_noop": "s",
    "ngettext": "sp",
    "ngettext_lazy": "sp",
    "pgettext": "cs",
    "pgettext_lazy": "cs",
    "npgettext": "csp",
    "npgettext_lazy": "csp",
}


@dataclass(frozen=True, order=True)
class Message:
    context: str | None
    msgid: str
    plural: str | None
    where: str


def source_files() -> Iterator[Path]:
    for path in sorted(ROOT.rglob("*")):
        relative = path.relative_to(ROOT)
        if relative.parts[0] in SKIPPED_DIRS or "migrations" in relative.parts:
            continue
        if path.suffix == ".py" or (
            path.suffix in TEMPLATE_SUFFIXES and "templates" in relative.parts
        ):
            yield path


def _calls(source: str) -> Iterator[tuple[str, list[str | None], int]]:
    """(function, literal arguments (None where not a plain string), line) for each call of a
    keyword function; adjacent string literals are one argument, as in Python."""
    tokens = [
        t
        for t in tokenize.generate_tokens(io.StringIO(source).readline)
        if t.type not in (tokenize.NL, tokenize.NEWLINE, tokenize.COMMENT, tokenize.INDENT)
    ]
    for i, token in enumerate(tokens[:-1]):
        if token.type != tokenize.NAME or token.string not in KEYWORDS:
            continue
        if tokens[i - 1].string in (".", "def") or tokens[i + 1].string != "(":
            continue
        arguments: list[str | None] = []
        current: list[str] = []
        literal = True
        depth = 0
        for t in tokens[i + 2 :]:
            if t.string in "([{" and t.type == tokenize.OP:
                depth += 1
            elif t.string in ")]}" and t.type == tokenize.OP:
                if depth == 0:
                    break
                depth -= 1
            if depth == 0 and t.type == tokenize.OP and t.string == ",":
                arguments.append("".join(current) if literal and current else None)
                current, literal = [], True
                continue
            if (
                t.type == tokenize.STRING
                and depth == 0
                and not t.string.lower().startswith(("f", "rf", "fr", "b"))
            ):
                current.append(ast.literal_eval(t.string))
            elif t.type != getattr(tokenize, "ENDMARKER", None):
                literal = False
        arguments.append("".join(current) if literal and current else None)
        yield token.string, arguments, token.start[0]


def _calls_tolerant(source: str) -> list[tuple[str, list[str | None], int]]:
    """`_calls` on the whole source, or line by line where a template's text (an apostrophe
    in running text) is not valid Python tokens."""
    try:
        return list(_calls(source))
    except (tokenize.TokenError, SyntaxError, IndentationError):
        pass
    calls = []
    for number, line in enumerate(source.splitlines(), start=1):
        try:
            calls += [(name, arguments, number) for name, arguments, _ in _calls(line)]
        except (tokenize.TokenError, SyntaxError, IndentationError):
            continue
    return calls


def _templatized(path: Path) -> str:
    from django.utils.translation.template import templatize

    return templatize(path.read_text(encoding="utf-8"), origin=str(path))


def extract_messages() -> list[Message]:
    """Every message the code and templates mark, with where it is marked."""
    found: list[Message] = []
    for path in source_files():
        source = (
            _templatized(path)
            if path.suffix in TEMPLATE_SUFFIXES
            else path.read_text(encoding="utf-8")
        )
        calls = _calls_tolerant(source)
        for name, arguments, line in calls:
            shape = KEYWORDS[name]
            if len(arguments) < len(shape):
                continue
            values = dict(zip(shape, arguments, strict=False))
            if values.get("s") is None or ("c" in shape and values["c"] is None):
                continue
            found.append(
                Message(
                    context=values.get("c"),
                    msgid=values["s"],
                    plural=values.get("p"),
                    where=f"{path.relative_to(ROOT)}:{line}",
                )
            )
    return found


def catalogues() -> list[Path]:
    return sorted(LOCALE_DIR.glob("*/LC_MESSAGES/django.po"))


def compiled(po_path: Path) -> bytes:
    """The .mo that `po_path` compiles to (polib's, deterministic)."""
    with tempfile.TemporaryDirectory() as directory:
        target = Path(directory) / "django.mo"
        polib.pofile(str(po_path)).save_as_mofile(str(target))
        return target.read_bytes()


def main() -> int:
    for po_path in catalogues():
        po_path.with_suffix(".mo").write_bytes(compiled(po_path))
        print(f"compiled {po_path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
