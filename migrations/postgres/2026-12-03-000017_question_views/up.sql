-- View counts leave the questions table. A question row is wide (body, rendered HTML, the
-- thread's search vector) and sits under twelve indexes; written densely, a row whose view count
-- changed could seldom stay on its page, so each flush added entries to every index (the search
-- GIN among them) and left pages not all-visible, which index-only scans then had to read: at a
-- million questions 3 % of updates stayed on their page and single view-count updates took up to
-- 1.5 s. Here a count is a narrow row under one index.
CREATE TABLE question_views (
    question_id BIGINT PRIMARY KEY REFERENCES questions (id) ON DELETE CASCADE,
    view_count BIGINT NOT NULL
);
INSERT INTO question_views (question_id, view_count)
    SELECT id, view_count FROM questions WHERE view_count > 0;
ALTER TABLE questions DROP COLUMN view_count;
