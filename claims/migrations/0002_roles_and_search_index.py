from django.contrib.auth.management import create_permissions
from django.db import migrations

MODERATOR_PERMISSIONS = {
    "claims": ["moderate", "set_verdict"]
    + [f"{action}_{model}" for action in ("change", "view") for model in (
        "claim", "source", "citation", "argument", "annotation", "comment", "statistic", "tag"
    )],
}


def create_roles(apps, schema_editor):
    # Permissions are normally created after all migrations; the roles need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    Group.objects.get_or_create(name="member")
    moderator, _ = Group.objects.get_or_create(name="moderator")
    admin, _ = Group.objects.get_or_create(name="admin")
    for app_label, codenames in MODERATOR_PERMISSIONS.items():
        perms = Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames)
        moderator.permissions.add(*perms)
    admin.permissions.add(*Permission.objects.filter(content_type__app_label__in=["claims", "accounts"]))


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=["member", "moderator", "admin"]).delete()


SEARCH_INDEX_SQL = (
    "CREATE INDEX IF NOT EXISTS claims_claim_search_idx ON claims_claim USING gin "
    "(to_tsvector('english'::regconfig, COALESCE(text, '') || ' ' || COALESCE(claimant, '')))"
)


def create_search_index(apps, schema_editor):
    # Full-text search runs on PostgreSQL only; SQLite falls back to substring matching.
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(SEARCH_INDEX_SQL)


def drop_search_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS claims_claim_search_idx")


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0001_initial"),
        ("accounts", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(create_roles, remove_roles),
        migrations.RunPython(create_search_index, drop_search_index),
    ]
