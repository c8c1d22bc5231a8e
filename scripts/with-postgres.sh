#!/usr/bin/env bash
# Run a command with a throwaway PostgreSQL server on 127.0.0.1 and SPASMCARE_TEST_PG_URL set.
# The server runs as the `postgres` user (it refuses root), in a temporary directory that is removed
# afterwards, with fsync off because the data is thrown away.
set -euo pipefail
if [ -n "${SPASMCARE_TEST_PG_URL:-}" ]; then exec "$@"; fi
bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
if [ -z "$bindir" ]; then echo "PostgreSQL is not installed (run: make system-deps)" >&2; exit 1; fi
tmp=$(mktemp -d /tmp/spasmcare-pg.XXXXXX)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
as_pg() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
if [ "$(id -u)" -eq 0 ]; then chown postgres "$tmp"; fi
cleanup() {
  as_pg "$bindir/pg_ctl" -D "$tmp/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$tmp"
}
trap cleanup EXIT
as_pg "$bindir/initdb" -D "$tmp/data" -U spasmcare --auth=trust -E UTF8 >/dev/null
as_pg "$bindir/pg_ctl" -D "$tmp/data" -l "$tmp/log" -w \
  -o "-c listen_addresses=127.0.0.1 -p $port -k $tmp -c fsync=off -c full_page_writes=off -c synchronous_commit=off -c max_connections=200" \
  start >/dev/null
as_pg "$bindir/createdb" -h 127.0.0.1 -p "$port" -U spasmcare spasmcare_test
export SPASMCARE_TEST_PG_URL="postgresql+psycopg://spasmcare@127.0.0.1:$port/spasmcare_test"
set +e
"$@"
status=$?
set -e
exit $status
