#!/usr/bin/env bash
# Outside-in over HTTP and the CLI (SPEC section 4.10): what the customer
# metrics cost. On the demo organization (three cycles, its synthetic NPS
# and CSAT figures):
#   1. `cxm metrics import` of a file of 10,000 figures (RUNS runs, median);
#   2. GET /api/orgs/{org}/progress with wrk, with the demo's figures
#      (correlations computed) and after they are deleted (RUNS runs of
#      DURATION each, CONNECTIONS connections; medians), and their ratio;
#   3. GET /api/cycles/{cycle}/report (the cached report with its
#      outside_in section) the same way.
# Usage: bench/outside_in_bench.sh [build/cxm]
set -euo pipefail
cxm=$(realpath "${1:-build/cxm}")
runs=${RUNS:-3}
duration=${DURATION:-5s}
connections=${CONNECTIONS:-16}
work=$(mktemp -d /tmp/cxm-bench-XXXXXX)
server_pid=""
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
for tool in wrk curl awk python3; do
  command -v $tool >/dev/null || { echo "outside_in_bench: $tool is missing" >&2; exit 1; }
done
median() { sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

db="sqlite:$work/cxm.db"
"$cxm" demo --db "$db" >/dev/null
org_name="Northwind Retail (demo, synthetic data)"

# 1. 10,000 figures: a named rating per month over 10,000 months would run
# past year 9999, so 2,000 months x 5 groups (the whole organization and
# the demo's four units).
python3 - "$work/figures.csv" <<'EOF'
import sys
units = ["", "Sales", "Customer Service", "Operations", "Marketing"]
with open(sys.argv[1], "w") as f:
    f.write("period,unit,metric,value,respondents,source,name,definition,scale_min,scale_max\n")
    for m in range(2000):
        year, month = 1901 + m // 12, 1 + m % 12
        for i, u in enumerate(units):
            f.write(f"{year:04d}-{month:02d},{u},bench_stars,{1 + (m * 7 + i) % 40 / 10:.1f},{100 + m % 50},"
                    "outside_in_bench.sh,Bench stars,Mean stars from 1 to 5,1,5\n")
EOF
times=()
for _ in $(seq "$runs"); do
  start=$(date +%s.%N)
  "$cxm" metrics import --db "$db" --org "$org_name" "$work/figures.csv" >/dev/null
  end=$(date +%s.%N)
  times+=("$(echo "$end - $start" | bc -l)")
done
echo "cxm metrics import, 10,000 figures: median $(printf '%s\n' "${times[@]}" | median) s (runs: ${times[*]})"
"$cxm" metrics delete --db "$db" --org "$org_name" bench_stars >/dev/null

"$cxm" serve --db "$db" --listen 127.0.0.1:0 >"$work/out" 2>/dev/null &
server_pid=$!
for _ in $(seq 100); do grep -q listening "$work/out" 2>/dev/null && break; sleep 0.1; done
port=$(sed -n 's/.*listening on http:\/\/127\.0\.0\.1:\([0-9]*\).*/\1/p' "$work/out" | head -1)
base="http://127.0.0.1:$port"
csrf=$(curl -s -c "$work/jar" -H 'Content-Type: application/json' \
  -d '{"email":"bench@example.org","name":"Bench","password":"benchmark password"}' "$base/api/setup" |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["csrf_token"])')
session=$(awk '$6 == "cxm_session" { print $7 }' "$work/jar")
org=$(curl -s -H "Cookie: cxm_session=$session" "$base/api/orgs" | grep -o '"id":"[^"]*"' | head -1 | cut -d'"' -f4)
cycle=$(curl -s -H "Cookie: cxm_session=$session" "$base/api/orgs/$org/cycles" | python3 -c \
  'import json,sys; print(json.load(sys.stdin)["cycles"][-1]["id"])')

# Median requests/s and p99 of RUNS wrk runs against $1.
measure() {
  local rps=() p99=()
  curl -s -o /dev/null -H "Cookie: cxm_session=$session" "$1"  # warm the caches
  for _ in $(seq "$runs"); do
    read -r r p < <(wrk -t1 -c"$connections" -d"$duration" --latency -H "Cookie: cxm_session=$session" "$1" |
      awk '/Requests\/sec/ { rps = $2 } /^ +99%/ { p = $2 } END { print rps, p }')
    rps+=("$r")
    p99+=("$p")
  done
  echo "$(printf '%s\n' "${rps[@]}" | median) ${p99[*]}"
}
with=$(measure "$base/api/orgs/$org/progress")
report_with=$(measure "$base/api/cycles/$cycle/report")
echo "GET progress with the demo's figures: ${with%% *} req/s (p99 of the runs: ${with#* })"
echo "GET report with its outside_in section: ${report_with%% *} req/s (p99: ${report_with#* })"
for metric in nps csat; do
  curl -s -o /dev/null -X DELETE -H "Cookie: cxm_session=$session" -H "X-CSRF-Token: $csrf" \
    "$base/api/orgs/$org/customer-metrics/$metric"
done
figures=$(curl -s -H "Cookie: cxm_session=$session" "$base/api/orgs/$org/customer-metrics")
[ "$figures" = '{"metrics":[]}' ] || { echo "outside_in_bench: the figures were not deleted: $figures" >&2; exit 1; }
without=$(measure "$base/api/orgs/$org/progress")
echo "GET progress without figures: ${without%% *} req/s (p99 of the runs: ${without#* })"
echo "ratio with/without: $(echo "${with%% *} / ${without%% *}" | bc -l | cut -c1-5)"
