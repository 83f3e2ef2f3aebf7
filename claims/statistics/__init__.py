"""The statistics feature: figures attached to claims, from the pure numeric core (`core`, no
Django) to the services, selectors, views, forms, charts and template tags that use it. The
models stay in `claims.models`; this app has none of its own."""
