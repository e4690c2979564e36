#!/usr/bin/env node
// Sends graphql-js's standard introspection query (every option a client or code generator may set) to an endpoint,
// builds a client schema from the answer with buildClientSchema and checks it with validateSchema, as graphql-js clients
// and code generators do.
//
//   node introspect.js --url http://127.0.0.1:8055/graphql [--token TOKEN]
//
// Prints "ok: N types" and exits 0, or prints what failed and exits 1.
'use strict';

const { getIntrospectionQuery, buildClientSchema, validateSchema, printSchema } = require('graphql');

function argument(name) {
  const at = process.argv.indexOf(name);
  return at > 0 ? process.argv[at + 1] : undefined;
}

async function main() {
  const url = argument('--url');
  const token = argument('--token');
  if (!url) {
    throw new Error('usage: node introspect.js --url URL [--token TOKEN]');
  }

  const query = getIntrospectionQuery({
    descriptions: true,
    specifiedByUrl: true,
    directiveIsRepeatable: true,
    schemaDescription: true,
    inputValueDeprecation: true,
  });
  const headers = { 'content-type': 'application/json' };
  if (token) {
    headers.authorization = `Bearer ${token}`;
  }

  const response = await fetch(url, { method: 'POST', headers, body: JSON.stringify({ query }) });
  const body = await response.json();
  if (response.status !== 200 || body.errors || !body.data) {
    throw new Error(`the introspection query was refused (HTTP ${response.status}): ${JSON.stringify(body.errors ?? body)}`);
  }

  const schema = buildClientSchema(body.data);
  const errors = validateSchema(schema);
  if (errors.length > 0) {
    throw new Error(`validateSchema: ${errors.map((e) => e.message).join('\n')}`);
  }

  printSchema(schema);
  console.log(`ok: ${Object.keys(schema.getTypeMap()).length} types`);
}

main().catch((error) => {
  console.error(error.message);
  process.exit(1);
});
