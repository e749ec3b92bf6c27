#!/usr/bin/env bash
# Times a preview and an import of a LimeSurvey export of 500 respondents x
# the default model's 49 statements through POST /api/cycles/{cycle}/imports
# on a fresh database, e.g.
#   bench/import_bench.sh sqlite:/tmp/bench-import.db 18741
#   bench/import_bench.sh postgresql://cxm@127.0.0.1:5432/bench 18742   (an empty database)
# Needs build/cxm, curl and python3. Not a test: it prints what it measured.
set -euo pipefail
db=$1
port=$2
here=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 - "$here/models/cx-maturity.yaml" "$work/export.csv" <<'PY'
import csv, random, re, sys
items = re.findall(r'- \{id: (\w+), competency', open(sys.argv[1]).read())
rng = random.Random(5)
with open(sys.argv[2], 'w', newline='') as f:
    w = csv.writer(f, quoting=csv.QUOTE_ALL, lineterminator='\r\n')
    w.writerow(['id', 'submitdate', 'role', 'unit'] + [f'CX[{i}]' for i in items])
    for n in range(1, 501):
        w.writerow([n, '2026-03-01 10:00', rng.choice(['Executive', 'Manager', 'Frontline employee']),
                    rng.choice(['Sales', 'Support'])] + [f'A{rng.randint(1, 5)}' for _ in items])
PY
"$here/build/cxm" serve --db "$db" --listen "127.0.0.1:$port" >"$work/serve.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 50); do curl -sf "127.0.0.1:$port/api/health" >/dev/null && break; sleep 0.1; done
jar=$work/cookies
field() { python3 -c "import json,sys;print(json.load(sys.stdin)['$1'])"; }
csrf=$(curl -s -c "$jar" -H 'Content-Type: application/json' \
  -d '{"email":"bench@example.com","name":"Bench","password":"a long password"}' "127.0.0.1:$port/api/setup" | field csrf_token)
H=(-b "$jar" -H "X-CSRF-Token: $csrf" -H 'Content-Type: application/json')
org=$(curl -s "${H[@]}" -d '{"name":"Acme","units":["Sales","Support"]}' "127.0.0.1:$port/api/orgs" | field id)
cycle=$(curl -s "${H[@]}" -d '{"name":"Bench"}' "127.0.0.1:$port/api/orgs/$org/cycles" | field id)
curl -s "${H[@]}" -X POST "127.0.0.1:$port/api/cycles/$cycle/open" >/dev/null
for preview in True False; do
  python3 -c "import json,base64,sys;print(json.dumps({'file_name':'export.csv','mapping':'limesurvey','preview':$preview,'csv_base64':base64.b64encode(open(sys.argv[1],'rb').read()).decode()}))" \
    "$work/export.csv" >"$work/body.json"
  curl -s -o /dev/null -w "preview=$preview status=%{http_code} seconds=%{time_total}\n" "${H[@]}" \
    --data-binary "@$work/body.json" "127.0.0.1:$port/api/cycles/$cycle/imports"
done
