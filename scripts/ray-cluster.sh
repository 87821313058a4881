#!/usr/bin/env bash
# A local Ray cluster (one CPU per worker node, a 100 MB object store per node) for tests and benches:
#   scripts/ray-cluster.sh start DIR [NODES] [HEAD_CPUS]  -> the head plus NODES-1 worker nodes; prints HOST:PORT
#   scripts/ray-cluster.sh add DIR                        -> one more worker node
#   scripts/ray-cluster.sh stop DIR                       -> stops the nodes it started
# Each node runs under `ray start --block` in its own process group (setsid), so stopping it
# signals that group alone; `ray stop` is never used, because it kills every Ray process on the
# machine, other users' clusters included. The nodes' environment is the workers' environment.
set -euo pipefail
action="$1" dir="$2"
ray_bin="${RAY_BIN:-$(command -v ray || echo .venv/bin/ray)}"
common=(--block --disable-usage-stats --node-ip-address 127.0.0.1 --object-store-memory 100000000)

node() {  # node INDEX ARGS...: starts one node and waits until it has joined
  local index="$1"
  shift
  RAY_memory_monitor_refresh_ms=0 setsid nohup "$ray_bin" start "$@" "${common[@]}" >"$dir/node$index.log" 2>&1 &
  echo $! >"$dir/node$index.pid"
  for _ in $(seq 1 120); do
    grep -q "Ray runtime started" "$dir/node$index.log" && return 0
    kill -0 "$(cat "$dir/node$index.pid")" 2>/dev/null || break
    sleep 1
  done
  cat "$dir/node$index.log" >&2
  exit 1
}

case "$action" in
  start)
    nodes="${3:-2}" head_cpus="${4:-1}"
    mkdir -p "$dir"
    port="${RAY_PORT:-$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}"
    node 0 --head --port "$port" --num-cpus "$head_cpus" --include-dashboard false --temp-dir "$dir/tmp"
    echo "127.0.0.1:$port" >"$dir/address"
    for n in $(seq 1 $((nodes - 1))); do node "$n" --address "127.0.0.1:$port" --num-cpus 1; done
    cat "$dir/address"
    ;;
  add)
    node "$(ls "$dir"/node*.pid | wc -l)" --address "$(cat "$dir/address")" --num-cpus 1
    ;;
  stop)
    # Worker nodes first, the head last; a group still alive after 10 s is killed.
    for pidfile in $(ls -r "$dir"/node*.pid 2>/dev/null); do
      group="$(cat "$pidfile")"
      kill -TERM -- "-$group" 2>/dev/null || true
      for _ in $(seq 1 10); do kill -0 -- "-$group" 2>/dev/null || break; sleep 1; done
      kill -KILL -- "-$group" 2>/dev/null || true
      rm -f "$pidfile"
    done
    ;;
  *) echo "usage: $0 start DIR [NODES] [HEAD_CPUS] | add DIR | stop DIR" >&2; exit 2 ;;
esac
