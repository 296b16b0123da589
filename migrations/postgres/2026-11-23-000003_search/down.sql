DROP INDEX answers_search;
ALTER TABLE answers DROP COLUMN search_vector;
DROP INDEX questions_search;
ALTER TABLE questions DROP COLUMN search_vector;
