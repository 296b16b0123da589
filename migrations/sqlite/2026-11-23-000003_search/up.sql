-- Full-text search. SQLite: FTS5 tables keyed by the post's id, kept in step by triggers.
-- (PostgreSQL uses generated tsvector columns with GIN indexes instead; the schema comparison
-- test leaves these objects out, since they differ by design.)
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
