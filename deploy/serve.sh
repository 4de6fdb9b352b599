#!/usr/bin/env bash
# Serve the dashboard to a class: N `streamlit run dashboard.py` replicas on free loopback
# ports behind HAProxy (cookie affinity, websocket timeouts, health checks), the live class in a
# loopback redis-server shared by the replicas (or in --redis URL), a replica or Redis that dies
# started again, all stopped together on Ctrl-C or SIGTERM. See docs/DEPLOY.md.
set -euo pipefail

usage() {
  cat <<'USAGE'
Usage: deploy/serve.sh --replicas N --port P [--address A] [--redis URL]

Serve the rnnviz dashboard from N Streamlit processes behind HAProxy on port P.

  --replicas N   Streamlit processes to start (default: the number of CPU cores).
                 One process uses about one core, whatever the number of students.
  --port P       the port students open (required).
  --address A    the address HAProxy listens on (default 127.0.0.1: this machine only).
                 --address 0.0.0.0 opens it to everyone on the network, without any
                 password: read docs/DEPLOY.md first.
  --redis URL    keep the live class in this Redis (redis://host:port/db), shared with
                 serve.sh on other machines; without it a redis-server is started on a
                 free loopback port, its data in a temporary directory removed on exit.
  -h, --help     this help.

HAProxy and Redis come from the system's package manager:
  sudo apt-get install haproxy redis-server   (Debian, Ubuntu)
  brew install haproxy redis                  (macOS)

The replicas listen on 127.0.0.1 only; every browser is kept on one replica by HAProxy's
SERVERID cookie. The live class lives in Redis, so phones on every replica share it; a replica
(or the redis-server) that dies is started again. Ctrl-C (or SIGTERM) stops everything.
Environment: PYTHON (default python3) is the interpreter that has the requirements;
HAPROXY is the haproxy program if it is not on PATH, /usr/sbin or /usr/local/sbin;
REDIS_SERVER is the redis-server program if it is not on PATH, /usr/bin or /usr/local/bin.
USAGE
}

fail() {
  echo "serve.sh: $*" >&2
  exit 1
}

cpu_count() {
  getconf _NPROCESSORS_ONLN 2>/dev/null || sysctl -n hw.ncpu 2>/dev/null || echo 1
}

replicas=""
port=""
address="127.0.0.1"
redis_url=""
while [ $# -gt 0 ]; do
  case "$1" in
    -h | --help)
      usage
      exit 0
      ;;
    --replicas | --port | --address | --redis)
      [ $# -ge 2 ] || fail "$1 needs a value (see --help)"
      case "$1" in
        --replicas) replicas="$2" ;;
        --port) port="$2" ;;
        --address) address="$2" ;;
        --redis) redis_url="$2" ;;
      esac
      shift 2
      ;;
    --replicas=*) replicas="${1#*=}" && shift ;;
    --port=*) port="${1#*=}" && shift ;;
    --address=*) address="${1#*=}" && shift ;;
    --redis=*) redis_url="${1#*=}" && shift ;;
    *) fail "unknown argument '$1' (see --help)" ;;
  esac
done

[ -n "$replicas" ] || replicas="$(cpu_count)"
case "$replicas" in
  '' | *[!0-9]*) fail "--replicas must be a whole number, got '$replicas'" ;;
esac
[ "$replicas" -ge 1 ] && [ "$replicas" -le 64 ] || fail "--replicas must be 1-64, got $replicas"
[ -n "$port" ] || fail "--port is required (see --help)"
case "$port" in
  '' | *[!0-9]*) fail "--port must be a number, got '$port'" ;;
esac
[ "$port" -ge 1 ] && [ "$port" -le 65535 ] || fail "--port must be 1-65535, got $port"
[ -n "$address" ] || fail "--address must not be empty"
case "$redis_url" in
  '' | redis://* | rediss://*) ;;
  *) fail "--redis must be a redis:// or rediss:// URL, got '$redis_url'" ;;
esac

# Debian puts haproxy in /usr/sbin, which is not on an ordinary user's PATH.
haproxy_bin="${HAPROXY:-}"
if [ -z "$haproxy_bin" ]; then
  for candidate in "$(command -v haproxy || true)" /usr/sbin/haproxy /usr/local/sbin/haproxy; do
    if [ -n "$candidate" ] && [ -x "$candidate" ]; then
      haproxy_bin="$candidate"
      break
    fi
  done
