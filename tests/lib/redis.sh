# shellcheck shell=bash
# A private, throwaway Redis for the scripts in tests/ (sourced after tests/lib/postgres.sh, whose pick_port and pg_log
# it uses, not run).
#
#   redis_ensure_server   # AG_TEST_REDIS if set, else starts redis-server and exports AG_TEST_REDIS (host:port)
#   redis_stop            # stops it and removes its directory (call it from the EXIT trap)
#
# The server listens on 127.0.0.1 on a free port, keeps nothing on disk (no RDB, no AOF) and lives in a temp directory.
# Without redis-server (Debian's redis-server package) nothing starts and the tests that need Redis say so.

redis_dir=""

# shellcheck disable=SC2317  # invoked by the EXIT trap
redis_stop() {
    if [[ -n "$redis_dir" && -d "$redis_dir" ]]; then
        local pid i
        if [[ -f "$redis_dir/redis.pid" ]]; then
            pid="$(cat "$redis_dir/redis.pid")"
            kill "$pid" 2>/dev/null || true
            for i in $(seq 1 50); do
                kill -0 "$pid" 2>/dev/null || break
                sleep 0.1
            done
        fi
        rm -rf "$redis_dir" || true
    fi
}

redis_ensure_server() {
    if [[ -n "${AG_TEST_REDIS:-}" ]]; then
        return 0
    fi
    if ! command -v redis-server >/dev/null 2>&1 || ! command -v redis-cli >/dev/null 2>&1; then
        pg_log "redis-server is not installed (apt-get install redis-server; .ci/run does): the Redis tests will fail"
        return 0
    fi

    redis_dir="$(mktemp -d "${TMPDIR:-/tmp}/ag-redistest.XXXXXX")"
    local attempt port i
    for attempt in 1 2 3 4 5; do
        port="$(pick_port)"
        redis-server --bind 127.0.0.1 --port "$port" --protected-mode yes --save '' --appendonly no \
            --daemonize yes --dir "$redis_dir" --pidfile "$redis_dir/redis.pid" --logfile "$redis_dir/redis.log" >/dev/null
        for i in $(seq 1 50); do
            if [[ "$(redis-cli -h 127.0.0.1 -p "$port" ping 2>/dev/null)" == "PONG" ]]; then
                export AG_TEST_REDIS="127.0.0.1:$port"
                pg_log "started Redis $(redis-server --version | grep -o 'v=[0-9.]*' | cut -c3-) on $AG_TEST_REDIS"
                return 0
            fi
            sleep 0.1
        done
        [[ -f "$redis_dir/redis.pid" ]] && kill "$(cat "$redis_dir/redis.pid")" 2>/dev/null
        pg_log "Redis did not start on port $port (attempt $attempt): $(tail -n 3 "$redis_dir/redis.log" 2>/dev/null)"
    done
    return 1
}
