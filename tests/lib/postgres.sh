# shellcheck shell=bash
# A private, throwaway PostgreSQL cluster for the scripts in tests/ (sourced, not run).
#
#   source tests/lib/postgres.sh
#   pg_ensure_server ['setting = value'…]   # AG_TEST_PG if set, else pg_start_cluster with those settings
#   pg_start_cluster ['setting = value'…]   # exports AG_TEST_PG; the cluster is removed on exit
#
# The cluster lives in a temp directory, listens on 127.0.0.1 on a free port with trust auth, and is
# stopped and deleted by an EXIT trap. PostgreSQL refuses to run as root, so as root it runs as the
# `postgres` system user (or a dedicated `agtest` system user, created if needed). Extra arguments are
# appended to postgresql.conf (e.g. "shared_preload_libraries = 'pg_stat_statements'").
#
# Environment:
#   AG_PG_BIN   directory holding initdb/pg_ctl/postgres (default: found automatically, 15 preferred)
#
# After pg_start_cluster: pg_bin (the binaries' directory) and pg_dir (the cluster's temp directory).

# Messages are prefixed with the calling script's name, e.g. "run-tests: …".
pg_log() { printf '%s: %s\n' "$(basename "$0" .sh)" "$*" >&2; }

find_pg_bin() {
    local dir
    for dir in "${AG_PG_BIN:-}" /usr/lib/postgresql/15/bin "$(dirname "$(command -v initdb 2>/dev/null || echo /nonexistent/x)")" \
        /usr/lib/postgresql/*/bin /usr/pgsql-15/bin /usr/local/pgsql/bin; do
        if [[ -n "$dir" && -x "$dir/initdb" && -x "$dir/pg_ctl" && -x "$dir/postgres" ]]; then
            printf '%s\n' "$dir"
            return 0
        fi
    done
    return 1
}

# A port nothing listens on now; the start loop below retries if another process takes it first.
pick_port() {
    if command -v python3 >/dev/null 2>&1; then
        python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()' && return 0
    fi
    local port
    while :; do
        port=$((20000 + RANDOM % 40000))
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
            printf '%s\n' "$port"
            return 0
        fi
    done
}

# PostgreSQL prefers a UTF-8 locale; C.UTF-8 is built into glibc, en_US.UTF-8 only when generated.
pick_locale() {
    local available
    available="$(locale -a 2>/dev/null | tr '[:upper:]' '[:lower:]' | tr -d '-')"
    if grep -qx 'c.utf8' <<<"$available"; then echo C.UTF-8
    elif grep -qx 'en_us.utf8' <<<"$available"; then echo en_US.UTF-8
    else echo C
    fi
}

pg_user=""
pg_dir=""
pg_bin=""

# Runs a command as the cluster's owner, from inside the cluster directory (the caller's cwd may be unreadable to it).
as_pg() {
    if [[ -z "$pg_user" ]]; then
        (cd "$pg_dir" && "$@")
    elif command -v runuser >/dev/null 2>&1; then
        (cd "$pg_dir" && runuser -u "$pg_user" -- "$@")
    else
        local quoted
        quoted="$(printf '%q ' "$@")"
        (cd "$pg_dir" && su -s /bin/sh "$pg_user" -c "$quoted")
    fi
}

# shellcheck disable=SC2317  # invoked by the EXIT trap
pg_stop_cluster() {
    if [[ -n "$pg_dir" && -d "$pg_dir" ]]; then
        if [[ -f "$pg_dir/data/postmaster.pid" ]]; then
            as_pg "$pg_bin/pg_ctl" -D "$pg_dir/data" -m immediate -w -t 30 stop >/dev/null 2>&1 || true
        fi
        rm -rf -- "$pg_dir"
        pg_log "stopped PostgreSQL and removed its temp directory"
    fi
}

pg_start_cluster() {
    pg_bin="$(find_pg_bin)" || {
        pg_log "PostgreSQL binaries (initdb, pg_ctl, postgres) not found: install postgresql-15 (.ci/run does), or set AG_PG_BIN or AG_TEST_PG"
        exit 2
    }

    if [[ "$(id -u)" -eq 0 ]]; then
        if id -u postgres >/dev/null 2>&1; then
            pg_user=postgres
        else
            if ! id -u agtest >/dev/null 2>&1; then
                useradd --system --user-group --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin agtest
            fi
            pg_user=agtest
        fi
    fi

    local tmp_root="${TMPDIR:-/tmp}"
    pg_dir="$(mktemp -d "$tmp_root/ag-pgtest.XXXXXX")"
    trap pg_stop_cluster EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM
    if [[ -n "$pg_user" ]]; then
        chown "$pg_user" "$pg_dir"
        # The cluster owner must reach the directory; a private TMPDIR (e.g. in root's home) would not do.
        if ! as_pg test -w "$pg_dir" 2>/dev/null; then
            rm -rf -- "$pg_dir"
            pg_dir="$(mktemp -d /tmp/ag-pgtest.XXXXXX)"
            chown "$pg_user" "$pg_dir"
        fi
    fi

    local locale
    locale="$(pick_locale)"
    if ! as_pg "$pg_bin/initdb" -D "$pg_dir/data" -U postgres -E UTF8 --locale="$locale" \
        --auth=trust --no-sync >"$pg_dir/initdb.log" 2>&1; then
        cat "$pg_dir/initdb.log" >&2
        pg_log "initdb failed"
        exit 2
    fi
    as_pg mkdir -p "$pg_dir/socket"
    printf '%s\n' 'local all all trust' 'host all all 127.0.0.1/32 trust' | as_pg tee "$pg_dir/data/pg_hba.conf" >/dev/null
    # Throwaway data: durability off for speed. The socket stays inside the temp dir, so nothing is left in /tmp.
    printf '%s\n' "listen_addresses = '127.0.0.1'" "unix_socket_directories = '$pg_dir/socket'" \
        'fsync = off' 'synchronous_commit = off' 'full_page_writes = off' 'max_connections = 200' "$@" \
        | as_pg tee -a "$pg_dir/data/postgresql.conf" >/dev/null

    local attempt port=""
    for attempt in 1 2 3 4 5; do
        port="$(pick_port)"
        if as_pg "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/server.log" -w -t 60 \
            -o "-p $port" \
            start >/dev/null; then
            break
        fi
        pg_log "PostgreSQL did not start on port $port (attempt $attempt):"
        tail -n 5 "$pg_dir/server.log" >&2 || true
        port=""
    done
    if [[ -z "$port" ]]; then
        pg_log "giving up starting PostgreSQL"
        exit 2
    fi

    local ready="$pg_bin/pg_isready"
    [[ -x "$ready" ]] || ready="$(command -v pg_isready || true)"
    if [[ -n "$ready" ]]; then
        local i
        for i in $(seq 1 60); do
            "$ready" -q -h 127.0.0.1 -p "$port" -U postgres -d postgres && break
            [[ "$i" -eq 60 ]] && { pg_log "PostgreSQL on port $port is not accepting connections"; exit 2; }
            sleep 0.5
        done
    fi

    export AG_TEST_PG="Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres;Pooling=true"
    pg_log "started PostgreSQL $("$pg_bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port (user ${pg_user:-$(id -un)}, data in $pg_dir)"
}

# The server of AG_TEST_PG when it is set (nothing is started), else a private cluster with the given settings.
pg_ensure_server() {
    if [[ -n "${AG_TEST_PG:-}" ]]; then
        pg_log "using the PostgreSQL server given by AG_TEST_PG; starting nothing"
    else
        pg_start_cluster "$@"
    fi
}
