-- WADO-RS metadata of each instance (PS3.18 JSON), computed once at import from the same read that
-- validated the file, so that opening a series needs no file access. Null for rows imported before.
alter table instance add column metadata_json text;
