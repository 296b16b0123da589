-- Reputation (DESIGN §4): a ledger of events, and each user's total kept beside the account so
-- lists and privilege checks need no sum. The total is max(1, 1 + the sum of the active events);
-- an event stops counting (active = false) while its post is deleted.
ALTER TABLE users ADD COLUMN reputation INTEGER NOT NULL DEFAULT 1;
-- NULL: contributor status follows reputation; TRUE / FALSE: set by staff.
ALTER TABLE users ADD COLUMN contributor_override BOOLEAN;
CREATE INDEX users_reputation ON users (reputation);

CREATE TABLE reputation_events (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    amount INTEGER NOT NULL,
    reason TEXT NOT NULL,
    post_kind TEXT NOT NULL,
    post_id INTEGER NOT NULL,
    question_id INTEGER NOT NULL REFERENCES questions (id) ON DELETE CASCADE,
    actor_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
    active BOOLEAN NOT NULL DEFAULT TRUE,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX reputation_events_user ON reputation_events (user_id, created_at);
CREATE INDEX reputation_events_post ON reputation_events (post_kind, post_id);
CREATE INDEX reputation_events_question ON reputation_events (question_id);
CREATE INDEX reputation_events_created ON reputation_events (created_at, user_id);
