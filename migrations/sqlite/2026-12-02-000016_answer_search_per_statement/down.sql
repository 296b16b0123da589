-- PostgreSQL only (its answer-insert search refresh becomes one per statement); SQLite has no
-- statement triggers, and its per-row refresh replaces one FTS5 document, not a table row.
SELECT 1;
