DROP TABLE reputation_events;
DROP INDEX users_reputation;
ALTER TABLE users DROP COLUMN contributor_override;
ALTER TABLE users DROP COLUMN reputation;
