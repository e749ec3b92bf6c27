#!/usr/bin/env bash
# The PostgreSQL cluster a whole `ctest` run shares (the CTest fixture
# `postgres`): `start STATE` initializes one in a new directory under /tmp
# on a free loopback port, without fsync (test data need not survive a
# power cut), and writes "DIR PORT BIN USER" to STATE; `stop STATE` stops
# it with its own pg_ctl and removes it. As root the cluster runs as the
# postgres user (initdb refuses root), so it lives outside the build tree,
# which may sit in a directory only root may enter.
set -euo pipefail
action=${1:?start or stop}
state=${2:?state file}

if [ "$action" = stop ]; then
  [ -f "$state" ] || exit 0
  read -r dir port bin user <"$state"
  prefix=()
  [ "$user" != "-" ] && prefix=(runuser -u "$user" --)
  # Immediate: the cluster is removed next, so its shutdown checkpoint (8 s
  # of a CI run, a minute on a loaded machine) would be written for nothing.
  "${prefix[@]}" "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
  rm -rf "$dir" "$state"
  exit 0
fi

bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
  echo "postgres_fixture: PostgreSQL server binaries not found under /usr/lib/postgresql" >&2
  exit 1
fi
"$0" stop "$state"  # a cluster left by an interrupted run
dir=$(mktemp -d /tmp/cxm-pg-XXXXXX)
user=-
prefix=()
if [ "$(id -u)" -eq 0 ]; then
  user=postgres
  chown postgres: "$dir"
  prefix=(runuser -u postgres --)
fi
"${prefix[@]}" "$bin/initdb" --no-sync -D "$dir/data" -U cxm --auth=trust -E UTF8 >"$dir/initdb.log" 2>&1
# A random free port; another program may take it first, so try a few.
for attempt in 1 2 3 4 5 6 7 8; do
  port=$((20000 + RANDOM % 30000))
  (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && continue  # in use
  if "${prefix[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -o \
    "-p $port -k $dir -c listen_addresses=127.0.0.1 -c max_connections=300 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
    start >/dev/null; then
    echo "$dir $port $bin $user" >"$state"
    exit 0
  fi
done
echo "postgres_fixture: the cluster did not start; see $dir/server.log" >&2
exit 1
