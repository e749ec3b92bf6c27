#!/usr/bin/env bash
# Throughput of 1, 2 and 3 `cxm serve` processes behind nginx on one
# PostgreSQL (docs/deploy.md "Throughput"), run from the files in deploy/:
# each process from the systemd unit's ExecStart, nginx from
# deploy/nginx/cxm.conf with its upstream cut to the first N processes.
# Besides, one process reached directly (no nginx), for nginx's own cost.
#   1. PUT one answer per request, each from a different participant
#      (acknowledged = committed), 256 connections;
#   2. GET a cached report of 1,000 respondents, 256 connections.
# The configurations take turns within each of RUNS rounds (default 3), so
# that a change in the machine's load falls on all of them; the median of
# each is printed, with the CPU time per request of cxm, nginx and
# PostgreSQL and the requests per transaction (medians too). Each
# measured run follows an unmeasured one of WARMUP (3 s) on the same target. PostgreSQL is a private cluster in a temporary directory
# with its durable defaults (fsync, synchronous_commit on), or DB=postgresql://…
# (an empty database).
# Usage: bench/multi_process_bench.sh [build/cxm]
set -euo pipefail
cxm=$(realpath "${1:-build/cxm}")
here=$(cd "$(dirname "$0")" && pwd)
deploy="$here/../deploy"
runs=${RUNS:-3}
duration=${DURATION:-8s}
connections=${CONNECTIONS:-256}
links=${LINKS:-2000}
warmup=${WARMUP:-3s}
work=$(mktemp -d /tmp/cxm-multi-bench-XXXXXX)
pids=()
pg_stop=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [ ${#pg_stop[@]} -gt 0 ]; then "${pg_stop[@]}" >/dev/null 2>&1 || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

for tool in wrk curl /usr/sbin/nginx; do
  command -v $tool >/dev/null || { echo "multi_process_bench: $tool is missing (scripts/bootstrap)" >&2; exit 1; }
done

# A port below the ephemeral range that nothing listens on.
free_port() {
  local port=$((20000 + RANDOM % 10000))
  while (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((20000 + RANDOM % 10000)); done
  echo "$port"
}

db=${DB:-}
if [ -z "$db" ]; then
  bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
  mkdir -p "$work/pg"
  run=()
  if [ "$(id -u)" -eq 0 ]; then chown postgres: "$work/pg"; chmod 711 "$work"; run=(runuser -u postgres --); fi
  "${run[@]}" "$bin/initdb" -D "$work/pg/data" -U cxm --auth=trust -E UTF8 >/dev/null
  pg_port=$(free_port)
  "${run[@]}" "$bin/pg_ctl" -D "$work/pg/data" -l "$work/pg/server.log" -w \
    -o "-p $pg_port -k $work/pg -c listen_addresses=127.0.0.1 -c max_connections=200" start >/dev/null
  pg_stop=("${run[@]}" "$bin/pg_ctl" -D "$work/pg/data" -m fast -w stop)
  "${run[@]}" "$bin/createdb" -h 127.0.0.1 -p "$pg_port" -U cxm cxm
  db="postgresql://cxm@127.0.0.1:$pg_port/cxm"
fi

# Three processes, each as systemd starts cxm@PORT.service.
exec_start=$(sed -n 's/^ExecStart=//p' "$deploy/systemd/cxm@.service")
ports=()
for i in 1 2 3; do
  port=$(free_port)
  line=${exec_start//%i/$port}
  line=${line//\$\{CXM_DB\}/$db}
  line=${line//\$CXM_OPTIONS/}
  line=${line/\/usr\/local\/bin\/cxm/$cxm}
  $line >"$work/cxm-$i.out" 2>"$work/cxm-$i.log" &
  pids+=($!)
  for _ in $(seq 100); do grep -q listening "$work/cxm-$i.out" 2>/dev/null && break; sleep 0.1; done
  grep -q listening "$work/cxm-$i.out" || { echo "multi_process_bench: cxm did not start" >&2; cat "$work/cxm-$i.log" >&2; exit 1; }
  ports+=("$port")
done

# nginx with the first N processes, for N = 1, 2, 3.
nginx_ports=()
for n in 1 2 3; do
  dir="$work/nginx-$n"
  mkdir -p "$dir"
  nginx_port=$(free_port)
  sed -e "s/listen 80;/listen 127.0.0.1:$nginx_port;/" -e '/listen \[::\]:80;/d' \
    -e "s#/var/log/nginx/#$dir/#" "$deploy/nginx/cxm.conf" >"$dir/cxm.conf"
  for i in 1 2 3; do
    if [ "$i" -le "$n" ]; then
      sed -i "s/server 127.0.0.1:808$i /server 127.0.0.1:${ports[$((i - 1))]} /" "$dir/cxm.conf"
    else
      sed -i "/server 127.0.0.1:808$i /d" "$dir/cxm.conf"
    fi
  done
  cat >"$dir/nginx.conf" <<CONF
worker_processes auto;
worker_rlimit_nofile 16384;
pid $dir/nginx.pid;
error_log $dir/error.log warn;
events { worker_connections 8192; }
http {
  client_body_temp_path $dir; proxy_temp_path $dir; fastcgi_temp_path $dir;
  uwsgi_temp_path $dir; scgi_temp_path $dir;
  include $dir/cxm.conf;
}
CONF
  [ "$(id -u)" -eq 0 ] && chmod 711 "$work" && chown -R nobody: "$dir"
  # Not as root: setpriv changes the user and execs nginx (its pid is $!).
  nginx_run=()
  [ "$(id -u)" -eq 0 ] && nginx_run=(setpriv --reuid=nobody --regid=nogroup --clear-groups --)
  "${nginx_run[@]}" /usr/sbin/nginx -p "$dir/" -c "$dir/nginx.conf" -e "$dir/error.log" -g 'daemon off;' >"$dir/nginx.out" 2>&1 &
  pids+=($!)
  nginx_ports+=("$nginx_port")
done
for port in "${nginx_ports[@]}"; do
  for _ in $(seq 50); do (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.1; done
done

base="http://127.0.0.1:${nginx_ports[2]}"
jar="$work/jar"
json() { grep -o "\"$1\":\"[^\"]*\"" | head -1 | cut -d'"' -f4; }
csrf=$(curl -s -c "$jar" -H 'Content-Type: application/json' \
  -d '{"email":"bench@example.org","name":"Bench","password":"benchmark password"}' "$base/api/setup" | json csrf_token || true)
[ -n "$csrf" ] || { echo "multi_process_bench: set-up failed; DB must name an empty database" >&2; exit 1; }
post() { curl -s -b "$jar" -H 'Content-Type: application/json' -H "X-CSRF-Token: $csrf" -X POST -d "$2" "$base$1"; }
org=$(post /api/orgs '{"name":"Bench","units":["A","B"]}' | json id)
cycle=$(post "/api/orgs/$org/cycles" '{"name":"Bench"}' | json id)
post "/api/cycles/$cycle/open" '{}' >/dev/null
: >"$work/tokens.txt"
for _ in $(seq $((links / 500))); do
  post "/api/cycles/$cycle/invitations" '{"count":500,"role":"frontline","unit":"A"}' \
    | grep -o '"token":"[0-9a-f]*"' | cut -d'"' -f4 >>"$work/tokens.txt"
done
# Each link claimed as a browser claims it (see bench/http_bench.sh).
: >"$work/claims.txt"
split -l 500 "$work/tokens.txt" "$work/batch."
for batch in "$work"/batch.*; do
  awk -v base="$base" '{
    if (NR > 1) print "next"
    printf "url = \"%s/api/r/%s/claim\"\nrequest = \"POST\"\n", base, $0
    print "header = \"Content-Type: application/json\"\ndata = \"{}\"\noutput = \"/dev/null\""
    print "dump-header = \"-\"\nsilent"
  }' "$batch" >"$batch.cfg"
  curl -K "$batch.cfg" | tr -d '\r' | sed -n 's/^[Ss]et-[Cc]ookie: \(cxm_claim=[0-9a-f]*\);.*/\1/p' >"$batch.cookies"
  paste -d' ' "$batch" "$batch.cookies" >>"$work/claims.txt"
done
[ "$(wc -l <"$work/claims.txt")" -eq "$(awk 'NF == 2' "$work/claims.txt" | wc -l)" ] \
  || { echo "multi_process_bench: claiming the links failed" >&2; exit 1; }

targets=("http://127.0.0.1:${ports[0]}" "http://127.0.0.1:${nginx_ports[0]}"
  "http://127.0.0.1:${nginx_ports[1]}" "http://127.0.0.1:${nginx_ports[2]}")
names=("1 process, no nginx" "1 process behind nginx" "2 processes behind nginx" "3 processes behind nginx")
echo "cxm ${ports[*]}, nginx ${nginx_ports[*]}, $(wc -l <"$work/tokens.txt") links, $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
# CPU time (clock ticks, user + system) of the processes named and their
# children: the cxm processes, nginx (master and workers) and PostgreSQL
# (the postmaster and its backends), to say where the time goes.
ticks() {
  local total=0 pid child
  for pid in "$@"; do
    for child in $pid $(pgrep -P "$pid" 2>/dev/null); do
      [ -r "/proc/$child/stat" ] || continue
      total=$((total + $(awk '{print $14 + $15}' "/proc/$child/stat" 2>/dev/null || echo 0)))
    done
  done
  echo "$total"
}
hz=$(getconf CLK_TCK)
pg_pid=""
[ -f "$work/pg/data/postmaster.pid" ] && pg_pid=$(head -1 "$work/pg/data/postmaster.pid")
# Transactions committed in the database (reads count too), per request.
commits() { psql "$db" -Atc "SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()"; }
cxm_pids=("${pids[@]:0:3}")
nginx_pids=("${pids[@]:3}")
p99_ms() { awk '/ 99%/ {v=$2; if (v ~ /us$/) {sub("us","",v); v/=1000} else if (v ~ /ms$/) {sub("ms","",v)} else if (v ~ /s$/) {sub("s","",v); v*=1000}; print v}'; }
# `measure LABEL PATH WRK-OPTIONS...`: each target in turn, RUNS rounds;
# prints per target the median requests/s and p99.
measure() {
  local label=$1 path=$2
  shift 2
  local -A rps p99 cxm_us nginx_us pg_us per_commit
  for round in $(seq "$runs"); do
    for t in "${!targets[@]}"; do
      # Unmeasured first: the processes' caches (a link is kept 60 s) warm,
      # as in steady use, and every link answered once.
      wrk -t2 -c"$connections" -d"$warmup" "$@" "${targets[$t]}$path" >/dev/null
      local c0 n0 g0 x0
      c0=$(ticks "${cxm_pids[@]}") n0=$(ticks "${nginx_pids[@]}") g0=$(ticks $pg_pid) x0=$(commits)
      out=$(wrk -t2 -c"$connections" -d"$duration" --latency "$@" "${targets[$t]}$path")
      local requests
      requests=$(echo "$out" | awk '/requests in/ {print $1}')
      cxm_us[$t]+="$(awk "BEGIN {printf \"%.0f\", ($(ticks "${cxm_pids[@]}") - $c0) * 1e6 / $hz / $requests}") "
      nginx_us[$t]+="$(awk "BEGIN {printf \"%.0f\", ($(ticks "${nginx_pids[@]}") - $n0) * 1e6 / $hz / $requests}") "
      pg_us[$t]+="$(awk "BEGIN {printf \"%.0f\", ($(ticks $pg_pid) - $g0) * 1e6 / $hz / $requests}") "
      per_commit[$t]+="$(awk "BEGIN {x = $(commits) - $x0; printf(\"%.1f\", x > 0 ? $requests / x : 0)}") "
      rps[$t]+="$(echo "$out" | awk '/Requests\/sec/ {print $2}') "
      p99[$t]+="$(echo "$out" | p99_ms) "
      errors=$(echo "$out" | awk '/Non-2xx|Socket errors/ {print}')
      [ -n "$errors" ] && echo "  $label, ${names[$t]}, round $round: $errors" >&2
    done
  done
  for t in "${!targets[@]}"; do
    printf '%-26s %-26s %7.0f req/s  p99 %6.1f ms  CPU us/request: cxm %4s nginx %4s PostgreSQL %4s  requests/transaction %5s  (runs: %s)\n' \
      "$label" "${names[$t]}" \
      "$(echo "${rps[$t]}" | tr ' ' '\n' | grep . | median)" \
      "$(echo "${p99[$t]}" | tr ' ' '\n' | grep . | median)" \
      "$(echo "${cxm_us[$t]}" | tr ' ' '\n' | grep . | median)" \
      "$(echo "${nginx_us[$t]}" | tr ' ' '\n' | grep . | median)" \
      "$(echo "${pg_us[$t]}" | tr ' ' '\n' | grep . | median)" \
      "$(echo "${per_commit[$t]}" | tr ' ' '\n' | grep . | median)" "${rps[$t]% }"
  done
}

export TOKENS_FILE="$work/claims.txt"
ANSWERS_PER_REQUEST=1 measure "PUT 1 answer" "" -s "$here/put_answers.lua"

# A report over 1,000 submitted respondents, its cycle closed (an
# anonymous cycle's results are published when it closes).
head -1000 "$work/claims.txt" | while read -r token claim; do
  curl -s -X PUT -H 'Content-Type: application/json' -H "Cookie: $claim" "$base/api/r/$token/answers" \
    -d '{"answers":{"LS2b":4,"LS3":3,"LS4b":2,"GO2":5,"GO3":4,"IN2":3,"ME2":4,"PE2":2,"BR2":3,"OP2":4}}' >/dev/null
  curl -s -X POST -H "Cookie: $claim" "$base/api/r/$token/submit" >/dev/null
done
post "/api/cycles/$cycle/close" '{}' >/dev/null
cookie=$(awk '/cxm_session/ {print $7}' "$jar")
size=$(curl -s -H "Cookie: cxm_session=$cookie" "$base/api/cycles/$cycle/report" | wc -c)
for port in "${ports[@]}"; do  # each process builds and caches the report once
  curl -s -o /dev/null -H "Cookie: cxm_session=$cookie" "http://127.0.0.1:$port/api/cycles/$cycle/report"
done
measure "GET report ($size bytes)" "/api/cycles/$cycle/report" -H "Cookie: cxm_session=$cookie"
