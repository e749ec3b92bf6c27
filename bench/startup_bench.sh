#!/usr/bin/env bash
# Start-up time and idle memory of `cxm serve` (SPEC section 7: start-up
# <= 200 ms, idle RSS <= 40 MB), on a fresh database (schema created) and on
# one holding the demo organization (two cycles, 80 respondents).
# Start-up = from exec until the server prints that it listens (it accepts
# connections from then on). RSS is read 1 s later, idle, after one request
# for the web app and one for the health check.
# Each is measured RUNS times (default 11); medians are reported.
# Usage: bench/startup_bench.sh [build/cxm]
set -euo pipefail
cxm=$(realpath "${1:-build/cxm}")
runs=${RUNS:-11}
work=$(mktemp -d /tmp/cxm-startup-XXXXXX)
pid=""
cleanup() {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

# Prints "startup_ms rss_kb" for one start of the server on database $1.
one_start() {
  local out="$work/out" start end port
  : >"$out"
  start=$(date +%s%N)
  "$cxm" serve --db "$1" --listen 127.0.0.1:0 >"$out" 2>/dev/null &
  pid=$!
  until grep -q listening "$out" 2>/dev/null; do
    kill -0 "$pid" 2>/dev/null || { echo "startup_bench: the server exited" >&2; exit 1; }
    sleep 0.002
  done
  end=$(date +%s%N)
  port=$(sed -n 's/.*listening on http:\/\/127\.0\.0\.1:\([0-9]*\).*/\1/p' "$out" | head -1)
  curl -s "http://127.0.0.1:$port/" >/dev/null
  curl -s "http://127.0.0.1:$port/api/health" >/dev/null
  sleep 1
  local rss
  rss=$(awk '/^VmRSS/ {print $2}' "/proc/$pid/status")
  kill "$pid"
  wait "$pid" 2>/dev/null || true
  pid=""
  echo "$(( (end - start) / 1000000 )) $rss"
}

report() {
  local label=$1 db=$2 fresh=$3 times=() rss=()
  for _ in $(seq "$runs"); do
    [ "$fresh" = yes ] && rm -f "$work"/fresh.db*
    read -r t r < <(one_start "$db")
    times+=("$t")
    rss+=("$r")
  done
  echo "$label: start-up $(printf '%s\n' "${times[@]}" | median) ms, idle RSS $(( $(printf '%s\n' "${rss[@]}" | median) / 1024 )) MB (medians of $runs)"
}

report "fresh database" "sqlite:$work/fresh.db" yes
"$cxm" demo --db "sqlite:$work/demo.db" >/dev/null
report "demo database" "sqlite:$work/demo.db" no
