#!/bin/sh
# Build the base image localhost/airgap-base:bookworm from Debian packages, without any registry:
# mmdebstrap (or debootstrap) makes a minimal bookworm root file system with Python 3.11, and
# `docker import` turns it into an image. Idempotent: does nothing when the image already exists
# (FORCE=1 rebuilds). The Dockerfile builds FROM this image by default; with network access to a
# registry, `--build-arg BASE=debian:bookworm-slim` builds the same images without this script.
set -eu

IMAGE=${BASE_IMAGE:-localhost/airgap-base:bookworm}
SUITE=bookworm
PACKAGES=python3,python3-venv,ca-certificates

if [ "${FORCE:-0}" != 1 ] && docker image inspect "$IMAGE" >/dev/null 2>&1; then
    echo "base-image: $IMAGE exists"
    exit 0
fi

# The host's own apt mirrors, so that this works behind whatever mirror or proxy apt already uses.
mirror() {  # $1: 1 for the first URIs entry (main archive), 2 for the last (security)
    for f in /etc/apt/sources.list.d/debian.sources /etc/apt/sources.list.d/*.sources; do
        [ -r "$f" ] || continue
        if [ "$1" = 1 ]; then awk '/^URIs:/{print $2; exit}' "$f"; else awk '/^URIs:/{u=$2} END{print u}' "$f"; fi
        return
    done
}
MIRROR=${DEBIAN_MIRROR:-$(mirror 1)}
MIRROR=${MIRROR:-http://deb.debian.org/debian}
SECURITY=${DEBIAN_SECURITY_MIRROR:-$(mirror 2)}
case "$SECURITY" in *security*) ;; *) SECURITY=http://deb.debian.org/debian-security ;; esac

if ! command -v mmdebstrap >/dev/null 2>&1 && ! command -v debootstrap >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    echo "base-image: installing mmdebstrap" >&2
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends mmdebstrap >/dev/null
fi

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
started=$(date +%s)

if command -v mmdebstrap >/dev/null 2>&1; then
    # Docs, man pages and translations are not needed in a server image.
    mmdebstrap --quiet --variant=minbase --include="$PACKAGES" \
        --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-include=/usr/share/doc/*/copyright' \
        --dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/locale/*' \
        --aptopt='APT::Install-Recommends "false"' \
        --customize-hook='rm -rf "$1"/var/lib/apt/lists/* "$1"/var/cache/apt/*.bin' \
        "$SUITE" "$WORK/rootfs.tar" \
        "deb $MIRROR $SUITE main" "deb $MIRROR $SUITE-updates main" "deb $SECURITY $SUITE-security main"
    TAR="$WORK/rootfs.tar"
elif command -v debootstrap >/dev/null 2>&1; then
    debootstrap --variant=minbase --include="$PACKAGES" "$SUITE" "$WORK/rootfs" "$MIRROR" >/dev/null
    rm -rf "$WORK"/rootfs/var/cache/apt/archives/*.deb "$WORK"/rootfs/var/lib/apt/lists/*
    tar -C "$WORK/rootfs" -cf "$WORK/rootfs.tar" .
    TAR="$WORK/rootfs.tar"
else
    echo "base-image: needs mmdebstrap or debootstrap (apt-get install mmdebstrap)" >&2
    exit 1
fi

docker import \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'ENV LANG=C.UTF-8' \
    --change 'CMD ["/bin/bash"]' \
    --message "debian $SUITE minbase + $PACKAGES (mmdebstrap/debootstrap)" \
    "$TAR" "$IMAGE" >/dev/null
echo "base-image: built $IMAGE in $(( $(date +%s) - started )) s, $(docker image inspect -f '{{.Size}}' "$IMAGE") bytes"
