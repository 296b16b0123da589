DROP INDEX questions_open_unanswered;
DROP INDEX questions_published_facts;
CREATE INDEX questions_published_facts ON questions (published_at, category_id);
ALTER TABLE questions DROP COLUMN accepted_author_id;
