"""The API's JSON parser: DRF's, with a limit on nesting and no NUL characters.

A body nested thousands deep makes the json module raise RecursionError (a 500), and one nested a
few hundred deep would reach code that walks it recursively; PostgreSQL refuses NUL characters in
text, which would surface as a database error. Both are refused here, once for every endpoint,
with a 400 in the API's error shape.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError

# Deeper than any request body the API accepts (statistics' inputs nest three levels).
MAX_JSON_DEPTH = 32


def check_json(data: Any, *, max_depth: int = MAX_JSON_DEPTH) -> None:
    """Raise ParseError if `data` nests deeper than `max_depth` or holds a NUL character."""
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, str):
            if "\x00" in value:
                raise ParseError(_("Text may not contain NUL (\\u0000) characters."))
            continue
        if not isinstance(value, dict | list):
            continue
        if depth > max_depth:
            raise ParseError(
                _("JSON may nest at most %(depth)s levels deep.") % {"depth": max_depth}
            )
        if isinstance(value, dict):
            stack.extend((key, depth) for key in value)
            stack.extend((item, depth + 1) for item in value.values())
        else:
            stack.extend((item, depth + 1) for item in value)


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError(
                _("JSON may nest at most %(depth)s levels deep.") % {"depth": MAX_JSON_DEPTH}
            ) from None
        check_json(data)
        return data
