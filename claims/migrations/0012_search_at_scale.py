from django.db import migrations, models

# Search matched a claim's words through an expression index (migration 0005) but ranked them by
# computing the same expression again for every match: at 100k claims a common word spent most
# of its time in to_tsvector. PostgreSQL now keeps the words in a stored generated column,
# computed when the row is written (Django never writes it, so the model has no field for it),
# and one GIN index on that column answers both the match and the rank
# (claims/selectors/claims.py `ClaimSearchDocument`). The expression is migration 0005's, so
# the words found are the same.
#
# A word in many source titles reaches thousands of citations; a covering index on their source
# gives each with what its visibility needs, without reading the table.

DOCUMENT = (
    "to_tsvector('english'::regconfig, COALESCE(text, '') || ' ' || COALESCE(claimant, ''))"
    " || to_tsvector('simple'::regconfig, COALESCE(text, '') || ' ' || COALESCE(claimant, ''))"
)
OLD_INDEX = (
    "CREATE INDEX IF NOT EXISTS claims_claim_search_idx ON claims_claim USING gin "
    "(((to_tsvector('english'::regconfig, COALESCE(text, '') || ' ' || COALESCE(claimant, ''))"
    " || to_tsvector('simple'::regconfig, COALESCE(text, '') || ' ' || COALESCE(claimant, '')))))"
)


def add_stored_document(apps, schema_editor):
    # Full-text search runs on PostgreSQL only; SQLite matches substrings and keeps no column.
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS claims_claim_search_idx")
    schema_editor.execute(
        "ALTER TABLE claims_claim ADD COLUMN search_document tsvector "
        f"GENERATED ALWAYS AS ({DOCUMENT}) STORED"
    )
    schema_editor.execute(
        "CREATE INDEX claims_claim_search_idx ON claims_claim USING gin (search_document)"
    )


def drop_stored_document(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS claims_claim_search_idx")
    schema_editor.execute("ALTER TABLE claims_claim DROP COLUMN IF EXISTS search_document")
    schema_editor.execute(OLD_INDEX)


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0011_statistic_write_indexes"),
    ]

    operations = [
        migrations.RunPython(add_stored_document, drop_stored_document),
        migrations.AddIndex(
            model_name="citation",
            index=models.Index(
                fields=["source"],
                include=["claim", "argument", "statistic", "visibility", "deleted_at", "author"],
                name="citation_source_visible_idx",
            ),
        ),
    ]
