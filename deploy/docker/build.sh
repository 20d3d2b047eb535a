#!/bin/sh
# Build the airgap images locally: base (once), wheelhouse, then one image per target.
#
#   deploy/docker/build.sh [TARGET ...]      default: language conversations anomaly vision document translator speech inference all studio nginx
#
# Tags: $PREFIX/<target>:$VERSION and :latest, PREFIX=localhost/airgap by default. The `localhost/`
# prefix means a machine without the image fails to pull instead of fetching a stranger's image.
# Environment: PREFIX, PYTHON (used to fill the wheelhouse; needs pip), BASE (Dockerfile base),
# LOCK (the lock file that pins every install, default requirements.lock).
set -eu

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
HERE="$ROOT/deploy/docker"
PREFIX=${PREFIX:-localhost/airgap}
BASE=${BASE:-localhost/airgap-base:bookworm}
WHEELS="$ROOT/build/docker/wheels"
LOCK=${LOCK:-$ROOT/requirements.lock}
if [ -z "${PYTHON:-}" ]; then
    if [ -x "$ROOT/.venv/bin/python" ]; then PYTHON="$ROOT/.venv/bin/python"; else PYTHON=python3.11; fi
fi
VERSION=$(cd "$ROOT" && "$PYTHON" -c 'import tomllib; print(tomllib.load(open("pyproject.toml", "rb"))["project"]["version"])')
[ $# -gt 0 ] || set -- language conversations anomaly vision document translator speech inference all studio nginx

"$HERE/ensure-docker.sh"
if [ "$BASE" = localhost/airgap-base:bookworm ]; then
    BASE_IMAGE="$BASE" "$HERE/base-image.sh"
fi

needs_wheels=0
for target in "$@"; do [ "$target" = nginx ] || needs_wheels=1; done
if [ "$needs_wheels" = 1 ]; then
    # The wheelhouse: every locked requirement as a wheel (sdists are built here, once); airgap's
    # own wheel goes to a separate folder so that a code change leaves the dependency layer cached.
    # pip reuses what is already in it, so a rebuild after a code change fetches nothing.
    t0=$(date +%s)
    mkdir -p "$WHEELS"
    rm -rf "$ROOT/build/docker/project"
    cp "$LOCK" "$ROOT/build/docker/requirements.lock"
    "$PYTHON" -m pip wheel --quiet --wheel-dir "$WHEELS" --find-links "$WHEELS" -r "$LOCK"
    # Drop wheels of versions no longer locked: the build context and its cached layer stay small.
    "$PYTHON" - "$WHEELS" "$LOCK" <<'PY'
import pathlib, re, sys
norm = lambda s: re.sub(r"[-_.]+", "_", s).lower()
locked = {norm(n) + "-" + v.strip() for n, _, v in (l.partition("==") for l in open(sys.argv[2]) if "==" in l)}
for wheel in pathlib.Path(sys.argv[1]).glob("*.whl"):
    name, version = wheel.name.split("-")[:2]
    if norm(name) + "-" + version not in locked:
        wheel.unlink()
PY
    # Each image installs one extra of airgap (pyproject.toml), constrained by the lock file. Its
    # requirements, written out here, let the Dockerfile install them in a layer of their own that
    # stays cached while airgap's code changes.
    "$PYTHON" - "$ROOT/pyproject.toml" "$ROOT/build/docker/requirements" <<'PY'
import pathlib, re, sys, tomllib
project = tomllib.load(open(sys.argv[1], "rb"))["project"]
extras = project["optional-dependencies"]
def expand(extra):  # an extra may name others: airgap[vision]
    for requirement in extras[extra]:
        own = re.fullmatch(r"airgap\[(.+)\]", requirement.strip())
        yield from ([r for e in own.group(1).split(",") for r in expand(e.strip())] if own else [requirement])
out = pathlib.Path(sys.argv[2])
out.mkdir(exist_ok=True)
for service in ("language", "conversations", "anomaly", "vision", "document", "translator", "speech", "scoring", "all"):
    (out / f"{service}.txt").write_text("\n".join(sorted({*project["dependencies"], *expand(service)})) + "\n")
# The Studio's image has the platform alone (airgap studio needs no extra).
(out / "studio.txt").write_text("\n".join(sorted(project["dependencies"])) + "\n")
PY
    # A fixed timestamp makes the wheel byte-identical when the code is, so Docker's cache holds.
    SOURCE_DATE_EPOCH=315532800 "$PYTHON" -m pip wheel --quiet --no-deps --wheel-dir "$ROOT/build/docker/project" "$ROOT"
    echo "build: wheelhouse ready in $(( $(date +%s) - t0 )) s ($(du -sh "$WHEELS" | cut -f1))"
fi

for target in "$@"; do
    t0=$(date +%s)
    if [ "$target" = nginx ]; then
        docker build --quiet --force-rm --build-arg BASE="$BASE" -t "$PREFIX/nginx:$VERSION" -t "$PREFIX/nginx:latest" \
            "$ROOT/deploy/compose/nginx" >/dev/null
    else
        docker build --quiet --force-rm --build-arg BASE="$BASE" --build-arg VERSION="$VERSION" --target "$target" \
            -f "$HERE/Dockerfile" -t "$PREFIX/$target:$VERSION" -t "$PREFIX/$target:latest" "$ROOT" >/dev/null
    fi
    echo "build: $PREFIX/$target:$VERSION in $(( $(date +%s) - t0 )) s, $(docker image inspect -f '{{.Size}}' "$PREFIX/$target:$VERSION") bytes"
done
