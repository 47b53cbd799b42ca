#!/usr/bin/env bash
# A throw-away Redis server for the tests: `start DIR [PORT]` prints its URL; `stop DIR` removes it.
#
# Installs Debian's redis-server when it is missing (as root), starts it on 127.0.0.1:PORT (default: a
# free port) with no persistence, protected mode on and loopback only, its files in DIR.
# Exit 0 and a URL on stdout: ready. Exit 77 and one line on stderr: impossible here (tests skip on it).
set -euo pipefail

action=${1:-}
dir=${2:-}
[ -n "$action" ] && [ -n "$dir" ] || { echo "usage: $0 start|stop DIR [PORT]" >&2; exit 2; }

if [ "$action" = stop ]; then
  if [ -f "$dir/redis.pid" ]; then
    pid=$(cat "$dir/redis.pid")
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  fi
  rm -rf "$dir"
  exit 0
fi

server=$(command -v redis-server || true)
if [ -z "$server" ]; then
  if [ "$(id -u)" != 0 ]; then echo "redis-server is not installed and we are not root to install it" >&2; exit 77; fi
  export DEBIAN_FRONTEND=noninteractive
  { apt-get update -qq && apt-get install -y -qq --no-install-recommends redis-server >/dev/null; } 2>&1 >&2 \
    || { echo "apt-get install redis-server failed" >&2; exit 77; }
  server=$(command -v redis-server || true)
  [ -n "$server" ] || { echo "redis-server installed but not found" >&2; exit 77; }
  # the package starts a system-wide server; the tests use their own on a free port
  { systemctl stop redis-server || service redis-server stop; } >/dev/null 2>&1 || true
fi

port=${3:-$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}
mkdir -p "$dir"
"$server" --bind 127.0.0.1 --port "$port" --protected-mode yes --save '' --appendonly no \
  --dir "$dir" --pidfile "$dir/redis.pid" --logfile "$dir/redis.log" --daemonize yes >/dev/null \
  || { echo "redis-server did not start: $(tail -n1 "$dir/redis.log" 2>/dev/null)" >&2; exit 77; }
for _ in $(seq 100); do
  if python3 - "$port" <<'PY' 2>/dev/null
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=1)
s.sendall(b"PING\r\n")
sys.exit(0 if s.recv(16).startswith(b"+PONG") else 1)
PY
  then
    echo "redis://127.0.0.1:$port/0"
    exit 0
  fi
  sleep 0.1
done
echo "redis-server did not answer on 127.0.0.1:$port: $(tail -n1 "$dir/redis.log" 2>/dev/null)" >&2
exit 77
