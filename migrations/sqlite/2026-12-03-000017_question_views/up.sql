-- View counts leave the questions table (the PostgreSQL migration says why); the same shape here.
CREATE TABLE question_views (
    question_id INTEGER PRIMARY KEY REFERENCES questions (id) ON DELETE CASCADE,
    view_count INTEGER NOT NULL
);
INSERT INTO question_views (question_id, view_count)
    SELECT id, view_count FROM questions WHERE view_count > 0;
ALTER TABLE questions DROP COLUMN view_count;
