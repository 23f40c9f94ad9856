# Sourced by scripts/test-services.sh and scripts/test-mariadb.sh: what their private servers share.
#   free_port      a free TCP port on 127.0.0.1 (the OS's choice)
#   redis_start    a throw-away Redis on a free loopback port, working in "$work": sets redis_port and redis_pid
#                  (the caller's cleanup kills redis_pid)

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

redis_start() {
    redis_pid=""
    for attempt in 1 2 3 4 5; do  # a port picked as free may be taken by a concurrent run before we bind it
        redis_port=$(free_port)
        redis-server --bind 127.0.0.1 --port "$redis_port" --save "" --appendonly no --dir "$work" \
            --logfile "$work/redis.log" --daemonize no &
        redis_pid=$!
        for _ in $(seq 50); do
            if redis-cli -h 127.0.0.1 -p "$redis_port" ping 2>/dev/null | grep -q PONG; then return 0; fi
            kill -0 "$redis_pid" 2>/dev/null || break
            sleep 0.1
        done
        kill "$redis_pid" 2>/dev/null || true
        wait "$redis_pid" 2>/dev/null || true
        redis_pid=""
    done
    echo "services: Redis did not start" >&2
    cat "$work/redis.log" >&2
    return 1
}
