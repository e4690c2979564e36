#!/usr/bin/env node
// A real GraphQL-over-WebSocket client (the npm graphql-ws library, as browser apps and Banana Cake Pop use it)
// against a server with WEBSOCKETS_ENABLED=true:
//   node subscribe.mjs --base http://127.0.0.1:8055 --token <admin token> --version <artifact version id>
// Subscribes to artifact_versions_mutated, changes the version's status over HTTP, and checks the event it receives
// ({ key, event, data }); then runs a query over the same socket. Prints "graphql-ws client passed" or the failure.
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import assert from 'node:assert/strict';

const args = process.argv.slice(2);
const arg = (name) => args[args.indexOf(name) + 1];
const base = arg('--base');
const token = arg('--token');
const version = arg('--version');

const client = createClient({
  url: base.replace(/^http/, 'ws') + '/graphql',
  webSocketImpl: WebSocket,
  connectionParams: { access_token: token },
  lazy: false,
  retryAttempts: 0,
});

const timeout = (ms, what) => new Promise((_, reject) => setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), ms));

try {
  const subscription = client.iterate({ query: 'subscription { artifact_versions_mutated(event: update) { key event data { id status } } }' });
  const first = subscription.next();
  await new Promise((resolve) => setTimeout(resolve, 500));

  const response = await fetch(`${base}/graphql`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ query: `mutation { update_artifact_versions_item(id: "${version}", data: { status: "in_review" }) { id } }` }),
  });
  assert.equal(response.status, 200);

  const { value } = await Promise.race([first, timeout(10_000, 'the event')]);
  assert.deepEqual(value, { data: { artifact_versions_mutated: { key: version, event: 'update', data: { id: version, status: 'in_review' } } } });
  await subscription.return();

  const query = await Promise.race([
    new Promise((resolve, reject) => {
      let result;
      client.subscribe({ query: '{ projects(sort: ["name"]) { name } }' }, { next: (r) => (result = r), error: reject, complete: () => resolve(result) });
    }),
    timeout(10_000, 'the query'),
  ]);
  assert.deepEqual(query.data.projects.map((p) => p.name), ['Apollo', 'Borealis']);
  console.log('graphql-ws client passed');
  await client.dispose();
  process.exit(0);
} catch (error) {
  console.log(`FAIL ${error?.stack ?? JSON.stringify(error)}`);
  process.exit(1);
}
