"""Full-text search in every language: triggers keep practices.search_vector up to date.

Each text is stemmed with the configuration of its own language (the original, and each translation), so an
Italian description is found by Italian words and its English translation by English words. Triggers rather than
Python keep bulk imports and admin edits alike in step.

Idempotent: a database migrated before the squash of 0001-0013 runs it again and ends up the same. Each text is cut
to its first 100,000 characters before it is stemmed: a tsvector cannot exceed 1 MB, and the models already refuse
longer texts, so the cut only guards rows written around them.
"""

from django.db import migrations

SQL = """
CREATE OR REPLACE FUNCTION conect_ts_config(language text) RETURNS regconfig
LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE split_part(lower(language), '-', 1)
    WHEN 'en' THEN 'english' WHEN 'it' THEN 'italian' WHEN 'ro' THEN 'romanian' WHEN 'fr' THEN 'french'
    WHEN 'de' THEN 'german' WHEN 'es' THEN 'spanish' WHEN 'pt' THEN 'portuguese' WHEN 'nl' THEN 'dutch'
    WHEN 'sv' THEN 'swedish' WHEN 'da' THEN 'danish' WHEN 'fi' THEN 'finnish' WHEN 'hu' THEN 'hungarian'
    WHEN 'el' THEN 'greek' WHEN 'nb' THEN 'norwegian' WHEN 'no' THEN 'norwegian' WHEN 'lt' THEN 'lithuanian'
    WHEN 'ga' THEN 'irish' WHEN 'ca' THEN 'catalan' WHEN 'eu' THEN 'basque' WHEN 'ru' THEN 'russian'
    WHEN 'sr' THEN 'serbian' WHEN 'tr' THEN 'turkish'
    ELSE 'simple' END::regconfig
$$;

CREATE OR REPLACE FUNCTION conect_text_vector(language text, title text, summary text, description text)
RETURNS tsvector LANGUAGE sql IMMUTABLE AS $$
  SELECT setweight(to_tsvector(conect_ts_config(language), coalesce(title, '')), 'A')
      || setweight(to_tsvector('simple', coalesce(title, '')), 'A')
      || setweight(to_tsvector(conect_ts_config(language), coalesce(summary, '')), 'B')
      || setweight(to_tsvector(conect_ts_config(language), left(coalesce(description, ''), 100000)), 'C')
$$;

CREATE OR REPLACE FUNCTION practices_practice_search_trigger() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.search_vector := conect_text_vector(NEW.original_language, NEW.title, NEW.summary, NEW.description)
    || coalesce((
      SELECT string_agg(conect_text_vector(t.language, t.title, t.summary, t.description)::text, ' ')::tsvector
      FROM practices_practicetranslation t WHERE t.practice_id = NEW.id
    ), ''::tsvector);
  RETURN NEW;
END $$;

DROP TRIGGER IF EXISTS practices_practice_search ON practices_practice;
CREATE TRIGGER practices_practice_search BEFORE INSERT OR UPDATE OF title, summary, description, original_language,
  search_vector ON practices_practice FOR EACH ROW EXECUTE FUNCTION practices_practice_search_trigger();

CREATE OR REPLACE FUNCTION practices_translation_search_trigger() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- Touching search_vector fires the practice's own trigger, which recomputes it with every translation.
  UPDATE practices_practice SET search_vector = NULL
   WHERE id = CASE WHEN TG_OP = 'DELETE' THEN OLD.practice_id ELSE NEW.practice_id END;
  RETURN NULL;
END $$;

DROP TRIGGER IF EXISTS practices_translation_search ON practices_practicetranslation;
CREATE TRIGGER practices_translation_search AFTER INSERT OR UPDATE OR DELETE ON practices_practicetranslation
  FOR EACH ROW EXECUTE FUNCTION practices_translation_search_trigger();
"""

REVERSE = """
DROP TRIGGER IF EXISTS practices_translation_search ON practices_practicetranslation;
DROP TRIGGER IF EXISTS practices_practice_search ON practices_practice;
DROP FUNCTION IF EXISTS practices_translation_search_trigger();
DROP FUNCTION IF EXISTS practices_practice_search_trigger();
DROP FUNCTION IF EXISTS conect_text_vector(text, text, text, text);
DROP FUNCTION IF EXISTS conect_ts_config(text);
"""


class Migration(migrations.Migration):
    dependencies = [("practices", "0002_themes_and_sdgs")]
    operations = [migrations.RunSQL(SQL, REVERSE)]
