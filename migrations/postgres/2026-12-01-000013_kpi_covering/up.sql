-- The accepted answer's author, kept with the other per-question facts, and an index holding every
-- column the KPI pass reads: it then reads one index and neither the questions' nor the answers'
-- rows (their bodies put a few rows on each page, so 100,000 questions meant ~400 MB of reads).
ALTER TABLE questions ADD COLUMN accepted_author_id BIGINT REFERENCES users (id);
DROP INDEX questions_published_facts;
CREATE INDEX questions_published_facts ON questions (published_at) INCLUDE (deleted_at, category_id,
    first_response_at, accepted_at, accepted_author_id, turns_answered, turn_wait_minutes,
    messages_at_acceptance);
-- Open questions with no response right now (unanswered_open), counted from the index alone.
CREATE INDEX questions_open_unanswered ON questions (published_at, category_id)
    WHERE published_at IS NOT NULL AND first_response_at IS NULL AND deleted_at IS NULL AND closed_at IS NULL;
