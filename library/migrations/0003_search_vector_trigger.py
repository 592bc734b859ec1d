"""Full-text search of the library: a trigger keeps library_resource.search_vector up to date, from the title (in the
resource's language and as written), the authors (as written), the English description and each translation (each in
its own language), and the text read from the file (in the resource's language), with the functions of practices
migration 0003 (conect_ts_config). Triggers rather than Python keep the forms, the admin, restores, the extraction job
(an UPDATE of extracted_text) and bulk inserts alike in step.

A tsvector cannot exceed 1 MB. The models bound the texts (descriptions 20,000 characters each, the file's text
EXTRACTED_TEXT_MAX_LENGTH), which ordinary prose keeps far below the limit, since a word stored once holds all its
places; text made to overflow it (hundreds of thousands of distinct words in a three-byte script) is indexed again
within practices' share of 160,000 characters (migration 0007): its first part is then found, and the save never fails.
"""

from django.db import migrations

SQL = """
CREATE OR REPLACE FUNCTION library_resource_vector(
  language text, title text, authors text, description text, descriptions jsonb, extracted text, room integer
) RETURNS tsvector LANGUAGE sql IMMUTABLE AS $$
  SELECT setweight(to_tsvector(conect_ts_config(language), coalesce(title, '')), 'A')
      || setweight(to_tsvector('simple', coalesce(title, '')), 'A')
      || setweight(to_tsvector('simple', coalesce(authors, '')), 'A')
      || setweight(to_tsvector('english', left(coalesce(description, ''), room)), 'B')
      || coalesce((
        SELECT string_agg(setweight(to_tsvector(conect_ts_config(d.key), left(d.value, room)), 'B')::text, ' ')::tsvector
        FROM jsonb_each_text(CASE jsonb_typeof(descriptions) WHEN 'object' THEN descriptions ELSE '{}' END) d
      ), ''::tsvector)
      || setweight(to_tsvector(conect_ts_config(language), left(coalesce(extracted, ''), room * 20)), 'D')
$$;

CREATE OR REPLACE FUNCTION library_resource_search_trigger() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  BEGIN
    NEW.search_vector := library_resource_vector(
      NEW.language, NEW.title, NEW.authors, NEW.description, NEW.descriptions, NEW.extracted_text, 20000);
  EXCEPTION WHEN program_limit_exceeded THEN
    -- Seven texts of 20,000 characters fit in 160,000 with the titles (practices migration 0007).
    NEW.search_vector := library_resource_vector(
      NEW.language, NEW.title, NEW.authors, NEW.description, NEW.descriptions, NEW.extracted_text, 2500);
  END;
  RETURN NEW;
END $$;

DROP TRIGGER IF EXISTS library_resource_search ON library_resource;
CREATE TRIGGER library_resource_search BEFORE INSERT OR UPDATE OF title, authors, description, descriptions, language,
  extracted_text, search_vector ON library_resource FOR EACH ROW EXECUTE FUNCTION library_resource_search_trigger();

UPDATE library_resource SET search_vector = NULL;
"""

REVERSE = """
DROP TRIGGER IF EXISTS library_resource_search ON library_resource;
DROP FUNCTION IF EXISTS library_resource_search_trigger();
DROP FUNCTION IF EXISTS library_resource_vector(text, text, text, text, jsonb, text, integer);
"""


class Migration(migrations.Migration):
    dependencies = [("library", "0002_described_only_resources"), ("practices", "0007_search_vector_within_limits")]
    operations = [migrations.RunSQL(SQL, REVERSE)]