fi
[ -n "$haproxy_bin" ] && [ -x "$haproxy_bin" ] || fail "HAProxy is not installed${HAPROXY:+ at $HAPROXY}. \
Install it from your system's package manager:
  sudo apt-get install haproxy   (Debian, Ubuntu)
  brew install haproxy           (macOS)"
redis_bin=""
if [ -z "$redis_url" ]; then
  redis_bin="${REDIS_SERVER:-}"
  if [ -z "$redis_bin" ]; then
    for candidate in "$(command -v redis-server || true)" /usr/bin/redis-server \
      /usr/local/bin/redis-server; do
      if [ -n "$candidate" ] && [ -x "$candidate" ]; then
        redis_bin="$candidate"
        break
      fi
    done
  fi
  [ -n "$redis_bin" ] && [ -x "$redis_bin" ] || fail "redis-server is not installed${REDIS_SERVER:+ at \
$REDIS_SERVER}. Install it from your system's package manager (or pass --redis URL):
  sudo apt-get install redis-server   (Debian, Ubuntu)
  brew install redis                  (macOS)"
fi
python="${PYTHON:-python3}"
command -v "$python" >/dev/null || fail "no Python interpreter '$python' (set PYTHON)"

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
workdir="$(mktemp -d "${TMPDIR:-/tmp}/rnnviz-serve.XXXXXX")"
pids=()           # every process group this script runs now (restarts replace their entry)
replica_pids=()   # index -> the pid of that replica's current process group
replica_since=()  # index -> when it was started ($SECONDS)
quick_exits=()    # index -> how many times in a row it died within 30 s of starting
redis_pid=""
stopped=0

# Stop every process group we started: SIGTERM, up to 15 s to exit (a busy Streamlit can take
# that long), then SIGKILL; reap them and remove the temporary directory. Runs once, whichever
# of INT, TERM or EXIT comes first; a second Ctrl-C or SIGTERM meanwhile skips the wait
# instead of interrupting the cleanup.
stop_all() {
  [ "$stopped" = 0 ] || return 0
  stopped=1
  local pid waited hurry=0
  trap 'hurry=1' INT TERM
  for pid in "${pids[@]+"${pids[@]}"}"; do
    kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
  done
  for ((waited = 0; waited < 150 && hurry == 0; waited++)); do
    local alive=0
    for pid in "${pids[@]+"${pids[@]}"}"; do
      if kill -0 -- "-$pid" 2>/dev/null; then alive=1; fi
    done
    [ "$alive" = 1 ] || break
    sleep 0.1
  done
  for pid in "${pids[@]+"${pids[@]}"}"; do
    kill -KILL -- "-$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  rm -rf "$workdir"
}
trap 'echo "serve.sh: stopping" >&2; stop_all; exit 130' INT
trap 'stop_all; exit 143' TERM
trap 'stop_all' EXIT

# Run a command in its own process group (so that stopping it reaches anything it forks), in
# the background, with stdin from /dev/null and its output appended to a log file; its pid in
# $started. Python's setpgid works the same on Linux and macOS (which has no setsid command).
start_group() {
  local log="$1"
  shift
  "$python" -c 'import os, sys; os.setpgid(0, 0); os.execvp(sys.argv[1], sys.argv[1:])' \
    "$@" </dev/null >>"$log" 2>&1 &
  started="$!"
  pids+=("$started")
}

# Forget a process group that has exited (its pid may be reused by someone else's process).
forget() {
  local kept=() pid
  for pid in "${pids[@]}"; do
    [ "$pid" = "$1" ] || kept+=("$pid")
  done
  pids=("${kept[@]+"${kept[@]}"}")
  wait "$1" 2>/dev/null || true
}

# Whether a URL answers 200 (urllib rather than curl, which not every system has).
healthy() {
  "$python" - "$1" <<'PY' 2>/dev/null
import sys
import urllib.request

with urllib.request.urlopen(sys.argv[1], timeout=2) as response:
    sys.exit(0 if response.status == 200 else 1)
PY
}

# No warm-up request here: each replica runs its pages once while it starts (dashboard.py's
# st.App lifespan, rnnviz/app/warm.py) and answers /_stcore/health only after that, so a
# healthy replica is a warm one (the models, jieba, the learning signal, traces and charts).

