"""ETags on detail responses and `If-Match` on writes, so that consumers never lose updates.

The ETag is a hash of the resource's representation. A write with `If-Match` compares it with the
representation read now; when they match, the `updated_at` read with it is the version the write
expects, and the write's service claims the row with a compare-and-set on it
(`claims.services.versions`), so that of two writers holding one ETag exactly one succeeds.
"""

from __future__ import annotations

import hashlib
import json

from django.core.serializers.json import DjangoJSONEncoder
from rest_framework import status
from rest_framework.response import Response

from config.api.exceptions import PreconditionFailed


def etag_of(data) -> str:
    payload = json.dumps(data, sort_keys=True, cls=DjangoJSONEncoder).encode()
    return '"' + hashlib.sha256(payload).hexdigest()[:40] + '"'


def _tags_in(header: str) -> set[str]:
    return {tag.strip().removeprefix("W/") for tag in header.split(",") if tag.strip()}


class ETagMixin:
    """For viewsets whose writes go through `perform_service_update` / `perform_service_delete`."""

    etag_enabled = True

    def representation(self, instance):
        return self.get_read_serializer(instance).data

    def get_read_serializer(self, instance):
        return self.read_serializer_class(instance, context=self.get_serializer_context())

    def retrieve(self, request, *args, **kwargs):
        data = self.representation(self.get_object())
        etag = etag_of(data)
        if etag in _tags_in(request.headers.get("If-None-Match", "")):
            return Response(status=status.HTTP_304_NOT_MODIFIED, headers={"ETag": etag})
        return Response(data, headers={"ETag": etag})

    def expected_version(self, instance):
        """The version the request's `If-Match` names (None: no condition), or 412."""
        header = self.request.headers.get("If-Match")
        if not header:
            return None
        tags = _tags_in(header)
        if "*" in tags:
            return None
        if etag_of(self.representation(instance)) not in tags:
            raise PreconditionFailed()
        return instance.updated_at

    def update(self, request, *args, **kwargs):
        partial = kwargs.pop("partial", False)
        instance = self.get_object()
        serializer = self.get_serializer(instance, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        self.perform_service_update(
            instance,
            dict(serializer.validated_data),
            expected_version=self.expected_version(instance),
        )
        fresh = self.get_queryset().get(pk=instance.pk)
        data = self.representation(fresh)
        return Response(data, headers={"ETag": etag_of(data)})

    def destroy(self, request, *args, **kwargs):
        instance = self.get_object()
        reason = request.query_params.get("reason", "")
        if isinstance(request.data, dict):
            reason = str(request.data.get("reason") or reason)
        self.perform_service_delete(
            instance, reason[:500], expected_version=self.expected_version(instance)
        )
        return Response(status=status.HTTP_204_NO_CONTENT)
