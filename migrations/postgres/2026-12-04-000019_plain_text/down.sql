CREATE OR REPLACE FUNCTION thread_search_vector(question BIGINT, title TEXT, body TEXT) RETURNS tsvector
LANGUAGE sql STABLE AS $$
    SELECT setweight(to_tsvector('english', title), 'A')
        || setweight(to_tsvector('english', body), 'B')
        || setweight(to_tsvector('english', coalesce(
               (SELECT string_agg(a.body, E'\n' ORDER BY a.id) FROM answers a
                 WHERE a.question_id = question AND a.deleted_at IS NULL AND a.published_at IS NOT NULL),
               '')), 'C')
$$;
CREATE OR REPLACE FUNCTION questions_search_refresh() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.search_vector := thread_search_vector(NEW.id, NEW.title, NEW.body);
    RETURN NEW;
END
$$;
DROP TRIGGER questions_search_refresh ON questions;
CREATE TRIGGER questions_search_refresh BEFORE INSERT OR UPDATE OF title, body ON questions
    FOR EACH ROW EXECUTE FUNCTION questions_search_refresh();
CREATE OR REPLACE FUNCTION answers_search_refresh() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    question BIGINT := CASE WHEN TG_OP = 'DELETE' THEN OLD.question_id ELSE NEW.question_id END;
BEGIN
    UPDATE questions SET search_vector = thread_search_vector(id, title, body) WHERE id = question;
    RETURN NULL;
END
$$;
DROP TRIGGER answers_search_refresh ON answers;
CREATE TRIGGER answers_search_refresh AFTER DELETE OR UPDATE OF body, deleted_at, published_at
    ON answers FOR EACH ROW EXECUTE FUNCTION answers_search_refresh();
CREATE OR REPLACE FUNCTION answers_search_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE questions SET search_vector = thread_search_vector(id, title, body)
     WHERE id IN (SELECT DISTINCT question_id FROM inserted_answers);
    RETURN NULL;
END
$$;
ALTER TABLE answers DROP COLUMN body_text;
ALTER TABLE questions DROP COLUMN body_text;
