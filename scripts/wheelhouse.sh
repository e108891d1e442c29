#!/usr/bin/env bash
# Fill .cache/wheelhouse (git-ignored) with wheels of the Qt-free core's dependencies, of the `server`
# extra and of the build backend, so tests/packaging/ installs the core (and odc-server) into a fresh
# virtual environment with `pip install --no-index` (no network during the tests). Uses the package index; it is run by
# `scripts/bootstrap.sh test` (so by scripts/test.sh and .ci/run) and skipped while pyproject.toml is
# unchanged since the last fill.
set -euo pipefail
cd "$(dirname "$0")/.."
HOUSE=.cache/wheelhouse
STAMP="$HOUSE/.pyproject.sha256"
PY=.venv/bin/python
[ -x "$PY" ] || PY="${PYTHON:-python3}"
# The stamp: pyproject.toml's SHA-256 and the Python (the test computes the same to spot a stale one).
want="$("$PY" -c 'import hashlib, sys
print(hashlib.sha256(open("pyproject.toml", "rb").read()).hexdigest(), sys.implementation.cache_tag)')"
if [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$want" ]; then
    exit 0
fi
rm -rf "$HOUSE"
mkdir -p "$HOUSE"
# The project's own wheel is built too (pip wheel resolves its dependencies that way); it is removed so
# the test always installs the current source.
"$PY" -m pip wheel --quiet --wheel-dir "$HOUSE" ".[server]" "setuptools>=77" wheel
rm -f "$HOUSE"/odc_desktop-*.whl
echo "$want" > "$STAMP"
