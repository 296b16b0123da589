DROP TABLE user_active_slots;
