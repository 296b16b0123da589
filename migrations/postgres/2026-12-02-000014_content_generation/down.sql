DROP TABLE content_generation;
