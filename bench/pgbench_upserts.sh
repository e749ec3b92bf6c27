#!/usr/bin/env bash
# What PostgreSQL itself takes, the limit cxm's answer PUTs are held to
# (SPEC section 7): pgbench, 64 clients, durable commits (each transaction
# acknowledged once its WAL is flushed), upserting into a table shaped like
# cxm's answers (participant_id referencing participants, round, item_id,
# value, updated_at; primary key participant_id, round, item_id; the same
# ON CONFLICT clause):
#   1-row:  one answer per transaction (as a one-answer PUT);
#   64-row: one statement of 64 rows per transaction (as a writer's group).
# Each runs RUNS times (default 3) for DURATION seconds (default 8); prints
# the medians of rows/s, as "pgbench 1-row upserts: N rows/s" and
# "pgbench 64-row upserts: N rows/s".
# Usage: bench/pgbench_upserts.sh [postgresql://user@host:port/db]
# With a URL, its database gets (and keeps) tables pgbench_participants and
# pgbench_answers; the server's own settings apply (keep fsync and
# synchronous_commit on for durable figures). Without one, a private
# durable cluster is started under a temporary directory on a free
# loopback port and removed afterwards.
set -euo pipefail
runs=${RUNS:-3}
duration=${DURATION:-8}
clients=${CLIENTS:-64}
participants=20000
work=$(mktemp -d /tmp/cxm-pgbench-XXXXXX)
pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
as_owner=()
cluster=""
cleanup() {
  if [ -n "$cluster" ]; then
    "${as_owner[@]}" "$pg_bin/pg_ctl" -D "$cluster/data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$work" $cluster
}
trap cleanup EXIT

command -v pgbench >/dev/null || [ -x "$pg_bin/pgbench" ] \
  || { echo "pgbench_upserts: pgbench is missing (apt-get install postgresql)" >&2; exit 1; }
pgbench=$(command -v pgbench || echo "$pg_bin/pgbench")
psql=$(command -v psql || echo "$pg_bin/psql")

url=${1:-}
if [ -z "$url" ]; then
  [ -x "$pg_bin/initdb" ] || { echo "pgbench_upserts: no PostgreSQL server binaries" >&2; exit 1; }
  cluster=$(mktemp -d /tmp/cxm-pgbench-cluster-XXXXXX)
  if [ "$(id -u)" -eq 0 ]; then  # initdb refuses root
    chown postgres: "$cluster"
    as_owner=(runuser -u postgres --)
  fi
  "${as_owner[@]}" "$pg_bin/initdb" -D "$cluster/data" -U cxm --auth=trust -E UTF8 >"$work/initdb.log" 2>&1
  for _ in 1 2 3 4 5 6 7 8; do
    port=$((20000 + RANDOM % 30000))
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && continue  # in use
    "${as_owner[@]}" "$pg_bin/pg_ctl" -D "$cluster/data" -l "$cluster/server.log" -w -o \
      "-p $port -k $cluster -c listen_addresses=127.0.0.1 -c max_connections=300" start >/dev/null && break
    port=""
  done
  [ -n "${port:-}" ] || { echo "pgbench_upserts: the cluster did not start" >&2; exit 1; }
  url="postgresql://cxm@127.0.0.1:$port/postgres"
fi

"$psql" -q -v ON_ERROR_STOP=1 "$url" >/dev/null <<SQL
SET client_min_messages = warning;
DROP TABLE IF EXISTS pgbench_answers;
DROP TABLE IF EXISTS pgbench_participants;
CREATE TABLE pgbench_participants (id TEXT PRIMARY KEY);
CREATE TABLE pgbench_answers (participant_id TEXT NOT NULL REFERENCES pgbench_participants(id),
  round INTEGER NOT NULL, item_id TEXT NOT NULL, value INTEGER, updated_at BIGINT NOT NULL,
  PRIMARY KEY (participant_id, round, item_id));
INSERT INTO pgbench_participants SELECT 'p' || g FROM generate_series(1, $participants) g;
VACUUM ANALYZE pgbench_participants;
SQL

# One answer of a random participant.
cat >"$work/one.sql" <<SQL
\set p random(1, $participants)
\set i random(1, 8)
INSERT INTO pgbench_answers (participant_id, round, item_id, value, updated_at)
  VALUES ('p' || :p, 1, 'i' || :i, 4, 0)
  ON CONFLICT (participant_id, round, item_id) DO UPDATE SET value = excluded.value,
  updated_at = excluded.updated_at;
SQL
# 64 answers, of 64 different participants, in one statement (rows in
# participant order, so that two clients' statements wait for, never
# deadlock on, each other's rows).
cat >"$work/many.sql" <<SQL
\set p random(1, $((participants / 64)))
INSERT INTO pgbench_answers (participant_id, round, item_id, value, updated_at)
  SELECT 'p' || (:p + g * $((participants / 64))), 1, 'i1', 4, 0 FROM generate_series(0, 63) g
  ORDER BY 1
  ON CONFLICT (participant_id, round, item_id) DO UPDATE SET value = excluded.value,
  updated_at = excluded.updated_at;
SQL

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
# rows/s of RUNS pgbench runs of script $1 writing $2 rows per transaction.
measure() {
  local rates=()
  for _ in $(seq "$runs"); do
    tps=$("$pgbench" -n -M prepared -c "$clients" -j 2 -T "$duration" -f "$1" "$url" 2>/dev/null \
      | awk '/^tps = / {print $3; exit}')
    [ -n "$tps" ] || { echo "pgbench_upserts: pgbench failed" >&2; exit 1; }
    rates+=("$(awk "BEGIN {printf \"%.0f\", $tps * $2}")")
  done
  echo "  runs: rows/s ${rates[*]}" >&2
  printf '%s\n' "${rates[@]}" | median
}

echo "pgbench 1-row upserts: $(measure "$work/one.sql" 1) rows/s ($clients clients, median of $runs)"
echo "pgbench 64-row upserts: $(measure "$work/many.sql" 64) rows/s ($clients clients, median of $runs)"
