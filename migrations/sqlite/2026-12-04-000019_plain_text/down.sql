DROP TRIGGER search_threads_question_insert;
CREATE TRIGGER search_threads_question_insert AFTER INSERT ON questions BEGIN
    INSERT INTO search_threads (rowid, title, body, answers) VALUES (new.id, new.title, new.body, '');
END;
DROP TRIGGER search_threads_question_update;
CREATE TRIGGER search_threads_question_update AFTER UPDATE OF title, body ON questions BEGIN
    UPDATE search_threads SET title = new.title, body = new.body WHERE rowid = new.id;
END;
DROP TRIGGER search_threads_answer_insert;
CREATE TRIGGER search_threads_answer_insert AFTER INSERT ON answers BEGIN
    UPDATE search_threads SET answers = coalesce((SELECT group_concat(a.body, char(10)) FROM answers a
        WHERE a.question_id = new.question_id AND a.deleted_at IS NULL AND a.published_at IS NOT NULL), '')
     WHERE rowid = new.question_id;
END;
DROP TRIGGER search_threads_answer_update;
CREATE TRIGGER search_threads_answer_update AFTER UPDATE OF body, deleted_at, published_at ON answers BEGIN
    UPDATE search_threads SET answers = coalesce((SELECT group_concat(a.body, char(10)) FROM answers a
        WHERE a.question_id = new.question_id AND a.deleted_at IS NULL AND a.published_at IS NOT NULL), '')
     WHERE rowid = new.question_id;
END;
DROP TRIGGER search_threads_answer_delete;
CREATE TRIGGER search_threads_answer_delete AFTER DELETE ON answers BEGIN
    UPDATE search_threads SET answers = coalesce((SELECT group_concat(a.body, char(10)) FROM answers a
        WHERE a.question_id = old.question_id AND a.deleted_at IS NULL AND a.published_at IS NOT NULL), '')
     WHERE rowid = old.question_id;
END;
ALTER TABLE answers DROP COLUMN body_text;
ALTER TABLE questions DROP COLUMN body_text;
