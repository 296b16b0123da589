DROP TABLE notifications;
DROP TABLE user_active_days;
DROP TABLE badge_awards;
DROP TABLE badges;
