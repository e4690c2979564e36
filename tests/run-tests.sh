#!/usr/bin/env bash
# Runs every test of the solution against a real PostgreSQL 15 (and SQLite, which needs nothing), the Redis tests
# against a private redis-server, the S3 storage tests against s3rver (npm ci in tests/s3rver) and the introspection
# test against graphql-js (npm ci in tests/graphql-js); both need node and npm.
#
#   tests/run-tests.sh [dotnet test arguments…]      e.g. tests/run-tests.sh --filter Promotion
#
# If AG_TEST_PG is set, tests use that server and nothing is started. Otherwise a private, throwaway
# PostgreSQL cluster is created in a temp directory, listening on 127.0.0.1 on a free port with trust
# auth, and removed again on exit. PostgreSQL refuses to run as root, so as root the cluster runs as the
# `postgres` system user (or a dedicated `agtest` system user, created if needed).
#
# Environment:
#   AG_TEST_PG        Npgsql connection string of an existing server (superuser); skips the private cluster
#   AG_PG_BIN         directory holding initdb/pg_ctl/postgres (default: found automatically, 15 preferred)
#   AG_TEST_PG_CHECK  set to 1 to print the server version through AG_TEST_PG before the tests run
#   AG_TEST_REDIS     host:port of an existing Redis the tests may use (its databases 1 to 15); skips the private one
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
cd "$repo_root"

# shellcheck source=tests/lib/postgres.sh
source "$repo_root/tests/lib/postgres.sh"

# shellcheck source=tests/lib/redis.sh
source "$repo_root/tests/lib/redis.sh"

# shellcheck disable=SC2119  # the tests need no extra server settings
pg_ensure_server
redis_ensure_server
trap 'redis_stop; pg_stop_cluster' EXIT

if [[ "${AG_TEST_PG_CHECK:-}" == "1" ]]; then
    # Connects with exactly the settings of AG_TEST_PG (Host, Port, Username, Password, Database).
    declare -A cs=()
    IFS=';' read -ra parts <<<"$AG_TEST_PG"
    for part in "${parts[@]}"; do
        [[ "$part" == *=* ]] || continue
        key="${part%%=*}"
        cs["${key,,}"]="${part#*=}"
    done
    psql_bin="${pg_bin:+$pg_bin/psql}"
    [[ -n "$psql_bin" && -x "$psql_bin" ]] || psql_bin=psql
    PGPASSWORD="${cs[password]:-${PGPASSWORD:-}}" PGCONNECT_TIMEOUT=10 "$psql_bin" -X -v ON_ERROR_STOP=1 -h "${cs[host]:-127.0.0.1}" -p "${cs[port]:-5432}" \
        -U "${cs[username]:-postgres}" -d "${cs[database]:-postgres}" -tAc 'select current_user, version()'
fi

# The S3 driver's tests start s3rver (an S3-compatible server on Node.js) from tests/s3rver, the introspection test
# runs graphql-js from tests/graphql-js, the SDK test runs the Directus SDK from tests/directus-sdk and the WebSocket
# client test runs graphql-ws from tests/graphql-ws; each is installed from its lock file.
npm_ci_if_stale() { # folder, a file the install leaves
    if [[ ! -f "$1/node_modules/$2" || "$1/package-lock.json" -nt "$1/node_modules/.package-lock.json" ]]; then
        (cd "$1" && npm ci --no-audit --no-fund --loglevel=error)
    fi
}
npm_ci_if_stale tests/s3rver s3rver/bin/s3rver.js
npm_ci_if_stale tests/graphql-js graphql/package.json
npm_ci_if_stale tests/directus-sdk @directus/sdk/package.json
npm_ci_if_stale tests/graphql-ws graphql-ws/package.json

set +e
dotnet test ArtifactGraph.sln -c Release "$@"
status=$?
set -e

# The browser test's screenshot of the IDE, kept as an artifact of the run.
screenshot="$(find tests -path '*/TestResults/banana-cake-pop.png' -newer ArtifactGraph.sln -print -quit 2>/dev/null || true)"
if [[ -n "$screenshot" ]]; then
    printf 'run-tests: Banana Cake Pop screenshot: %s\n' "$repo_root/$screenshot" >&2
fi
exit "$status"
