DROP INDEX questions_visible;
