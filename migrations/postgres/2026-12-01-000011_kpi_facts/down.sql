DROP INDEX questions_published_facts;
ALTER TABLE questions DROP COLUMN messages_at_acceptance;
ALTER TABLE questions DROP COLUMN turn_wait_minutes;
ALTER TABLE questions DROP COLUMN turns_answered;
