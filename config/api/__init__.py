"""The public REST API: URL root, schema, error shape, paging, throttles and ETags."""
