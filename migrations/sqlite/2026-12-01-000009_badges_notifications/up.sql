-- Badges (DESIGN §5): the catalogue (built-in rows are kept in step with the code at start;
-- staff add manual ones), and awards, once per user, or once per post for repeatable badges.
CREATE TABLE badges (
    id INTEGER PRIMARY KEY,
    slug TEXT NOT NULL,
    name TEXT NOT NULL,
    tier TEXT NOT NULL,
    description TEXT NOT NULL,
    repeatable BOOLEAN NOT NULL DEFAULT FALSE,
    manual BOOLEAN NOT NULL DEFAULT FALSE,
    created_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX badges_slug ON badges (slug);

CREATE TABLE badge_awards (
    id INTEGER PRIMARY KEY,
    badge_id INTEGER NOT NULL REFERENCES badges (id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    -- For repeatable badges, the answer that earned it; 0 otherwise (so the unique index holds).
    post_id INTEGER NOT NULL DEFAULT 0,
    question_id INTEGER REFERENCES questions (id) ON DELETE CASCADE,
    awarded_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
    reason TEXT,
    created_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX badge_awards_once ON badge_awards (badge_id, user_id, post_id);
CREATE INDEX badge_awards_user ON badge_awards (user_id, created_at);
CREATE INDEX badge_awards_badge ON badge_awards (badge_id, created_at);

-- Days on which a member posted or voted (for the Regular badge and activity KPIs).
CREATE TABLE user_active_days (
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    day DATE NOT NULL,
    PRIMARY KEY (user_id, day)
);

-- In-app notifications (DESIGN §9); emails for them come with the notifications work.
CREATE TABLE notifications (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    link TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    read_at TIMESTAMP
);
CREATE INDEX notifications_user ON notifications (user_id, read_at, created_at);
