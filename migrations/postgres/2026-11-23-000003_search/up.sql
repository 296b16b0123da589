-- Full-text search. PostgreSQL: generated tsvector columns (title weighted above body) with GIN
-- indexes. (SQLite uses FTS5 tables instead; the schema comparison test leaves these out.)
ALTER TABLE questions ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('english', title), 'A') || setweight(to_tsvector('english', body), 'B')
) STORED;
CREATE INDEX questions_search ON questions USING GIN (search_vector);
ALTER TABLE answers ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (to_tsvector('english', body)) STORED;
CREATE INDEX answers_search ON answers USING GIN (search_vector);
