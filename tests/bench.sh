#!/usr/bin/env bash
# Runs the benchmarks of tests/ArtifactGraph.Bench against a private PostgreSQL 15 (figures only, no pass/fail).
#
#   tests/bench.sh [benchmark options…]     e.g. tests/bench.sh --sizes 1000 --duration 5
#   tests/bench.sh --help                   lists the options (scenario, sizes, duration, warm-up, connections…)
#   tests/bench.sh --durable […]            the private cluster with PostgreSQL's default durability (see below)
#
# If AG_TEST_PG is set, the benchmark uses that server (a superuser connection; it creates and drops one
# database per size) and nothing is started. Otherwise a private, throwaway cluster is created as
# tests/run-tests.sh does, with pg_stat_statements loaded to count the SQL statements per request.
#
# Environment:
#   AG_TEST_PG   Npgsql connection string of an existing server (superuser); skips the private cluster
#   AG_PG_BIN    directory holding initdb/pg_ctl/postgres (default: found automatically, 15 preferred)
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
cd "$repo_root"

# shellcheck source=tests/lib/postgres.sh
source "$repo_root/tests/lib/postgres.sh"

# --durable (this script's own option): the private cluster commits as PostgreSQL does by default, each commit waiting
# for its WAL to reach the disk (fsync, synchronous_commit and full_page_writes on); without it they are off, as in
# the tests, and the figures are the CPU's. The report's conditions give the settings of the server used.
durability=()
bench_args=()
for arg in "$@"; do
    if [[ "$arg" == --durable ]]; then
        durability=('fsync = on' 'synchronous_commit = on' 'full_page_writes = on')
    else
        bench_args+=("$arg")
    fi
done

# pg_stat_statements counts the statements per request; the buffers hold the 100k data set.
pg_ensure_server "shared_preload_libraries = 'pg_stat_statements'" 'shared_buffers = 256MB' "${durability[@]}"

dotnet build tests/ArtifactGraph.Bench -c Release -nologo -v quiet
dotnet run -c Release --no-build --project tests/ArtifactGraph.Bench -- "${bench_args[@]}"
