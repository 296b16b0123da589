-- A new answer refreshed its question's search vector from a row trigger: a statement inserting
-- many answers (an import writes a thousand at a time) rewrote each question once per answer, with
-- all its answers' text parsed again each time. Inserts now refresh each question they touch once
-- per statement, from the statement's new rows; updates and deletes stay per row (a transition
-- table cannot be combined with the column list that keeps score updates from firing it).
DROP TRIGGER answers_search_refresh ON answers;
CREATE TRIGGER answers_search_refresh AFTER DELETE OR UPDATE OF body, deleted_at, published_at
    ON answers FOR EACH ROW EXECUTE FUNCTION answers_search_refresh();

CREATE FUNCTION answers_search_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE questions SET search_vector = thread_search_vector(id, title, body)
     WHERE id IN (SELECT DISTINCT question_id FROM inserted_answers);
    RETURN NULL;
END
$$;
CREATE TRIGGER answers_search_insert AFTER INSERT ON answers
    REFERENCING NEW TABLE AS inserted_answers
    FOR EACH STATEMENT EXECUTE FUNCTION answers_search_insert();
