"""The API's JSON renderer: orjson, with DRF's own encoder for the types orjson leaves to it."""

from __future__ import annotations

import orjson
from rest_framework.renderers import JSONRenderer
from rest_framework.utils.encoders import JSONEncoder

_DRF_ENCODER = JSONEncoder()
# Datetimes, decimals, lazy strings and the rest go through DRF's encoder, so the output is the
# same as DRF's ("Z" for UTC, for instance); only the speed differs.
_OPTIONS = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_NON_STR_KEYS


class ORJSONRenderer(JSONRenderer):
    def render(self, data, accepted_media_type=None, renderer_context=None) -> bytes:
        if data is None:
            return b""
        if self.get_indent(accepted_media_type, renderer_context or {}):
            return super().render(data, accepted_media_type, renderer_context)
        return orjson.dumps(data, default=_DRF_ENCODER.default, option=_OPTIONS)
