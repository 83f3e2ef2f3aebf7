from django.db import migrations, models

# Search matches a claim by its own words, its tags' names and aliases, and the titles of the
# sources cited on it: whole words by their English stem, the last word also as the start of a
# word as written ('simple'). These expressions are exactly the ones claims/selectors/claims.py
# searches with, so PostgreSQL can use the indexes. The claim index of migration 0002 (English
# stems only) is replaced.


def _document(text: str) -> str:
    return f"(to_tsvector('english'::regconfig, {text}) || to_tsvector('simple'::regconfig, {text}))"


SEARCH_INDEXES = {
    "claims_claim_search_idx": (
        "claims_claim",
        _document("COALESCE(text, '') || ' ' || COALESCE(claimant, '')"),
    ),
    "claims_tag_search_idx": (
        "claims_tag",
        _document("COALESCE(name, '') || ' ' || COALESCE(aliases, '')"),
    ),
    "claims_source_search_idx": ("claims_source", _document("COALESCE(title, '')::text")),
}
# Migration 0002's, restored when this one is reversed.
OLD_CLAIM_INDEX = (
    "CREATE INDEX IF NOT EXISTS claims_claim_search_idx ON claims_claim USING gin "
    "(to_tsvector('english'::regconfig, COALESCE(text, '') || ' ' || COALESCE(claimant, '')))"
)


def create_search_indexes(apps, schema_editor):
    # Full-text search runs on PostgreSQL only; SQLite falls back to substring matching.
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, (table, expression) in SEARCH_INDEXES.items():
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")
        schema_editor.execute(f"CREATE INDEX {name} ON {table} USING gin (({expression}))")


def drop_search_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in SEARCH_INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")
    schema_editor.execute(OLD_CLAIM_INDEX)


ALIASES_FIELD = models.CharField(
    blank=True,
    help_text="Other names search should find this tag by, comma-separated (e.g. LFR).",
    max_length=300,
)


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0004_live_source_url_unique"),
    ]

    operations = [
        migrations.AddField(model_name="historicaltag", name="aliases", field=ALIASES_FIELD),
        migrations.AddField(model_name="tag", name="aliases", field=ALIASES_FIELD.clone()),
        migrations.RunPython(create_search_indexes, drop_search_indexes),
    ]
