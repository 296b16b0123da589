DROP TRIGGER search_answers_delete;
DROP TRIGGER search_answers_update;
DROP TRIGGER search_answers_insert;
DROP TRIGGER search_questions_delete;
DROP TRIGGER search_questions_update;
DROP TRIGGER search_questions_insert;
DROP TABLE search_answers;
DROP TABLE search_questions;
