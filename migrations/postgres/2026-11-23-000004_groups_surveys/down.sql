DROP TABLE surveys;
DROP TABLE beta_group_members;
DROP TABLE beta_groups;
