# Sourced by .ci/run: start a throw-away PostgreSQL server on 127.0.0.1 (Debian packages, installed when
# missing) and export CLINQA_TEST_POSTGRES_URL so the persistence tests run against it as well as SQLite.
# The server's data directory is a temp dir; it is stopped and removed when the calling shell exits.

clinqa_pg_start() {
    local port="${CLINQA_TEST_PG_PORT:-54329}" bin dir as_pg
    if ! ls -d /usr/lib/postgresql/*/bin >/dev/null 2>&1; then
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -o DPkg::Lock::Timeout=600 postgresql >/dev/null
    fi
    bin="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)"
    dir="$(mktemp -d /tmp/clinqa-pg.XXXXXX)"
    as_pg=()
    if [ "$(id -u)" = 0 ]; then  # initdb refuses to run as root
        chown postgres "$dir"
        as_pg=(runuser -u postgres --)
    fi
    "${as_pg[@]}" "$bin/initdb" -D "$dir/data" -A trust -U postgres >"$dir/initdb.log" 2>&1
    "${as_pg[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
        -o "-h 127.0.0.1 -p $port -k $dir -c fsync=off -c max_connections=200 -c autovacuum=off" start >/dev/null
    CLINQA_PG_DIR="$dir" CLINQA_PG_BIN="$bin"
    trap clinqa_pg_stop EXIT
    "$bin/psql" -q -h 127.0.0.1 -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1 \
        -c "CREATE ROLE clinqa LOGIN PASSWORD 'clinqa' CREATEDB" \
        -c "CREATE DATABASE clinqa_test OWNER clinqa"
    export CLINQA_TEST_POSTGRES_URL="postgresql+psycopg://clinqa:clinqa@127.0.0.1:$port/clinqa_test"
    echo "PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port: $CLINQA_TEST_POSTGRES_URL"
}

clinqa_pg_stop() {
    if [ -n "${CLINQA_PG_DIR:-}" ] && [ -d "$CLINQA_PG_DIR/data" ]; then
        if [ "$(id -u)" = 0 ]; then
            runuser -u postgres -- "$CLINQA_PG_BIN/pg_ctl" -D "$CLINQA_PG_DIR/data" -m fast -w stop >/dev/null || true
        else
            "$CLINQA_PG_BIN/pg_ctl" -D "$CLINQA_PG_DIR/data" -m fast -w stop >/dev/null || true
        fi
        rm -rf "$CLINQA_PG_DIR"
    fi
}
