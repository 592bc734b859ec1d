"""The search vector of a practice stays under PostgreSQL's limit of 1 MB for a tsvector, however many translations
it has.

A character of text can take 6 bytes in a tsvector (a one-letter word of a three-byte script: 3 bytes of lexeme,
padding, a 4-byte entry and a 2-byte position, for two characters with the space). The texts in every language
therefore share 160,000 characters (960,000 bytes at worst): titles and summaries, which the models bound at 1,000
characters per language (the title counts twice: stemmed and as written), are always indexed; descriptions are cut to
the room left. With six translations that room (21,857 characters) exceeds the models' limit on descriptions
(practices.models.DESCRIPTION_MAX_LENGTH), so every word is found; with all 38 languages, the first 3,210 of each.

Reversing restores the function of 0003.
"""

from django.db import migrations

SQL = """
CREATE OR REPLACE FUNCTION practices_practice_search_trigger() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  texts integer := 1 + (SELECT count(*) FROM practices_practicetranslation t WHERE t.practice_id = NEW.id);
  room integer := greatest(160000 / texts - 1000, 0);
BEGIN
  NEW.search_vector := conect_text_vector(NEW.original_language, NEW.title, NEW.summary, left(NEW.description, room))
    || coalesce((
      SELECT string_agg(
        conect_text_vector(t.language, t.title, t.summary, left(t.description, room))::text, ' '
      )::tsvector
      FROM practices_practicetranslation t WHERE t.practice_id = NEW.id
    ), ''::tsvector);
  RETURN NEW;
END $$;
"""

REVERSE = """
CREATE OR REPLACE FUNCTION practices_practice_search_trigger() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.search_vector := conect_text_vector(NEW.original_language, NEW.title, NEW.summary, NEW.description)
    || coalesce((
      SELECT string_agg(conect_text_vector(t.language, t.title, t.summary, t.description)::text, ' ')::tsvector
      FROM practices_practicetranslation t WHERE t.practice_id = NEW.id
    ), ''::tsvector);
  RETURN NEW;
END $$;
"""


class Migration(migrations.Migration):
    dependencies = [("practices", "0006_text_limits")]
    operations = [migrations.RunSQL(SQL, REVERSE)]
