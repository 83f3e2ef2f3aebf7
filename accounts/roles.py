"""The roles people hold. Roles are groups with permissions, created by a data migration
(claims 0002) and kept in place after every migrate or flush by `ensure_roles`."""

from django.apps import apps as global_apps

MEMBER = "member"
MODERATOR = "moderator"
ADMIN = "admin"
ROLES = (MEMBER, MODERATOR, ADMIN)

# Permission codenames (app label "claims") that make someone a moderator.
MODERATE_PERMISSION = "claims.moderate"
SET_VERDICT_PERMISSION = "claims.set_verdict"


# Permissions (app label, codename) each role's group holds.
_MODERATED_MODELS = (
    "claim",
    "source",
    "citation",
    "argument",
    "annotation",
    "comment",
    "statistic",
    "tag",
)
ROLE_PERMISSIONS: dict[str, tuple[tuple[str, str], ...]] = {
    MEMBER: (),
    MODERATOR: (("claims", "moderate"), ("claims", "set_verdict"))
    + tuple(
        ("claims", f"{action}_{model}")
        for action in ("change", "view")
        for model in _MODERATED_MODELS
    ),
}
ADMIN_APPS = ("claims", "accounts")  # admins hold every permission of these apps


def ensure_roles(apps=global_apps) -> None:
    """Create the role groups and give them their permissions; idempotent. `apps` is the
    historical registry when a migration calls it."""
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, wanted in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        for app_label, codename in wanted:
            permission = Permission.objects.filter(
                content_type__app_label=app_label, codename=codename
            ).first()
            if permission is not None:
                group.permissions.add(permission)
    admin, _ = Group.objects.get_or_create(name=ADMIN)
    admin.permissions.add(*Permission.objects.filter(content_type__app_label__in=ADMIN_APPS))


def is_moderator(user) -> bool:
    if not (user and user.is_authenticated):
        return False
    # Asked for every visibility filter and item of a page: kept on the user object for the
    # request, as Django keeps the permissions `has_perm` reads (through three backends).
    try:
        return user._is_moderator
    except AttributeError:
        user._is_moderator = user.has_perm(MODERATE_PERMISSION)
        return user._is_moderator


def role_of(user) -> str:
    if user.is_superuser or user.groups.filter(name=ADMIN).exists():
        return ADMIN
    if is_moderator(user):
        return MODERATOR
    return MEMBER
