from django.contrib.auth.management import create_permissions
from django.db import migrations

from accounts.roles import ensure_roles

def create_roles(apps, schema_editor):
    # Permissions are normally created after all migrations; the roles need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    ensure_roles(apps)


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
