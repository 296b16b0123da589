-- When members were active (posted, voted, or visited while logged in), in 15-minute UTC slots:
-- every time zone's offset is a multiple of 15 minutes, so a slot never straddles a local
-- midnight and the KPIs can count active members per day in the site's zone (DESIGN §7).
CREATE TABLE user_active_slots (
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    slot TIMESTAMP NOT NULL,
    PRIMARY KEY (user_id, slot)
);
CREATE INDEX user_active_slots_slot ON user_active_slots (slot, user_id);
