"""An index of the characters and pairs of characters of members' names, for the site search (PostgreSQL only).

A name search is "contains", and the words people look for are two Chinese characters (海淀, 师范): pg_trgm has no
trigram of a two-character word, so without this every search read every member. ``members_name_grams`` lists a
name's single characters and neighbouring pairs, lower-cased; a search asks for the rows whose grams hold all of the
term's (the index) and then checks the name really contains it (members/selectors.py). SQLite, the embedded
default, searches without it.
"""

from django.db import migrations

FUNCTION = """
CREATE OR REPLACE FUNCTION members_name_grams(value text) RETURNS text[]
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
BEGIN
  RETURN ARRAY(
    SELECT DISTINCT substr(lower(value), i, n)
    FROM generate_series(1, 2) AS n, generate_series(1, char_length(value) - n + 1) AS i
  );
END
$$;
"""
INDEX = "CREATE INDEX member_name_grams ON members_member USING gin (members_name_grams(name));"
DROP = "DROP INDEX IF EXISTS member_name_grams; DROP FUNCTION IF EXISTS members_name_grams(text);"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FUNCTION)
        schema_editor.execute(INDEX)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("members", "0012_member_event_step")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
