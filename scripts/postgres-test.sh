#!/usr/bin/env bash
# A throw-away PostgreSQL server for the tests: `start DIR [PORT]` prints its URL; `stop DIR` removes it.
# DIR (e.g. /tmp/engage-pg-XXXX) must be reachable by the postgres user: its parents traversable.
#
# Installs Debian's postgresql when it is missing (as root), initdb's a cluster in DIR owned by the
# postgres user (the server refuses to run as root), starts it on 127.0.0.1:PORT (default: a free port)
# with trust auth on loopback only, and creates the database `engage_test`.
# Exit 0 and a URL on stdout: ready. Exit 77 and one line on stderr: impossible here (tests skip on it).
set -euo pipefail

action=${1:-}
dir=${2:-}
[ -n "$action" ] && [ -n "$dir" ] || { echo "usage: $0 start|stop DIR [PORT]" >&2; exit 2; }

pg_bin() {
  local found
  found=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1 || true)
  [ -n "$found" ] && [ -x "$found/initdb" ] && echo "$found"
}

as_owner() {  # run a server binary as the cluster owner
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

if [ "$action" = stop ]; then
  bin=$(pg_bin) || exit 0
  [ -f "$dir/data/postmaster.pid" ] && as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
  rm -rf "$dir"
  exit 0
fi

bin=$(pg_bin || true)
if [ -z "$bin" ]; then
  if [ "$(id -u)" != 0 ]; then echo "postgresql is not installed and we are not root to install it" >&2; exit 77; fi
  export DEBIAN_FRONTEND=noninteractive
  { apt-get update -qq && apt-get install -y -qq --no-install-recommends postgresql >/dev/null; } 2>&1 >&2 \
    || { echo "apt-get install postgresql failed" >&2; exit 77; }
  bin=$(pg_bin) || { echo "postgresql installed but no initdb found" >&2; exit 77; }
fi
if [ "$(id -u)" = 0 ] && ! id postgres >/dev/null 2>&1; then echo "no postgres user" >&2; exit 77; fi

port=${3:-$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}
mkdir -p "$dir"
[ "$(id -u)" = 0 ] && chown postgres: "$dir"
chmod 700 "$dir"
as_owner "$bin/initdb" -D "$dir/data" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
  || as_owner "$bin/initdb" -D "$dir/data" -U postgres --auth=trust --encoding=UTF8 --no-locale >"$dir/initdb.log" 2>&1 \
  || { echo "initdb failed: $(tail -n1 "$dir/initdb.log")" >&2; exit 77; }
as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 \
  -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c full_page_writes=off" start >/dev/null \
  || { echo "postgres did not start: $(tail -n1 "$dir/server.log" 2>/dev/null)" >&2; exit 77; }
as_owner "$bin/createdb" -h 127.0.0.1 -p "$port" -U postgres engage_test
echo "postgresql://postgres@127.0.0.1:$port/engage_test"
