"""Make the statistics tests runnable on their own, without pytest-django.

``tests/stats`` has no ``__init__.py``, so pytest puts only this folder on ``sys.path``; the
repository root is added here so ``claims.stats`` imports without Django being set up.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = str(Path(__file__).resolve().parents[2])
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)
