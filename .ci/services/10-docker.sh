# Starts a Docker engine for the sandbox tests (no bridge network is created: sandboxes run
# with network none) and builds the sandbox image offline. Sourced by .ci/run after 00-apt.sh.
# Idempotent: a running engine is reused, and rebuilding the image only re-tags the same content.
if ! docker info >/dev/null 2>&1; then
  command -v dockerd >/dev/null || { echo "dockerd is missing: apt-get install docker.io" >&2; exit 1; }
  # A pid file left by an engine that died stops the next one from starting.
  if [ -f /var/run/docker.pid ] && ! kill -0 "$(cat /var/run/docker.pid)" 2>/dev/null; then
    rm -f /var/run/docker.pid
  fi
  nohup dockerd --bridge=none --iptables=false >/var/log/evoforge-dockerd.log 2>&1 &
  for _ in $(seq 1 60); do
    docker info >/dev/null 2>&1 && break
    sleep 1
  done
  docker info >/dev/null 2>&1 || { echo "dockerd did not start within 60 s; see /var/log/evoforge-dockerd.log" >&2; exit 1; }
fi
bash scripts/bootstrap.sh
.venv/bin/evoforge sandbox build-image
