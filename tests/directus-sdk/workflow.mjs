#!/usr/bin/env node
// The seed's workflow written as a Directus SDK user writes it (REST with a static token, GraphQL for the promotion),
// run against a server on the seed data:
//   node workflow.mjs --base http://127.0.0.1:8055 --token <admin token>
// Creates a project and an artifact version with a primary file, links three files through artifact_files with sort,
// links the version to a task, reads both back with the fields the seed's scripts use, promotes the version, then runs
// the "Migration Path" loop over legacy arrays (file ids per version, version ids per task) with createItem calls and
// checks the junction rows it made; at the end it deletes what it created. Prints "SDK workflow passed" and exits 0, or
// names the failed check and exits 1.
import {
  createDirectus, rest, graphql, staticToken, createItem, createItems, readItem, readItems, updateItem, deleteItems, deleteItem, readMe,
} from '@directus/sdk';
import assert from 'node:assert/strict';

const args = process.argv.slice(2);
const arg = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
const base = arg('--base', 'http://127.0.0.1:8055');
const token = arg('--token', 'oracle-admin-token');

const client = createDirectus(base).with(staticToken(token)).with(rest()).with(graphql());

const FILES = ['cccccccc-0000-4000-8000-000000000001', 'cccccccc-0000-4000-8000-000000000002', 'cccccccc-0000-4000-8000-000000000003'];
const TASK = 'aaaaaaaa-0000-4000-8000-000000000001';

async function step(name, work) {
  try {
    return await work();
  } catch (error) {
    const detail = error?.errors ? JSON.stringify(error.errors) : error?.stack ?? String(error);
    console.log(`FAIL ${name}: ${detail}`);
    process.exit(1);
  }
}

const me = await step('readMe', () => client.request(readMe({ fields: ['id', 'email'] })));
assert.ok(me.id);

const project = await step('create the project', () =>
  client.request(createItem('projects', { name: 'SDK project', context: { spec: {} }, context_version: 0 })));
assert.equal(project.name, 'SDK project');

const version = await step('create a version with its primary file', () =>
  client.request(createItem('artifact_versions', {
    project_id: project.id, schema_key: 'spec/sdk', version: 1, status: 'draft', content: { text: 'v1' }, primary_file_id: FILES[0],
  })));
assert.equal(version.primary_file_id, FILES[0]);

// The seed's junction loop: one createItem per file, in order.
const links = [];
for (const [i, file] of FILES.entries()) {
  links.push(await step(`link file ${i + 1}`, () =>
    client.request(createItem('artifact_files', { artifact_version_id: version.id, directus_files_id: file, sort: i + 1 }))));
}
assert.deepEqual(links.map((l) => l.sort), [1, 2, 3]);

const taskLink = await step('link the version to a task', () =>
  client.request(createItem('task_artifacts', { task_id: TASK, artifact_version_id: version.id, sort: 99 })));

const withFiles = await step("readItem fields ['*', 'files.*']", () =>
  client.request(readItem('artifact_versions', version.id, { fields: ['*', 'files.*'] })));
assert.deepEqual(withFiles.files.map((f) => f.directus_files_id), FILES);
assert.deepEqual(withFiles.files.map((f) => f.sort), [1, 2, 3]);
assert.deepEqual(withFiles.content, { text: 'v1' });

const withPrimary = await step("readItem fields ['*', 'primary_file_id.*']", () =>
  client.request(readItem('artifact_versions', version.id, { fields: ['*', 'files.*', 'primary_file_id.*'] })));
assert.equal(withPrimary.primary_file_id.id, FILES[0]);
assert.equal(withPrimary.primary_file_id.filename_download, 'requirements-v1.txt');
assert.equal(withPrimary.files.length, 3);

const task = await step("readItem task fields ['*', 'artifacts.*']", () =>
  client.request(readItem('tasks', TASK, { fields: ['*', 'artifacts.*'] })));
assert.ok(task.artifacts.some((a) => a.id === taskLink.id && a.artifact_version_id === version.id));

const promoted = await step('promoteArtifact through GraphQL', () =>
  client.query(`mutation($id: ID!) { promoteArtifact(id: $id) { artifact_version { id status } project { context_version } } }`, { id: version.id }));
assert.equal(promoted.promoteArtifact.artifact_version.status, 'approved');
assert.equal(promoted.promoteArtifact.project.context_version, 1);

const after = await step('read the project after the promotion', () =>
  client.request(readItem('projects', project.id, { fields: ['context', 'context_version'] })));
assert.deepEqual(after.context.spec.sdk, { text: 'v1' });

// The "Migration Path": legacy arrays (as the old columns held them) become junction rows, sort = position + 1.
const v2 = await step('create a second version', () =>
  client.request(createItem('artifact_versions', { project_id: project.id, schema_key: 'spec/sdk', version: 2, status: 'draft', content: { text: 'v2' } })));
const legacyFileIds = { [v2.id]: [FILES[2], FILES[1]] };
const legacyVersionIds = { [TASK]: [v2.id] };
for (const [versionId, fileIds] of Object.entries(legacyFileIds)) {
  for (const [i, fileId] of fileIds.entries()) {
    await step('migrate a file link', () =>
      client.request(createItem('artifact_files', { artifact_version_id: versionId, directus_files_id: fileId, sort: i + 1 })));
  }
  if (fileIds.length > 0) {
    await step('set the primary file', () => client.request(updateItem('artifact_versions', versionId, { primary_file_id: fileIds[0] })));
  }
}
const migratedTaskLinks = [];
for (const [taskId, versionIds] of Object.entries(legacyVersionIds)) {
  const made = await step('migrate task links (createItems)', () =>
    client.request(createItems('task_artifacts', versionIds.map((artifact_version_id, i) => ({ task_id: taskId, artifact_version_id, sort: 100 + i })))));
  migratedTaskLinks.push(...made.map((l) => l.id));
}
const migrated = await step('readItems the migrated links', () =>
  client.request(readItems('artifact_files', {
    filter: { artifact_version_id: { _eq: v2.id } }, sort: ['sort'], fields: ['sort', 'directus_files_id.filename_download'],
  })));
assert.deepEqual(migrated.map((m) => [m.sort, m.directus_files_id.filename_download]), [[1, 'architecture.png'], [2, 'requirements-v2.md']]);
const v2Read = await step('read the migrated version', () => client.request(readItem('artifact_versions', v2.id, { fields: ['primary_file_id', 'count(files)'] })));
assert.equal(v2Read.primary_file_id, FILES[2]);
assert.equal(v2Read.files_count, '2');

// Clean up what the workflow made (the approval keeps the promoted version; both stay with their project).
await step('delete the links', async () => {
  await client.request(deleteItems('task_artifacts', [taskLink.id, ...migratedTaskLinks]));
  await client.request(deleteItems('artifact_files', { filter: { artifact_version_id: { _in: [version.id, v2.id] } } }));
  await client.request(deleteItem('artifact_versions', v2.id));
});
const left = await step('count the links left', () =>
  client.request(readItems('artifact_files', { filter: { artifact_version_id: { _in: [version.id, v2.id] } }, aggregate: { count: '*' } })));
assert.equal(left[0].count, '0');

console.log('SDK workflow passed');
