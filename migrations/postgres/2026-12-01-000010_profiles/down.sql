DROP TABLE user_avatars;
ALTER TABLE users DROP COLUMN avatar_version;
ALTER TABLE users DROP COLUMN flair_badge_id;
ALTER TABLE users DROP COLUMN website;
ALTER TABLE users DROP COLUMN location;
ALTER TABLE users DROP COLUMN bio_html;
ALTER TABLE users DROP COLUMN bio;
