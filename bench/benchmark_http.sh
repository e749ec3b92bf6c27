#!/usr/bin/env bash
# The benchmark route over HTTP with wrk (SPEC section 7: percentiles
# against 1,000,000 stored assessments <= 20 ms): a dataset of 1,000,000
# synthetic peers imported with `cxm benchmark import`, the demo
# organization's closed cycle compared with it through
# GET /api/orgs/{org}/benchmark, unfiltered and with filters. Prints the
# first request (the process reads and indexes the dataset once), then wrk's
# latency for each query (RUNS runs, default 3; DURATION each, default 10s;
# CONNECTIONS, default 16).
# Usage: bench/benchmark_http.sh [build/cxm]
set -euo pipefail
cxm=$(realpath "${1:-build/cxm}")
runs=${RUNS:-3}
duration=${DURATION:-10s}
rows=${ROWS:-1000000}
work=$(mktemp -d /tmp/cxm-bench-XXXXXX)
server_pid=""
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
for tool in wrk curl awk python3; do
  command -v $tool >/dev/null || { echo "benchmark_http: $tool is missing" >&2; exit 1; }
done

ids=$("$cxm" model show --json | python3 -c 'import json,sys; print(",".join(c["id"] for c in json.load(sys.stdin)["competencies"]))')
awk -v rows="$rows" -v ids="$ids" 'BEGIN {
  srand(42); n = split(ids, c, ",");
  printf "organization,industry,size_band,region,assessed_on,model_id,stage,overall,%s\n", ids;
  for (i = 0; i < rows; i++) {
    printf "p%d,industry%d,size%d,region%d,20%02d-%02d-%02d,cx-maturity,%d,%.1f", i, int(rand() * 20), int(rand() * 5),
      int(rand() * 8), 16 + int(rand() * 10), 1 + int(rand() * 12), 1 + int(rand() * 28), 1 + int(rand() * 6), rand() * 100;
    for (k = 1; k <= n; k++) printf ",%.1f", rand() * 100;
    printf "\n";
  }
}' >"$work/peers.csv"
db="sqlite:$work/cxm.db"
"$cxm" demo --db "$db" >/dev/null
dataset=$("$cxm" benchmark import --db "$db" --name "Bench peers" --source "benchmark_http.sh" --licence CC0-1.0 \
  --synthetic "$work/peers.csv" | sed -n 's/.* as dataset \([^ ]*\) .*/\1/p')

"$cxm" serve --db "$db" --listen 127.0.0.1:0 >"$work/out" 2>/dev/null &
server_pid=$!
for _ in $(seq 100); do grep -q listening "$work/out" 2>/dev/null && break; sleep 0.1; done
port=$(sed -n 's/.*listening on http:\/\/127\.0\.0\.1:\([0-9]*\).*/\1/p' "$work/out" | head -1)
base="http://127.0.0.1:$port"
curl -s -c "$work/jar" -H 'Content-Type: application/json' \
  -d '{"email":"bench@example.org","name":"Bench","password":"benchmark password"}' "$base/api/setup" >/dev/null
session=$(awk '$6 == "cxm_session" { print $7 }' "$work/jar")
org=$(curl -s -H "Cookie: cxm_session=$session" "$base/api/orgs" | grep -o '"id":"[^"]*"' | head -1 | cut -d'"' -f4)
route="$base/api/orgs/$org/benchmark?dataset=$dataset"
echo "first request (reads and indexes $rows peers): $(curl -s -o /dev/null -w '%{time_total}' -H "Cookie: cxm_session=$session" "$route") s"
for query in "" "&industry=industry3" "&size_band=size2&since=2021-01-01" "&industry=industry3&size_band=size2&region=region5&since=2019-01-01"; do
  echo "query '${query:-none}': $(curl -s -H "Cookie: cxm_session=$session" "$route$query" | grep -o '"peers":[0-9]*' | head -1)"
  for _ in $(seq "$runs"); do
    wrk -t1 -c"${CONNECTIONS:-16}" -d"$duration" --latency -H "Cookie: cxm_session=$session" "$route$query" |
      awk '/Requests\/sec/ { rps = $2 } /^ +50%/ { p50 = $2 } /^ +99%/ { p99 = $2 } END { printf "  %s req/s, p50 %s, p99 %s\n", rps, p50, p99 }'
  done
done
