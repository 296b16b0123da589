-- Profiles (DESIGN §5): a Markdown bio (kept sanitised beside its source), location, website,
-- a flair chosen from earned badges, and an optional uploaded avatar (re-encoded PNG).
ALTER TABLE users ADD COLUMN bio TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN bio_html TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN location TEXT;
ALTER TABLE users ADD COLUMN website TEXT;
ALTER TABLE users ADD COLUMN flair_badge_id BIGINT REFERENCES badges (id) ON DELETE SET NULL;
-- 0 while the generated identicon is shown; bumped by each upload (it versions the image URL).
ALTER TABLE users ADD COLUMN avatar_version BIGINT NOT NULL DEFAULT 0;

CREATE TABLE user_avatars (
    user_id BIGINT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    png BYTEA NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
