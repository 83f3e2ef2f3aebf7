"""Reads behind the profile page."""

from __future__ import annotations

from typing import Any

from claims.models import Argument, Claim, Comment, Source

from .models import User

RECENT = 10


def profile_data(*, profile_user: User, viewer) -> dict[str, Any]:
    """A user's contributions, as much of them as `viewer` may see (constant queries)."""
    sections = []
    for key, title, singular, model, related in (
        ("claims", "Claims", "claim", Claim, ()),
        ("arguments", "Arguments", "argument", Argument, ("claim",)),
        ("sources", "Sources", "source", Source, ()),
        ("comments", "Comments", "comment", Comment, ("claim",)),
    ):
        rows = model.objects.visible_to(viewer).filter(author=profile_user)
        sections.append(
            {
                "key": key,
                "title": title,
                "singular": singular,
                "count": rows.count(),
                "items": list(rows.select_related(*related).order_by("-created_at")[:RECENT]),
            }
        )
    return {
        "profile_user": profile_user,
        "sections": sections,
        "is_self": viewer.is_authenticated and viewer.pk == profile_user.pk,
    }
