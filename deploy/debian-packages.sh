#!/bin/sh
# Installs the Debian packages listed in debian-packages.txt (or the list given as $1) that are
# missing. Needs root and apt; otherwise it names what to install and fails.
set -eu
list="${1:-$(dirname "$0")/debian-packages.txt}"
missing=""
for pkg in $(grep -v '^#' "$list"); do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing="$missing $pkg"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "airgap needs these Debian packages:$missing (run: sudo apt-get install -y$missing)" >&2
    exit 1
fi
echo "installing Debian packages:$missing"
DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $missing >/dev/null 2>&1 || {
    apt-get update >/dev/null 2>&1
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $missing
}
