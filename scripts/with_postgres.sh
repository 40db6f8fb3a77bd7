#!/usr/bin/env bash
# Runs a command against a throwaway PostgreSQL cluster made with the machine's binaries.
# The cluster listens on 127.0.0.1 on a free port, runs as the `postgres` user (PostgreSQL
# refuses root) and is always stopped and removed afterwards, even when the command fails.
set -euo pipefail
PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
PGUSER_OS=${PGUSER_OS:-postgres}
if [ ! -x "$PGBIN/initdb" ]; then
  echo "PostgreSQL introuvable dans $PGBIN (paquet postgresql-15)" >&2
  exit 2
fi
as_pg() {
  if [ "$(id -u)" = "0" ]; then runuser -u "$PGUSER_OS" -- "$@"; else "$@"; fi
}
DATA=$(mktemp -d /tmp/qlio-pg.XXXXXX)
cleanup() {
  as_pg "$PGBIN/pg_ctl" -D "$DATA/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$DATA"
}
trap cleanup EXIT INT TERM
[ "$(id -u)" = "0" ] && chown "$PGUSER_OS" "$DATA"
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
as_pg "$PGBIN/initdb" -D "$DATA/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >"$DATA/initdb.log" 2>&1 \
  || { cat "$DATA/initdb.log" >&2; exit 2; }
as_pg "$PGBIN/pg_ctl" -D "$DATA/data" -l "$DATA/server.log" -w -t 60 \
  -o "-h 127.0.0.1 -p $PORT -k $DATA -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
  start >/dev/null || { cat "$DATA/server.log" >&2; exit 2; }
as_pg "$PGBIN/createdb" -h 127.0.0.1 -p "$PORT" -U postgres qlio
export DATABASE_URL="postgres://postgres@127.0.0.1:$PORT/qlio"
export QLIO_PG_BIN="$PGBIN"
echo "PostgreSQL temporaire sur 127.0.0.1:$PORT" >&2
set +e
"$@"
status=$?
set -e
exit $status
