#!/bin/sh
# Make a Docker engine answer on this machine, or say why it cannot (exit 1).
# Used by `make image` and the image tests. Idempotent: an engine that already answers is used as is.
# As root with apt reachable it installs Debian's docker.io and starts dockerd without systemd,
# which is how CI machines here run it (no registry is needed: every image is built locally).
set -eu

if docker info >/dev/null 2>&1; then
    exit 0
fi
if [ "$(id -u)" != 0 ]; then
    echo "ensure-docker: no Docker engine answers and this is not root, so none can be started here" >&2
    exit 1
fi
if ! command -v dockerd >/dev/null 2>&1; then
    echo "ensure-docker: installing Debian's docker.io" >&2
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends docker.io >/dev/null
fi
if ! command -v docker >/dev/null 2>&1; then
    echo "ensure-docker: dockerd is installed but no docker client is on PATH" >&2
    exit 1
fi
if ! pgrep -x dockerd >/dev/null 2>&1; then
    LOG=${AIRGAP_DOCKERD_LOG:-/var/log/airgap-dockerd.log}
    # setsid: the engine must outlive the test session that started it, so the image cache persists.
    setsid dockerd >"$LOG" 2>&1 </dev/null &
fi
i=0
until docker info >/dev/null 2>&1; do
    i=$((i + 1))
    if [ "$i" -gt 60 ]; then
        echo "ensure-docker: dockerd did not answer within 60 s; see ${AIRGAP_DOCKERD_LOG:-/var/log/airgap-dockerd.log}" >&2
        exit 1
    fi
    sleep 1
done
