-- How many times public content has changed. Every instance's page cache keeps the number a page
-- was rendered under and serves it only while the number is unchanged, so a write on any instance
-- (or by `peerdesk import`) reaches every instance's visitors at once.
CREATE TABLE content_generation (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    value BIGINT NOT NULL
);
INSERT INTO content_generation (id, value) VALUES (1, 0);
