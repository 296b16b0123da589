-- The unanswered list (no response yet) is a small, changing fraction of all questions: these
-- partial indexes hold only its rows, so the list never walks past answered questions to fill a page.
CREATE INDEX questions_unanswered_active ON questions (last_activity_at, id) WHERE first_response_at IS NULL AND deleted_at IS NULL;
CREATE INDEX questions_unanswered_newest ON questions (published_at, id) WHERE first_response_at IS NULL AND deleted_at IS NULL;
