#!/usr/bin/env bash
# Start a private PostgreSQL 15 and Redis on loopback (free ports, temp dirs), run a command with
# DATABASE_URL and REDIS_URL pointing at them (default: the test suite), then stop both, even on failure.
#   scripts/test-services.sh                      # the pytest suite on PostgreSQL + Redis
#   scripts/test-services.sh .venv/bin/python manage.py dbshell   # anything else
# REPLICA=1 also starts a streaming standby of that PostgreSQL (pg_basebackup -R, hot standby, read-only) on
# another free port and exports DATABASE_REPLICA_URLS (the standby) and MEIDUO_TEST_STANDBY_CTL (a command that
# can `stop` and `start` the standby again, for the tests that take it down):
#   REPLICA=1 scripts/test-services.sh scripts/pytest.sh -m replica    # the replica tests (make test runs them)
set -euo pipefail
cd "$(dirname "$0")/.."

pg_bindir() {
    local dir
    for dir in /usr/lib/postgresql/15/bin /usr/lib/postgresql/*/bin; do
        [ -x "$dir/initdb" ] && { echo "$dir"; return 0; }
    done
    return 1
}

if ! pg_bindir >/dev/null || ! command -v redis-server >/dev/null; then
    scripts/apt-install.sh postgresql redis-server
fi
PG_BIN=$(pg_bindir)

# free_port, redis_start
source scripts/lib/services.sh

# /tmp rather than $TMPDIR: the postgres OS user must be able to reach the data folder.
work=$(mktemp -d /tmp/meiduo-services.XXXXXX)
chmod 755 "$work"
redis_pid=""
pg_started=""
standby_started=""
if [ "$(id -u)" -eq 0 ]; then
    chown postgres: "$work"
    as_pg() { runuser -u postgres -- "$@"; }  # PostgreSQL refuses to run as root
else
    as_pg() { "$@"; }
fi

cleanup() {
    local status=$?
    trap - EXIT INT TERM
    if [ -n "$standby_started" ]; then
        as_pg "$PG_BIN/pg_ctl" -D "$work/standby" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    if [ -n "$pg_started" ]; then
        as_pg "$PG_BIN/pg_ctl" -D "$work/pg" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    if [ -n "$redis_pid" ]; then
        kill "$redis_pid" 2>/dev/null || true
        wait "$redis_pid" 2>/dev/null || true
    fi
    rm -rf "$work"
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

as_pg "$PG_BIN/initdb" -D "$work/pg" -U postgres -A trust -E UTF8 --locale=C.UTF-8 --no-sync >"$work/initdb.log" 2>&1 \
    || { cat "$work/initdb.log" >&2; exit 1; }
for attempt in 1 2 3 4 5; do  # a port picked as free may be taken by a concurrent run before we bind it
    pg_port=$(free_port)
    if as_pg "$PG_BIN/pg_ctl" -D "$work/pg" -l "$work/pg.log" -w -t 60 start -o \
        "-c listen_addresses=127.0.0.1 -p $pg_port -k $work -c fsync=off -c synchronous_commit=off \
         -c full_page_writes=off -c max_connections=200" >/dev/null; then
        pg_started=1
        break
    fi
done
[ -n "$pg_started" ] || { echo "services: PostgreSQL did not start" >&2; cat "$work/pg.log" >&2; exit 1; }
"$PG_BIN/createdb" -h 127.0.0.1 -p "$pg_port" -U postgres meiduo

if [ "${REPLICA:-}" = 1 ]; then
    # A physical copy of the primary that replays its WAL as it streams in (initdb's pg_hba trusts replication
    # connections on loopback; wal_level=replica and max_wal_senders are PostgreSQL 15's defaults).
    as_pg "$PG_BIN/pg_basebackup" -h 127.0.0.1 -p "$pg_port" -U postgres -D "$work/standby" -R -X stream \
        -c fast --no-sync >"$work/basebackup.log" 2>&1 || { cat "$work/basebackup.log" >&2; exit 1; }
    for attempt in 1 2 3 4 5; do
        standby_port=$(free_port)
        # stop|start the standby (on this port): used here and by the tests that take it down. A hot standby
        # needs max_connections at least the primary's.
        standby_options="-c listen_addresses=127.0.0.1 -p $standby_port -k $work -c fsync=off -c max_connections=200"
        {
            echo '#!/usr/bin/env bash'
            echo "# stop|start the test standby of 127.0.0.1:$pg_port on 127.0.0.1:$standby_port"
            echo 'set -eu'
            printf 'pg_ctl=(%s %q -D %q)\n' "$([ "$(id -u)" -eq 0 ] && echo 'runuser -u postgres --')" \
                "$PG_BIN/pg_ctl" "$work/standby"
            echo 'case "${1:-}" in'
            echo '    stop) exec "${pg_ctl[@]}" -m fast -w stop >/dev/null ;;'
            printf '    start) exec "${pg_ctl[@]}" -l %q -w -t 60 start -o %q >/dev/null ;;\n' \
                "$work/standby.log" "$standby_options"
            echo '    *) echo "usage: $0 stop|start" >&2; exit 2 ;;'
            echo 'esac'
        } >"$work/standby-ctl"
        chmod 755 "$work/standby-ctl"
        if "$work/standby-ctl" start; then
            standby_started=1
            break
        fi
    done
    [ -n "$standby_started" ] || { echo "services: the standby did not start" >&2; cat "$work/standby.log" >&2; exit 1; }
    in_recovery=""
    for _ in $(seq 100); do  # a hot standby opens once consistent; the meiduo database came with the backup
        in_recovery=$("$PG_BIN/psql" -h 127.0.0.1 -p "$standby_port" -U postgres -d meiduo -XtAc \
            "SELECT pg_is_in_recovery()" 2>/dev/null || true)
        [ "$in_recovery" = t ] && break
        sleep 0.1
    done
    [ "$in_recovery" = t ] || { echo "services: no standby in recovery" >&2; cat "$work/standby.log" >&2; exit 1; }
    export DATABASE_REPLICA_URLS="postgres://postgres@127.0.0.1:$standby_port/meiduo"
    export MEIDUO_TEST_STANDBY_CTL="$work/standby-ctl"
else
    unset DATABASE_REPLICA_URLS MEIDUO_TEST_STANDBY_CTL  # replicas of another server would not mirror this one
fi

redis_start

export DATABASE_URL="postgres://postgres@127.0.0.1:$pg_port/meiduo"
export REDIS_URL="redis://127.0.0.1:$redis_port/0"
echo "services: PostgreSQL $("$PG_BIN/postgres" -V | awk '{print $3}') at 127.0.0.1:$pg_port${standby_port:+ (standby at 127.0.0.1:$standby_port)}, Redis at 127.0.0.1:$redis_port"
if [ "$#" -eq 0 ]; then
    set -- scripts/pytest.sh -m "not browser"
fi
"$@"
