ALTER TABLE questions ADD COLUMN view_count BIGINT NOT NULL DEFAULT 0;
UPDATE questions SET view_count = v.view_count FROM question_views v WHERE v.question_id = questions.id;
DROP TABLE question_views;
