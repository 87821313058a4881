#!/usr/bin/env bash
# A local Ray cluster of NODES nodes (one CPU each, a small object store) for tests and benches:
#   scripts/ray-cluster.sh start DIR [NODES] [HEAD_CPUS]  -> prints the address (HOST:PORT)
#   scripts/ray-cluster.sh stop DIR                       -> stops the nodes it started
# Each node runs under `ray start --block` in its own process group (setsid), so stopping it
# signals that group alone; `ray stop` is never used, because it kills every Ray process on the
# machine, other users' clusters included.
set -euo pipefail
action="$1" dir="$2"
ray_bin="${RAY_BIN:-$(command -v ray || echo .venv/bin/ray)}"
case "$action" in
  start)
    nodes="${3:-2}" head_cpus="${4:-1}"
    mkdir -p "$dir"
    port="${RAY_PORT:-$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}"
    common=(--block --disable-usage-stats --object-store-memory 100000000)
    RAY_memory_monitor_refresh_ms=0 setsid nohup "$ray_bin" start --head --node-ip-address 127.0.0.1 --port "$port" \
      --num-cpus "$head_cpus" --include-dashboard false --temp-dir "$dir/tmp" "${common[@]}" >"$dir/node0.log" 2>&1 &
    echo $! >"$dir/node0.pid"
    address="127.0.0.1:$port"
    for _ in $(seq 1 120); do
      grep -q "Ray runtime started" "$dir/node0.log" && break
      kill -0 "$(cat "$dir/node0.pid")" 2>/dev/null || { cat "$dir/node0.log" >&2; exit 1; }
      sleep 1
    done
    for n in $(seq 1 $((nodes - 1))); do
      RAY_memory_monitor_refresh_ms=0 setsid nohup "$ray_bin" start --address "$address" --node-ip-address 127.0.0.1 \
        --num-cpus 1 "${common[@]}" >"$dir/node$n.log" 2>&1 &
      echo $! >"$dir/node$n.pid"
      for _ in $(seq 1 120); do
        grep -q "Ray runtime started" "$dir/node$n.log" && break
        kill -0 "$(cat "$dir/node$n.pid")" 2>/dev/null || { cat "$dir/node$n.log" >&2; exit 1; }
        sleep 1
      done
    done
    echo "$address" >"$dir/address"
    echo "$address"
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
  *) echo "usage: $0 start DIR [NODES] [HEAD_CPUS] | stop DIR" >&2; exit 2 ;;
esac
