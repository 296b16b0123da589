-- Beta-test groups and post-resolution surveys: the tables the import format (DESIGN §11) fills;
-- the group and survey features build on them. Keep in step with migrations/postgres/<same folder>.
CREATE TABLE beta_groups (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    slug TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX beta_groups_slug ON beta_groups (slug);

CREATE TABLE beta_group_members (
    group_id INTEGER NOT NULL REFERENCES beta_groups (id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    joined_at TIMESTAMP NOT NULL,
    PRIMARY KEY (group_id, user_id)
);
CREATE INDEX beta_group_members_user ON beta_group_members (user_id);

CREATE TABLE surveys (
    id INTEGER PRIMARY KEY,
    question_id INTEGER NOT NULL REFERENCES questions (id),
    user_id INTEGER NOT NULL REFERENCES users (id),
    resolved BOOLEAN NOT NULL,
    nps INTEGER,
    comment TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX surveys_question ON surveys (question_id);
CREATE INDEX surveys_created ON surveys (created_at);
