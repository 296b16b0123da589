CREATE VIRTUAL TABLE search_questions USING fts5(title, body, tokenize = 'porter unicode61');
CREATE VIRTUAL TABLE search_answers USING fts5(body, tokenize = 'porter unicode61');
INSERT INTO search_questions (rowid, title, body) SELECT id, title, body FROM questions;
INSERT INTO search_answers (rowid, body) SELECT id, body FROM answers;
CREATE TRIGGER search_questions_insert AFTER INSERT ON questions BEGIN
    INSERT INTO search_questions (rowid, title, body) VALUES (new.id, new.title, new.body);
END;
CREATE TRIGGER search_questions_update AFTER UPDATE OF title, body ON questions BEGIN
    DELETE FROM search_questions WHERE rowid = old.id;
    INSERT INTO search_questions (rowid, title, body) VALUES (new.id, new.title, new.body);
END;
CREATE TRIGGER search_questions_delete AFTER DELETE ON questions BEGIN
    DELETE FROM search_questions WHERE rowid = old.id;
END;
CREATE TRIGGER search_answers_insert AFTER INSERT ON answers BEGIN
    INSERT INTO search_answers (rowid, body) VALUES (new.id, new.body);
END;
CREATE TRIGGER search_answers_update AFTER UPDATE OF body ON answers BEGIN
    DELETE FROM search_answers WHERE rowid = old.id;
    INSERT INTO search_answers (rowid, body) VALUES (new.id, new.body);
END;
CREATE TRIGGER search_answers_delete AFTER DELETE ON answers BEGIN
    DELETE FROM search_answers WHERE rowid = old.id;
END;

DROP TRIGGER search_threads_answer_delete;
DROP TRIGGER search_threads_answer_update;
DROP TRIGGER search_threads_answer_insert;
DROP TRIGGER search_threads_question_delete;
DROP TRIGGER search_threads_question_update;
DROP TRIGGER search_threads_question_insert;
DROP TABLE search_threads;
DROP INDEX questions_visible_search;
