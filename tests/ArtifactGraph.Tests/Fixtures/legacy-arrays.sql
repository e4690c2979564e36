-- The old model on top of legacy-arrays.json: file ids and artifact version ids as JSON arrays on the
-- parent rows. The same SQL for both databases (SQLite accepts the type name json and stores text).
ALTER TABLE artifact_versions ADD COLUMN file_ids json;
ALTER TABLE tasks ADD COLUMN artifact_version_ids json;

-- Two files, the second id first: it becomes the primary file.
UPDATE artifact_versions SET file_ids = '["f0000000-0000-4000-8000-000000000002", "f0000000-0000-4000-8000-000000000001"]'
WHERE id = 'b0000000-0000-4000-8000-000000000001';
-- A missing file, a malformed id, a number, then an existing file in capitals (position 4).
UPDATE artifact_versions SET file_ids = '["f0000000-0000-4000-8000-000000000009", "not-a-uuid", 42, "F0000000-0000-4000-8000-000000000003"]'
WHERE id = 'b0000000-0000-4000-8000-000000000002';
-- primary_file_id is already set (file 1), and stays.
UPDATE artifact_versions SET file_ids = '["f0000000-0000-4000-8000-000000000002", "f0000000-0000-4000-8000-000000000003"]'
WHERE id = 'b0000000-0000-4000-8000-000000000003';
-- An empty array, and JSON that is not an array; version 6 keeps NULL.
UPDATE artifact_versions SET file_ids = '[]' WHERE id = 'b0000000-0000-4000-8000-000000000004';
UPDATE artifact_versions SET file_ids = '{"ids": ["f0000000-0000-4000-8000-000000000001"]}' WHERE id = 'b0000000-0000-4000-8000-000000000005';

-- Version 1 is repeated; version 9 does not exist.
UPDATE tasks SET artifact_version_ids = '["b0000000-0000-4000-8000-000000000001", "b0000000-0000-4000-8000-000000000002", "b0000000-0000-4000-8000-000000000001"]'
WHERE id = 'a0000000-0000-4000-8000-000000000001';
UPDATE tasks SET artifact_version_ids = '["b0000000-0000-4000-8000-000000000009", "b0000000-0000-4000-8000-000000000003"]'
WHERE id = 'a0000000-0000-4000-8000-000000000002';
