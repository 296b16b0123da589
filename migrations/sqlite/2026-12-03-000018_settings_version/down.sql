DROP TABLE settings_version;
