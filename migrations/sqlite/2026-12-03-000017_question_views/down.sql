ALTER TABLE questions ADD COLUMN view_count INTEGER NOT NULL DEFAULT 0;
UPDATE questions SET view_count = (SELECT v.view_count FROM question_views v WHERE v.question_id = questions.id)
    WHERE id IN (SELECT question_id FROM question_views);
DROP TABLE question_views;
