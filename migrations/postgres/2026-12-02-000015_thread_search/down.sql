DROP TRIGGER answers_search_refresh ON answers;
DROP FUNCTION answers_search_refresh();
DROP TRIGGER questions_search_refresh ON questions;
DROP FUNCTION questions_search_refresh();
DROP INDEX questions_search;
ALTER TABLE questions DROP COLUMN search_vector;
DROP FUNCTION thread_search_vector(BIGINT, TEXT, TEXT);

ALTER TABLE questions ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('english', title), 'A') || setweight(to_tsvector('english', body), 'B')
) STORED;
CREATE INDEX questions_search ON questions USING GIN (search_vector);
ALTER TABLE answers ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (to_tsvector('english', body)) STORED;
CREATE INDEX answers_search ON answers USING GIN (search_vector);
