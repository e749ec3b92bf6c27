#!/usr/bin/env bash
# HTTP benchmarks on loopback with wrk (SPEC section 7):
#   1. answer submission, one answer per request, each from a different
#      participant (acknowledged = committed), 256 connections;
#   2. the same with a page of 8 answers per request;
#   3. loading the questionnaire (GET /api/r/{token} with the claim cookie,
#      a participant coming back to answers saved before);
#   4. reading the cached report of a cycle with 1,000 respondents;
#   5. nginx serving static files of the sizes of 3. and 4. in the same run.
# Each measurement runs RUNS times (default 3) of DURATION (default 10s);
# the median is reported.
# Usage: bench/http_bench.sh [build/cxm]; DB=postgresql://... (an empty
# database) to measure on PostgreSQL instead of a fresh SQLite file.
# RESULTS=FILE appends the medians to FILE as "name value" lines (bench/run
# reads them). PERF_OUT=PREFIX records the server with `perf record -g`
# during the first run of each measurement into PREFIX.<name>.data.
set -euo pipefail
cxm=$(realpath "${1:-build/cxm}")
here=$(cd "$(dirname "$0")" && pwd)
runs=${RUNS:-3}
duration=${DURATION:-10s}
work=$(mktemp -d /tmp/cxm-bench-XXXXXX)
server_pid=""
nginx_pid=""
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
  [ -n "$nginx_pid" ] && kill "$nginx_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

for tool in wrk curl; do
  command -v $tool >/dev/null || { echo "http_bench: $tool is missing (apt-get install $tool)" >&2; exit 1; }
done

"$cxm" serve --db "${DB:-sqlite:$work/cxm.db}" --listen 127.0.0.1:0 --workers "${WORKERS:-32}" >"$work/out" 2>/dev/null &
server_pid=$!
for _ in $(seq 100); do grep -q listening "$work/out" 2>/dev/null && break; sleep 0.1; done
port=$(sed -n 's/.*listening on http:\/\/127\.0\.0\.1:\([0-9]*\).*/\1/p' "$work/out" | head -1)
base="http://127.0.0.1:$port"
jar="$work/jar"
json() { grep -o "\"$1\":\"[^\"]*\"" | head -1 | cut -d'"' -f4; }

csrf=$(curl -s -c "$jar" -H 'Content-Type: application/json' \
  -d '{"email":"bench@example.org","name":"Bench","password":"benchmark password"}' "$base/api/setup" | json csrf_token || true)
[ -n "$csrf" ] || { echo "http_bench: set-up failed; DB must name an empty database" >&2; exit 1; }
post() { curl -s -b "$jar" -H 'Content-Type: application/json' -H "X-CSRF-Token: $csrf" -X POST -d "$2" "$base$1"; }
org=$(post /api/orgs '{"name":"Bench","units":["A","B"]}' | json id)
cycle=$(post "/api/orgs/$org/cycles" '{"name":"Bench"}' | json id)
post "/api/cycles/$cycle/open" '{}' >/dev/null
links=${LINKS:-20000}
: >"$work/tokens.txt"
for _ in $(seq $((links / 500))); do
  post "/api/cycles/$cycle/invitations" '{"count":500,"role":"frontline","unit":"A"}' \
    | grep -o '"token":"[0-9a-f]*"' | cut -d'"' -f4 >>"$work/tokens.txt"
done
# Each link started as a participant's browser starts it: POST .../claim
# sets the claim cookie that saves and submissions carry. One curl per 500
# links, on one connection; the cookies come back in the same order. Each
# request after the first starts with `next` (without it curl 7.88 merges
# every `data` line of the file into one body), and so carries its own
# options: after `next`, none given before applies.
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
  || { echo "http_bench: claiming the links failed" >&2; exit 1; }
echo "server on $base, $(wc -l <"$work/tokens.txt") participant links"

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
result() { if [ -n "${RESULTS:-}" ]; then echo "$1 $2" >>"$RESULTS"; fi; }
# Runs wrk RUNS times; prints "requests/s p99" medians. $1 names the
# measurement (for PERF_OUT).
measure() {
  local name=$1 rps=() p99=() run perf_pid=""
  shift
  for run in $(seq "$runs"); do
    if [ -n "${PERF_OUT:-}" ] && [ "$run" = 1 ] && [ "$name" != nginx ]; then
      perf record -q -g -F 999 -p "$server_pid" -o "$PERF_OUT.$name.data" -- sleep "${duration%s}" 2>/dev/null &
      perf_pid=$!
    fi
    out=$(wrk -t2 -c256 -d"$duration" --latency "$@")
    if [ -n "$perf_pid" ]; then wait "$perf_pid" || true; perf_pid=""; fi
    rps+=("$(echo "$out" | awk '/Requests\/sec/ {print $2}')")
    p99+=("$(echo "$out" | awk '/ 99%/ {v=$2; if (v ~ /us$/) {sub("us","",v); v/=1000} else if (v ~ /ms$/) {sub("ms","",v)} else if (v ~ /s$/) {sub("s","",v); v*=1000}; print v}')")
  done
  echo "  runs: requests/s ${rps[*]}; p99 ms ${p99[*]}" >&2
  echo "$(printf '%s\n' "${rps[@]}" | median) $(printf '%s\n' "${p99[@]}" | median)"
}

