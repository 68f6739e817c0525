#!/usr/bin/env bash
# Starts (or stops) a throwaway PostgreSQL cluster for the test suite, on loopback only.
# Usage: scripts/test-postgres.sh start|stop   Prints the DATABASE_URL on start.
set -euo pipefail

port=${CONCORD_TEST_PG_PORT:-54329}
dir=${CONCORD_TEST_PG_DIR:-/tmp/concord-test-pg-$port}
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
if [ -z "$bin" ]; then
  echo "PostgreSQL is not installed (scripts/system-deps.sh test installs it)." >&2
  exit 1
fi

# PostgreSQL refuses to run as root: run it as the postgres system user then.
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

case "${1:-start}" in
  start)
    if [ ! -s "$dir/PG_VERSION" ]; then
      rm -rf "$dir"
      mkdir -p "$dir"
      [ "$(id -u)" -eq 0 ] && chown postgres "$dir"
      # Trust is safe here: the cluster listens on 127.0.0.1 only and holds test data only.
      as_owner "$bin/initdb" -D "$dir" -U concord --auth=trust -E UTF8 >/dev/null
    fi
    if ! as_owner "$bin/pg_ctl" -D "$dir" status >/dev/null 2>&1; then
      as_owner "$bin/pg_ctl" -D "$dir" -l "$dir/server.log" -w -o \
        "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
        start >/dev/null
    fi
    "$bin/psql" -h 127.0.0.1 -p "$port" -U concord -d postgres -tAq \
      -c "SELECT 1 FROM pg_database WHERE datname = 'concord'" | grep -q 1 ||
      "$bin/createdb" -h 127.0.0.1 -p "$port" -U concord concord
    echo "postgres://concord@127.0.0.1:$port/concord"
    ;;
  stop)
    if [ -d "$dir" ]; then
      as_owner "$bin/pg_ctl" -D "$dir" -m fast stop >/dev/null 2>&1 || true
    fi
    ;;
  *)
    echo "usage: $0 start|stop" >&2
    exit 2
    ;;
esac
