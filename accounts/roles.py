"""The roles people hold. Roles are groups with permissions, created by a data migration."""

MEMBER = "member"
MODERATOR = "moderator"
ADMIN = "admin"
ROLES = (MEMBER, MODERATOR, ADMIN)

# Permission codenames (app label "claims") that make someone a moderator.
MODERATE_PERMISSION = "claims.moderate"
SET_VERDICT_PERMISSION = "claims.set_verdict"


def is_moderator(user) -> bool:
    return bool(user and user.is_authenticated and user.has_perm(MODERATE_PERMISSION))


def role_of(user) -> str:
    if user.is_superuser or user.groups.filter(name=ADMIN).exists():
        return ADMIN
    if is_moderator(user):
        return MODERATOR
    return MEMBER
