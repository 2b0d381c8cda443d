"""Issue 15: the lexicon's trigram index on `word::text`, the expression the `%` operator compares (PostgreSQL
does not use a trigram index on the varchar column itself for it); the prefix index duplicated the one Django
keeps for the primary key. Nothing on SQLite."""

from django.db import migrations

FORWARD = [
    "DROP INDEX IF EXISTS shop_searchword_word_trgm",
    "DROP INDEX IF EXISTS shop_searchword_word_prefix",
    "CREATE INDEX shop_searchword_word_trgm ON shop_searchword USING gin ((word::text) gin_trgm_ops)",
]
BACKWARD = [
    "DROP INDEX IF EXISTS shop_searchword_word_trgm",
    "CREATE INDEX shop_searchword_word_trgm ON shop_searchword USING gin (word gin_trgm_ops)",
]


def _on_postgres(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("shop", "0005_search_search_document")]

    operations = [migrations.RunPython(_on_postgres(FORWARD), _on_postgres(BACKWARD))]
