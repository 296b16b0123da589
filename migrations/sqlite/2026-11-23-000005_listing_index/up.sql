-- Counting the visible questions of a list reads this narrow index instead of the wide rows.
CREATE INDEX questions_visible ON questions (category_id, published_at, deleted_at, first_response_at, accepted_answer_id);
