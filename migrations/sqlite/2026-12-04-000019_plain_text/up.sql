-- Search indexes what a reader sees, not the Markdown source: `body_text` is a post's rendered
-- plain text (no Markdown syntax, no URLs), made by PeerDesk from the same parse as its HTML and
-- filled for existing posts when the forum starts (domain::site::rendering). On a real imported
-- community "https" matched 527 of 612 questions and snippets showed `**`, `[`, and link targets.
ALTER TABLE questions ADD COLUMN body_text TEXT NOT NULL DEFAULT '';
ALTER TABLE answers ADD COLUMN body_text TEXT NOT NULL DEFAULT '';

DROP TRIGGER search_threads_question_insert;
CREATE TRIGGER search_threads_question_insert AFTER INSERT ON questions BEGIN
    INSERT INTO search_threads (rowid, title, body, answers) VALUES (new.id, new.title, new.body_text, '');
END;
DROP TRIGGER search_threads_question_update;
CREATE TRIGGER search_threads_question_update AFTER UPDATE OF title, body_text ON questions BEGIN
    UPDATE search_threads SET title = new.title, body = new.body_text WHERE rowid = new.id;
END;
DROP TRIGGER search_threads_answer_insert;
CREATE TRIGGER search_threads_answer_insert AFTER INSERT ON answers BEGIN
    UPDATE search_threads SET answers = coalesce((SELECT group_concat(a.body_text, char(10)) FROM answers a
        WHERE a.question_id = new.question_id AND a.deleted_at IS NULL AND a.published_at IS NOT NULL), '')
     WHERE rowid = new.question_id;
END;
DROP TRIGGER search_threads_answer_update;
CREATE TRIGGER search_threads_answer_update AFTER UPDATE OF body_text, deleted_at, published_at ON answers BEGIN
    UPDATE search_threads SET answers = coalesce((SELECT group_concat(a.body_text, char(10)) FROM answers a
        WHERE a.question_id = new.question_id AND a.deleted_at IS NULL AND a.published_at IS NOT NULL), '')
     WHERE rowid = new.question_id;
END;
DROP TRIGGER search_threads_answer_delete;
CREATE TRIGGER search_threads_answer_delete AFTER DELETE ON answers BEGIN
    UPDATE search_threads SET answers = coalesce((SELECT group_concat(a.body_text, char(10)) FROM answers a
        WHERE a.question_id = old.question_id AND a.deleted_at IS NULL AND a.published_at IS NOT NULL), '')
     WHERE rowid = old.question_id;
END;
