# Starts a Docker engine for the sandbox tests (no bridge network is created: sandboxes run
# with network none) and builds the sandbox image offline. Sourced by .ci/run after 00-apt.sh.
if ! docker info >/dev/null 2>&1; then
  nohup dockerd --bridge=none --iptables=false >/var/log/evoforge-dockerd.log 2>&1 &
  for _ in $(seq 1 60); do
    docker info >/dev/null 2>&1 && break
    sleep 1
  done
  docker info >/dev/null 2>&1 || { echo "dockerd did not start; see /var/log/evoforge-dockerd.log" >&2; exit 1; }
fi
bash scripts/bootstrap.sh
.venv/bin/evoforge sandbox build-image
