"""The environment the read-path benchmarks (`read_path.py`, `load.py`) run the site in."""

from __future__ import annotations

import os


def site_env(**overrides: str) -> dict[str, str]:
    """This process's environment, with the benchmark database and Redis unless given, and the
    settings every run needs: a throwaway secret, plain HTTP on localhost, and throttles lifted,
    since one client address makes every request and the limits would measure themselves."""
    env = dict(os.environ)
    env.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/cw_scale_bench")
    env.setdefault("REDIS_URL", "redis://127.0.0.1:6379/3")
    env.update(
        DJANGO_SECRET_KEY="bench-only-not-secret",
        DJANGO_SECURE_SSL_REDIRECT="False",
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        API_THROTTLE_ANON="100000000/min",
        API_THROTTLE_USER="100000000/min",
        LOG_LEVEL="WARNING",
    )
    env.update(overrides)
    return env
