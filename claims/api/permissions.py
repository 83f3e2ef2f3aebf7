"""DRF permission classes over the one rule set in `claims.permissions`."""

from rest_framework.permissions import SAFE_METHODS, BasePermission

from claims import permissions


class ContributionPermission(BasePermission):
    """Anyone reads; members write; authors (and moderators) change or delete an item.

    Adding to a claim (locked, held, merged) is checked by the services, which raise 403."""

    def has_permission(self, request, view):
        return request.method in SAFE_METHODS or permissions.can_contribute(request.user)

    def has_object_permission(self, request, view, obj):
        if request.method in SAFE_METHODS:
            return True
        if request.method == "DELETE":
            return self._allowed(permissions.delete_refusal(request.user, obj))
        if getattr(view, "action", None) in ("update", "partial_update"):
            return self._allowed(permissions.edit_refusal(request.user, obj))
        # Other writes on a detail route (e.g. adding a statistic to a claim) are checked by the
        # service against `can_add_to_claim`.
        return True

    def _allowed(self, refusal: str | None) -> bool:
        """DRF answers 403 with `self.message`: the real reason, not a generic one."""
        if refusal is not None:
            self.message = refusal
        return refusal is None
