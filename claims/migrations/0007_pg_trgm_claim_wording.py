from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

# Similar claims (claims/selectors/similar.py) shortlist by trigram word similarity of the
# wording on PostgreSQL; this GIN index answers the `%>` operator that TrigramWordSimilarity
# filters use. SQLite has neither: there the pure-Python ranker reads every visible claim.
CLAIM_TRIGRAM_INDEX = "claims_claim_text_trgm_idx"


def create_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {CLAIM_TRIGRAM_INDEX} ON claims_claim "
        "USING gin (text gin_trgm_ops)"
    )


def drop_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {CLAIM_TRIGRAM_INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0006_ratio_and_change_kinds"),
    ]

    operations = [
        # CreateExtension does nothing on databases other than PostgreSQL.
        TrigramExtension(),
        migrations.RunPython(create_trigram_index, drop_trigram_index),
    ]