export TOKENS_FILE="$work/claims.txt"
read -r rps p99 < <(ANSWERS_PER_REQUEST=1 measure put1 -s "$here/put_answers.lua" "$base")
echo "PUT 1 answer/request:  ${rps} requests/s = ${rps} answers/s, p99 ${p99} ms (median of $runs)"
result put1_rps "$rps"
result put1_p99 "$p99"
read -r rps8 p99_8 < <(ANSWERS_PER_REQUEST=8 measure put8 -s "$here/put_answers.lua" "$base")
echo "PUT 8 answers/request: ${rps8} requests/s = $(awk "BEGIN {print $rps8 * 8}") answers/s, p99 ${p99_8} ms"
result put8_rps "$rps8"
result put8_p99 "$p99_8"

# The questionnaire as a participant coming back loads it: the links of
# the first thread (wrk -t2 hands out every other line to each thread)
# have answers saved above.
read -r token claim < <(head -1 "$work/claims.txt")
curl -s -H "Cookie: $claim" "$base/api/r/$token" >"$work/questionnaire.json"
questionnaire_size=$(wc -c <"$work/questionnaire.json")
grep -q '"items"' "$work/questionnaire.json" || { echo "http_bench: the questionnaire did not load" >&2; exit 1; }
read -r q_rps q_p99 < <(measure questionnaire -s "$here/questionnaire.lua" "$base")
echo "GET questionnaire (${questionnaire_size} bytes): ${q_rps} requests/s, p99 ${q_p99} ms"
result questionnaire_bytes "$questionnaire_size"
result questionnaire_rps "$q_rps"
result questionnaire_p99 "$q_p99"

# A report over 1,000 submitted respondents.
head -1000 "$work/claims.txt" | while read -r token claim; do
  curl -s -X PUT -H 'Content-Type: application/json' -H "Cookie: $claim" "$base/api/r/$token/answers" \
    -d '{"answers":{"LS2b":4,"LS3":3,"LS4b":2,"GO2":5,"GO3":4,"IN2":3,"ME2":4,"PE2":2,"BR2":3,"OP2":4}}' >/dev/null
  curl -s -X POST -H "Cookie: $claim" "$base/api/r/$token/submit" >/dev/null
done
# An anonymous cycle's results are published when it closes.
post "/api/cycles/$cycle/close" '{}' >/dev/null
cookie=$(awk '/cxm_session/ {print $7}' "$jar")
curl -s -H "Cookie: cxm_session=$cookie" "$base/api/cycles/$cycle/report" >"$work/report.json"
size=$(wc -c <"$work/report.json")
read -r report_rps report_p99 < <(measure report -H "Cookie: cxm_session=$cookie" "$base/api/cycles/$cycle/report")
echo "GET report (${size} bytes): ${report_rps} requests/s, p99 ${report_p99} ms"
result report_bytes "$size"
result report_rps "$report_rps"
result report_p99 "$report_p99"

if command -v nginx >/dev/null || [ -x /usr/sbin/nginx ]; then
  mkdir -p "$work/www" "$work/nginx"
  cp "$work/report.json" "$work/questionnaire.json" "$work/www/"
  # A port below the ephemeral range (where outgoing connections, such as
  # the server's to PostgreSQL, take theirs) that nothing listens on (bash's
  # /dev/tcp connects when something does).
  nginx_port=$((20000 + RANDOM % 10000))
  while (exec 3<>"/dev/tcp/127.0.0.1/$nginx_port") 2>/dev/null; do nginx_port=$((20000 + RANDOM % 10000)); done
  cat >"$work/nginx/nginx.conf" <<CONF
worker_processes 2;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $work/nginx; proxy_temp_path $work/nginx; fastcgi_temp_path $work/nginx;
  uwsgi_temp_path $work/nginx; scgi_temp_path $work/nginx;
  server { listen 127.0.0.1:$nginx_port; root $work/www; }
}
CONF
  /usr/sbin/nginx -c "$work/nginx/nginx.conf" -g 'daemon off;' &
  nginx_pid=$!
  sleep 0.5
  read -r nginx_rps nginx_p99 < <(measure nginx "http://127.0.0.1:$nginx_port/report.json")
  echo "nginx static file (${size} bytes): ${nginx_rps} requests/s, p99 ${nginx_p99} ms"
  echo "report / nginx: $(awk "BEGIN {printf \"%.2f\", $report_rps / $nginx_rps}")"
  result nginx_report_rps "$nginx_rps"
  result nginx_report_p99 "$nginx_p99"
  read -r nginx_q_rps nginx_q_p99 < <(measure nginx "http://127.0.0.1:$nginx_port/questionnaire.json")
  echo "nginx static file (${questionnaire_size} bytes): ${nginx_q_rps} requests/s, p99 ${nginx_q_p99} ms"
  echo "questionnaire / nginx: $(awk "BEGIN {printf \"%.2f\", $q_rps / $nginx_q_rps}")"
  result nginx_questionnaire_rps "$nginx_q_rps"
  result nginx_questionnaire_p99 "$nginx_q_p99"
else
  echo "nginx not installed: no static-file baseline (apt-get install nginx-light)"
fi
