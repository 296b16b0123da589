-- Per-question facts for the KPIs (DESIGN §7), kept by every change to the thread:
-- customer turns that got a reply and the minutes they waited in all (avg_response_minutes),
-- and the answers and comments published by the time of acceptance (messages_to_resolution).
ALTER TABLE questions ADD COLUMN turns_answered INTEGER NOT NULL DEFAULT 0;
ALTER TABLE questions ADD COLUMN turn_wait_minutes DOUBLE PRECISION NOT NULL DEFAULT 0;
ALTER TABLE questions ADD COLUMN messages_at_acceptance INTEGER;
CREATE INDEX questions_published_facts ON questions (published_at, category_id);
