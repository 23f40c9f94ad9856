#!/usr/bin/env bash
# Start a private MariaDB (Debian's packages) and Redis on loopback (free ports, temp dirs), run a command with
# DATABASE_URL=mysql://… and REDIS_URL pointing at them (default: the test suite), then stop both, even on failure.
# Installs mariadb-server and redis-server from apt, and the driver (requirements/mysql.txt, built from source:
# gcc, pkg-config, libmariadb-dev) into .venv, when missing.
#   scripts/test-mariadb.sh                      # the pytest suite on MariaDB + Redis
#   scripts/test-mariadb.sh .venv/bin/python manage.py dbshell   # anything else
set -euo pipefail
cd "$(dirname "$0")/.."

# free_port, redis_start
source scripts/lib/services.sh

if ! command -v mariadbd >/dev/null || ! command -v redis-server >/dev/null; then
    scripts/apt-install.sh mariadb-server redis-server
fi

# The driver, installed (again) whenever requirements/mysql.txt changes; under venv.sh's lock of the shared .venv.
scripts/venv.sh
stamp=.venv/.requirements-mysql.sha256
wanted=$(sha256sum <requirements/mysql.txt | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$wanted" ]; then
    scripts/apt-install.sh gcc pkg-config libmariadb-dev
    (
        flock 9
        echo "mariadb: installing requirements/mysql.txt"
        .venv/bin/python -m pip install --quiet --disable-pip-version-check -r requirements/mysql.txt
        echo "$wanted" >"$stamp"
    ) 9>.venv/.lock
fi

# /tmp rather than $TMPDIR: the mysql OS user must be able to reach the data folder.
work=$(mktemp -d /tmp/meiduo-mariadb.XXXXXX)
chmod 755 "$work"
redis_pid=""
db_pid=""
as_db=()
if [ "$(id -u)" -eq 0 ]; then
    chown mysql: "$work"
    as_db=(--user=mysql)  # mariadbd refuses to run as root; it drops to this user itself
fi
admin() { mariadb-admin --no-defaults --socket="$work/mysqld.sock" --user=root "$@"; }

cleanup() {
    local status=$?
    trap - EXIT INT TERM
    if [ -n "$db_pid" ]; then
        admin shutdown >/dev/null 2>&1 || kill -9 "$db_pid" 2>/dev/null || true
        wait "$db_pid" 2>/dev/null || true
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

# Temporary files in "$work" too: the caller's TMPDIR (make test's is private to root) may be closed to mysql.
TMPDIR="$work" mariadb-install-db --no-defaults "${as_db[@]}" --datadir="$work/data" \
    --auth-root-authentication-method=normal --skip-test-db >"$work/install-db.log" 2>&1 \
    || { cat "$work/install-db.log" >&2; exit 1; }
# Only what the shop needs of a server (docs/operations.md, "MySQL / MariaDB"): utf8mb4. The FULLTEXT options
# (innodb_ft_min_token_size, stopwords) keep their defaults on purpose: the search index is built to work with them.
# The rest makes a throw-away server quick (no binary log, no flush per commit).
for attempt in 1 2 3 4 5; do  # a port picked as free may be taken by a concurrent run before we bind it
    db_port=$(free_port)
    mariadbd --no-defaults "${as_db[@]}" --datadir="$work/data" --tmpdir="$work" --socket="$work/mysqld.sock" \
        --pid-file="$work/mysqld.pid" --log-error="$work/mariadb.log" --bind-address=127.0.0.1 --port="$db_port" \
        --skip-name-resolve --character-set-server=utf8mb4 --collation-server=utf8mb4_unicode_ci \
        --skip-log-bin --innodb-flush-log-at-trx-commit=0 --innodb-doublewrite=0 --innodb-buffer-pool-size=256M \
        --max-connections=200 >>"$work/mariadb.log" 2>&1 &
    db_pid=$!
    for _ in $(seq 300); do
        if admin --connect-timeout=1 ping >/dev/null 2>&1; then break 2; fi
        kill -0 "$db_pid" 2>/dev/null || break
        sleep 0.1
    done
    admin shutdown >/dev/null 2>&1 || kill -9 "$db_pid" 2>/dev/null || true
    wait "$db_pid" 2>/dev/null || true
    db_pid=""
done
[ -n "$db_pid" ] || { echo "mariadb: MariaDB did not start" >&2; cat "$work/mariadb.log" >&2; exit 1; }

# The shop's time zone names (CONVERT_TZ of Django's date lookups), a database, and a user that may also create
# the test databases (test_meiduo_<pid>).
mariadb-tzinfo-to-sql /usr/share/zoneinfo 2>/dev/null | mariadb --no-defaults --socket="$work/mysqld.sock" --user=root mysql
password=$(python3 -c 'import secrets; print(secrets.token_hex(12))')
mariadb --no-defaults --socket="$work/mysqld.sock" --user=root <<SQL
CREATE DATABASE meiduo;
CREATE USER 'meiduo'@'127.0.0.1' IDENTIFIED BY '$password';
GRANT ALL PRIVILEGES ON \`meiduo\`.* TO 'meiduo'@'127.0.0.1';
GRANT ALL PRIVILEGES ON \`test\_meiduo\_%\`.* TO 'meiduo'@'127.0.0.1';
SQL

redis_start

export DATABASE_URL="mysql://meiduo:$password@127.0.0.1:$db_port/meiduo"
export REDIS_URL="redis://127.0.0.1:$redis_port/0"
echo "mariadb: MariaDB $(mariadbd --version | awk '{print $3}') at 127.0.0.1:$db_port, Redis at 127.0.0.1:$redis_port"
if [ "$#" -eq 0 ]; then
    set -- scripts/pytest.sh -m "not browser"
fi
"$@"
