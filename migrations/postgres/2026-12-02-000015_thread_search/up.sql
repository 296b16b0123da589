-- One search vector per question: its title (A), its body (B) and the text of its visible answers
-- (C). Search used to rank matching questions and matching answers separately and keep each
-- question's best hit: for a common word, thousands of rows whose vectors had to be read. Now each
-- question is matched and ranked once from one GIN index, and a deleted or held answer is simply
-- not in the vector. Triggers keep it when a question or one of its answers changes.
DROP INDEX answers_search;
ALTER TABLE answers DROP COLUMN search_vector;
DROP INDEX questions_search;
ALTER TABLE questions DROP COLUMN search_vector;

CREATE FUNCTION thread_search_vector(question BIGINT, title TEXT, body TEXT) RETURNS tsvector
LANGUAGE sql STABLE AS $$
    SELECT setweight(to_tsvector('english', title), 'A')
        || setweight(to_tsvector('english', body), 'B')
        || setweight(to_tsvector('english', coalesce(
               (SELECT string_agg(a.body, E'\n' ORDER BY a.id) FROM answers a
                 WHERE a.question_id = question AND a.deleted_at IS NULL AND a.published_at IS NOT NULL),
               '')), 'C')
$$;

ALTER TABLE questions ADD COLUMN search_vector tsvector;
UPDATE questions SET search_vector = thread_search_vector(id, title, body);
ALTER TABLE questions ALTER COLUMN search_vector SET NOT NULL;
CREATE INDEX questions_search ON questions USING GIN (search_vector);

CREATE FUNCTION questions_search_refresh() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.search_vector := thread_search_vector(NEW.id, NEW.title, NEW.body);
    RETURN NEW;
END
$$;
CREATE TRIGGER questions_search_refresh BEFORE INSERT OR UPDATE OF title, body ON questions
    FOR EACH ROW EXECUTE FUNCTION questions_search_refresh();

CREATE FUNCTION answers_search_refresh() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    question BIGINT := CASE WHEN TG_OP = 'DELETE' THEN OLD.question_id ELSE NEW.question_id END;
BEGIN
    UPDATE questions SET search_vector = thread_search_vector(id, title, body) WHERE id = question;
    RETURN NULL;
END
$$;
CREATE TRIGGER answers_search_refresh AFTER INSERT OR DELETE OR UPDATE OF body, deleted_at, published_at
    ON answers FOR EACH ROW EXECUTE FUNCTION answers_search_refresh();
