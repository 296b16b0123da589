-- How many times the site settings have changed. Every instance keeps the number its settings
-- were read under and checks it at most once a second, so a change saved on one instance (brand,
-- thresholds, support hours) reaches every other instance within about a second.
CREATE TABLE settings_version (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    value BIGINT NOT NULL
);
INSERT INTO settings_version (id, value) VALUES (1, 0);