show_log() {
  echo "--- last lines of $1 ---" >&2
  tail -n 20 "$1" >&2 || true
}

# Distinct free loopback ports, all bound at once so that they differ.
read -r -a ports <<<"$("$python" - "$((replicas + 1))" <<'PY'
import socket
import sys

probes = [socket.socket() for _ in range(int(sys.argv[1]))]
for probe in probes:
    probe.bind(("127.0.0.1", 0))
print(" ".join(str(probe.getsockname()[1]) for probe in probes))
for probe in probes:
    probe.close()
PY
)"

# One cookie secret shared by the replicas, so that a cookie Streamlit signed on one replica
# (its XSRF token) is still valid on another after a failover. Passed through the
# environment, not the command line that `ps` shows to every user.
STREAMLIT_SERVER_COOKIE_SECRET="$("$python" -c 'import secrets; print(secrets.token_hex(32))')"
export STREAMLIT_SERVER_COOKIE_SECRET

# The live class's Redis: loopback only, its append-only file in the temporary directory (a
# redis-server that dies is started again from it with every class; nothing is written to the
# project), removed on exit. With --redis, the given one (shared by several machines).
redis_port="${ports[$replicas]}"
start_redis() {
  start_group "$workdir/redis.log" "$redis_bin" --port "$redis_port" --bind 127.0.0.1 \
    --protected-mode yes --dir "$workdir" --save "" --appendonly yes --appendfsync everysec \
    --daemonize no --loglevel warning
  redis_pid="$started"
}
redis_answers() {
  "$python" - "$redis_port" <<'PY' 2>/dev/null
import socket
import sys

with socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=1) as probe:
    probe.sendall(b"PING\r\n")
    sys.exit(0 if probe.recv(16).startswith(b"+PONG") else 1)
PY
}
if [ -z "$redis_url" ]; then
  start_redis
  until redis_answers; do
    kill -0 "$redis_pid" 2>/dev/null || { show_log "$workdir/redis.log"; fail "redis-server exited"; }
    sleep 0.1
  done
  redis_url="redis://127.0.0.1:$redis_port/0"
  echo "serve.sh: the live class is kept in redis-server on 127.0.0.1:$redis_port" >&2
fi
# The URL names a password if the Redis has one: passed through the environment, not argv.
RNNVIZ_REDIS_URL="$redis_url"
export RNNVIZ_REDIS_URL

cd "$root"
start_replica() {
  start_group "$workdir/replica-$(($1 + 1)).log" \
    "$python" -m streamlit run dashboard.py \
    --server.headless true \
    --server.address 127.0.0.1 \
    --server.port "${ports[$1]}" \
    --browser.gatherUsageStats false
  replica_pids[$1]="$started"
  replica_since[$1]="$SECONDS"
}
echo "serve.sh: starting $replicas Streamlit replica(s) on 127.0.0.1 ports ${ports[*]:0:$replicas}" >&2
for ((index = 0; index < replicas; index++)); do
  start_replica "$index"
done

# Wait until every replica answers its health check (a replica that exits stops everything).
deadline=$((SECONDS + 300))
for ((index = 0; index < replicas; index++)); do
  until healthy "http://127.0.0.1:${ports[$index]}/_stcore/health"; do
    if ! kill -0 "${replica_pids[$index]}" 2>/dev/null; then
      show_log "$workdir/replica-$((index + 1)).log"
      fail "replica $((index + 1)) (port ${ports[$index]}) exited while starting"
    fi
    [ "$SECONDS" -lt "$deadline" ] || fail "replica $((index + 1)) not healthy after 300 s"
    sleep 0.3
  done
done

# HAProxy's configuration: the template with this run's address and replicas filled in.
servers=""
for ((index = 0; index < replicas; index++)); do
  servers+="    server r$((index + 1)) 127.0.0.1:${ports[$index]} cookie r$((index + 1))"$'\n'
