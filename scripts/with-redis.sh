#!/usr/bin/env bash
# Runs a command against a throwaway Redis server on 127.0.0.1, then stops it.
#   scripts/with-redis.sh scripts/with-postgres.sh make test-suite
# Installs Debian's redis-server package when missing. Nothing is written to disk (no RDB
# snapshot, no append-only file, log to stdout of a temp dir that is removed); REDIS_URL
# points the command at it.
set -euo pipefail

if ! command -v redis-server >/dev/null 2>&1; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null
fi

dir=$(mktemp -d /tmp/clinic-redis.XXXXXX)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

redis-server --bind 127.0.0.1 --port "$port" --dir "$dir" --save "" --appendonly no \
  --daemonize no --logfile "" --loglevel warning >"$dir/server.log" 2>&1 &
pid=$!

stop() {
  kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true
  rm -rf "$dir"
}
trap stop EXIT

for _ in $(seq 50); do
  redis-cli -h 127.0.0.1 -p "$port" ping >/dev/null 2>&1 && break
  kill -0 "$pid" 2>/dev/null || { cat "$dir/server.log"; exit 1; }
  sleep 0.1
done
redis-cli -h 127.0.0.1 -p "$port" ping >/dev/null

echo "Redis $(redis-server --version | sed 's/.*v=\([^ ]*\).*/\1/') on 127.0.0.1:$port"
export REDIS_URL="redis://127.0.0.1:$port/0"
"$@"
