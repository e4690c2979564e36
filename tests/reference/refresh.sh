#!/usr/bin/env bash
# Refreshes tests/reference/directus from the team's Directus reference folder (shared/directus beside the
# repository, or the folder given as the first argument). Run it when that folder changes, review the diff, commit.
# Nothing else in the repository reads that folder: tests, the benchmark and scripts use this copy.
#
#   tests/reference/refresh.sh [SOURCE]
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"
source_dir="${1:-$here/../../../shared/directus}"
target="$here/directus"

if [[ ! -f "$source_dir/seed-data.json" ]]; then
    printf 'refresh: %s is not a Directus reference folder (no seed-data.json)\n' "$source_dir" >&2
    exit 1
fi

# What the tests, the benchmark and the corpus replay use. The README of the copy is this repository's own.
items=(cases rest-cases uploads sdl-items.graphql sdl-system.graphql seed-data.json directus-ddl.sql
       schema-snapshot.yaml run-corpus.js perf-directus.md sql-trace.md)

mkdir -p "$target"
for item in "${items[@]}"; do
    rm -rf "${target:?}/$item"
    cp -R "$source_dir/$item" "$target/$item"
done
printf 'refresh: copied %s into %s\n' "${items[*]}" "$target"
