-- A project's versions counted by status (artifact_versions_aggregated(filter: { project_id: … }, groupBy: ["status"]),
-- the frontend set's "counts", tests/bench.sh --scenario frontend): the project's entries of this index, in status
-- order, are all the statement reads (an index-only scan with a group per run of equal statuses). Through
-- idx_artifact_versions_project_created (0007), whose entries also hold date_created and id and come in date order to
-- be hashed by status, the same 20,000 entries of a project at one million versions cost twice as much: measured on
-- the benchmark's 1M data set with wrk (16 connections, 8 s, the server warmed up), 523 → 932 requests/s, p99
-- 49.6 → 29.6 ms, PostgreSQL 4.95 → 2.17 ms per request. A status change was already not a heap-only update (0007's
-- index includes status), so an update, like an insert, writes one more index entry; promotions (two status updates
-- each) measured with and without this index moved within the noise (README, "What the indexes cost writes").
CREATE INDEX IF NOT EXISTS idx_artifact_versions_project_status ON artifact_versions USING btree (project_id, status);
