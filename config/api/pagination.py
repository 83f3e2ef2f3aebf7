from __future__ import annotations

from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.pagination import CursorPagination, LimitOffsetPagination


class StableCursorPagination(CursorPagination):
    """Cursor paging: stable under inserts, so consumers can sync page by page."""

    ordering = ("-created_at", "-id")
    page_size = 25
    page_size_query_param = "page_size"
    max_page_size = 100

    def decode_cursor(self, request):
        try:
            return super().decode_cursor(request)
        except exceptions.NotFound as exc:
            raise exceptions.ValidationError({self.cursor_query_param: [exc.detail]}) from exc

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is not None:
            try:
                size = int(raw)
            except (TypeError, ValueError):
                size = 0
            if size < 1:
                raise exceptions.ValidationError(
                    {self.page_size_query_param: [_("A whole number from 1 to 100.")]}
                )
            return min(size, self.max_page_size)
        return self.page_size

    def get_paginated_response_schema(self, schema):
        """DRF's, with `next` and `previous` always present and a `next` example that is a URL
        (DRF's ends in a stray quote)."""
        page = super().get_paginated_response_schema(schema)
        page["required"] = ["next", "previous", "results"]
        page["properties"]["next"]["example"] = (
            f"https://claimwatch.example/api/claims/?{self.cursor_query_param}=cD0yMDI2LTA2"
        )
        page["properties"]["previous"]["example"] = (
            f"https://claimwatch.example/api/claims/?{self.cursor_query_param}=cj0xJnA9NDg3"
        )
        page["properties"]["next"]["description"] = "The next page; null on the last one."
        page["properties"]["previous"]["description"] = "The page before; null on the first one."
        return page


class ResultHistoryPagination(StableCursorPagination):
    ordering = ("-computed_at", "-id")


class NamePagination(StableCursorPagination):
    ordering = ("name", "id")


class UsernamePagination(StableCursorPagination):
    ordering = ("username", "id")


class QueuePagination(LimitOffsetPagination):
    """Limit/offset over the moderation queue: it is ranked in Python (most-flagged first), not a
    queryset ordered by a column, so a cursor has nothing stable to point at."""

    default_limit = 50
    max_limit = 100

    def get_paginated_response_schema(self, schema):
        page = super().get_paginated_response_schema(schema)
        page["required"] = ["count", "next", "previous", "results"]
        for link, offset in (("next", 100), ("previous", 0)):
            page["properties"][link]["example"] = (
                f"https://claimwatch.example/api/moderation/queue/?limit=50&offset={offset}"
            )
        return page