done
template="$(cat "$root/deploy/haproxy.cfg")"
config="${template//@@BIND@@/$address:$port}"
config="${config//@@SERVERS@@/$servers}"
# HAProxy's runtime API on a socket only this user can use: serve.sh takes a replica that died
# out of rotation until it is started again and warm.
config+=$'\n'"global"$'\n'"    stats socket $workdir/haproxy.sock mode 600 level admin"
printf '%s\n' "$config" >"$workdir/haproxy.cfg"
"$haproxy_bin" -c -f "$workdir/haproxy.cfg" >"$workdir/haproxy-check.log" 2>&1 || {
  show_log "$workdir/haproxy-check.log"
  fail "HAProxy rejected the generated configuration"
}
# -db: stay in the foreground (no daemon), so that this script owns the process.
start_group "$workdir/haproxy.log" "$haproxy_bin" -db -f "$workdir/haproxy.cfg"
haproxy_pid="$started"

case "$address" in
  0.0.0.0 | '*') probe_host="127.0.0.1" ;;
  :: | '[::]') probe_host="[::1]" ;;
  *:*) probe_host="[$address]" ;;
  *) probe_host="$address" ;;
esac
until healthy "http://$probe_host:$port/_stcore/health"; do
  if ! kill -0 "$haproxy_pid" 2>/dev/null; then
    show_log "$workdir/haproxy.log"
    fail "HAProxy exited (is port $port already in use?)"
  fi
  [ "$SECONDS" -lt "$deadline" ] || fail "HAProxy not answering on port $port after 300 s"
  sleep 0.3
done

echo "serve.sh: serving rnnviz on http://$probe_host:$port with $replicas replica(s)." >&2
case "$address" in
  127.* | localhost | ::1) echo "serve.sh: only this machine can open it." >&2 ;;
  *) echo "serve.sh: open to the network on $address (no password). Ctrl-C stops it." >&2 ;;
esac

# One command to HAProxy's runtime API (e.g. "set server replicas/r1 state maint").
haproxy_command() {
  "$python" - "$workdir/haproxy.sock" "$1" <<'PY' >/dev/null 2>&1
import socket
import sys

with socket.socket(socket.AF_UNIX) as api:
    api.settimeout(5)
    api.connect(sys.argv[1])
    api.sendall(sys.argv[2].encode() + b"\n")
    api.recv(4096)
PY
}

# A replica started again: once healthy (so warm: its pages ran while it started, ~20 s on a
# busy machine), HAProxy sends students to it again. Runs in the background.
revive() {
  local index="$1" limit=$((SECONDS + 300))
  until healthy "http://127.0.0.1:${ports[$index]}/_stcore/health"; do
    [ "$SECONDS" -lt "$limit" ] || return 0
    sleep 0.5
  done
  haproxy_command "set server replicas/r$((index + 1)) state ready"
  echo "serve.sh: replica $((index + 1)) is back in rotation" >&2
}

# Keep serving until a signal arrives. A replica that dies is reported and started again on
# its port (meanwhile HAProxy sends its students to the others: their pages reconnect, and the
# class, kept in Redis, is where they left it); so is the redis-server (from its append-only
# file). When HAProxy dies, everything stops.
while true; do
  if ! kill -0 "$haproxy_pid" 2>/dev/null; then
    show_log "$workdir/haproxy.log"
    fail "HAProxy exited; stopping the replicas"
  fi
  if [ -n "$redis_pid" ] && ! kill -0 "$redis_pid" 2>/dev/null; then
    forget "$redis_pid"
    show_log "$workdir/redis.log"
    echo "serve.sh: redis-server exited; starting it again" >&2
    start_redis
  fi
  for ((index = 0; index < replicas; index++)); do
    if ! kill -0 "${replica_pids[$index]}" 2>/dev/null; then
      forget "${replica_pids[$index]}"
      show_log "$workdir/replica-$((index + 1)).log"
      if [ $((SECONDS - replica_since[index])) -lt 30 ]; then
        quick_exits[index]=$((${quick_exits[index]:-0} + 1))
        [ "${quick_exits[index]}" -lt 3 ] || fail "replica $((index + 1)) keeps exiting; stopping"
      else
        quick_exits[index]=0
      fi
      # out of rotation at once: its students (cookie or not) go to the others, and none is
      # sent to the new process before it is warm
      haproxy_command "set server replicas/r$((index + 1)) state maint"
      echo "serve.sh: replica $((index + 1)) exited; its students move to the others;" \
        "starting it again on port ${ports[$index]}" >&2
      start_replica "$index"
      revive "$index" &
      pids+=("$!")
    fi
  done
  sleep 0.5
done
