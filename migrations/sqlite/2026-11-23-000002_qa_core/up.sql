-- Q&A core: categories, tags, questions, answers, comments, votes, follows, revisions.
-- Keep in step with migrations/postgres/<same folder>: tests/integration/migrations.rs compares them.
-- Counters and facts on questions (score, answer_count, first_response_at, ...) are maintained by
-- domain::questions::refresh_facts from the rows they summarise, so they can always be recomputed.
CREATE TABLE categories (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    slug TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    description_html TEXT NOT NULL DEFAULT '',
    position INTEGER NOT NULL DEFAULT 0,
    group_id INTEGER,
    created_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX categories_slug ON categories (slug);

CREATE TABLE tags (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    description_html TEXT NOT NULL DEFAULT '',
    question_count INTEGER NOT NULL DEFAULT 0,
    created_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX tags_name ON tags (name);

CREATE TABLE questions (
    id INTEGER PRIMARY KEY,
    author_id INTEGER NOT NULL REFERENCES users (id),
    category_id INTEGER NOT NULL REFERENCES categories (id),
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    body_html TEXT NOT NULL,
    score INTEGER NOT NULL DEFAULT 0,
    answer_count INTEGER NOT NULL DEFAULT 0,
    comment_count INTEGER NOT NULL DEFAULT 0,
    view_count INTEGER NOT NULL DEFAULT 0,
    accepted_answer_id INTEGER,
    accepted_at TIMESTAMP,
    accepted_by INTEGER REFERENCES users (id),
    first_response_at TIMESTAMP,
    last_activity_at TIMESTAMP NOT NULL,
    created_at TIMESTAMP NOT NULL,
    published_at TIMESTAMP,
    updated_at TIMESTAMP,
    deleted_at TIMESTAMP,
    deleted_by INTEGER REFERENCES users (id),
    closed_at TIMESTAMP,
    closed_by INTEGER REFERENCES users (id),
    close_reason TEXT,
    duplicate_of_id INTEGER,
    locked_at TIMESTAMP,
    locked_by INTEGER REFERENCES users (id),
    ack_status TEXT,
    ack_at TIMESTAMP
);
CREATE INDEX questions_last_activity ON questions (last_activity_at);
CREATE INDEX questions_published ON questions (published_at);
CREATE INDEX questions_category ON questions (category_id, last_activity_at);
CREATE INDEX questions_author ON questions (author_id, created_at);
CREATE INDEX questions_score ON questions (score);

CREATE TABLE answers (
    id INTEGER PRIMARY KEY,
    question_id INTEGER NOT NULL REFERENCES questions (id),
    author_id INTEGER NOT NULL REFERENCES users (id),
    body TEXT NOT NULL,
    body_html TEXT NOT NULL,
    score INTEGER NOT NULL DEFAULT 0,
    official BOOLEAN NOT NULL DEFAULT FALSE,
    created_at TIMESTAMP NOT NULL,
    published_at TIMESTAMP,
    updated_at TIMESTAMP,
    deleted_at TIMESTAMP,
    deleted_by INTEGER REFERENCES users (id)
);
CREATE INDEX answers_question ON answers (question_id);
CREATE INDEX answers_author ON answers (author_id, created_at);

CREATE TABLE comments (
    id INTEGER PRIMARY KEY,
    question_id INTEGER NOT NULL REFERENCES questions (id),
    answer_id INTEGER REFERENCES answers (id),
    author_id INTEGER NOT NULL REFERENCES users (id),
    body TEXT NOT NULL,
    body_html TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    published_at TIMESTAMP,
    deleted_at TIMESTAMP,
    deleted_by INTEGER REFERENCES users (id)
);
CREATE INDEX comments_question ON comments (question_id);
CREATE INDEX comments_author ON comments (author_id, created_at);

CREATE TABLE question_tags (
    question_id INTEGER NOT NULL REFERENCES questions (id) ON DELETE CASCADE,
    tag_id INTEGER NOT NULL REFERENCES tags (id),
    PRIMARY KEY (question_id, tag_id)
);
CREATE INDEX question_tags_tag ON question_tags (tag_id, question_id);

CREATE TABLE votes (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id),
    post_kind TEXT NOT NULL,
    post_id INTEGER NOT NULL,
    value INTEGER NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX votes_one_per_user ON votes (user_id, post_kind, post_id);
CREATE INDEX votes_post ON votes (post_kind, post_id);

CREATE TABLE follows (
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    question_id INTEGER NOT NULL REFERENCES questions (id) ON DELETE CASCADE,
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (user_id, question_id)
);
CREATE INDEX follows_question ON follows (question_id);

CREATE TABLE revisions (
    id INTEGER PRIMARY KEY,
    post_kind TEXT NOT NULL,
    post_id INTEGER NOT NULL,
    editor_id INTEGER NOT NULL REFERENCES users (id),
    title TEXT,
    body TEXT NOT NULL,
    tags TEXT,
    summary TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX revisions_post ON revisions (post_kind, post_id, id);
