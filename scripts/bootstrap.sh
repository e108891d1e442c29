#!/usr/bin/env bash
# Create ./.venv (once) and install ODC Desktop into it: the app (the `app` extra, PySide6), with the
# test tools when asked ("test"), which also prepares the wheelhouse of the Qt-free install test.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
    "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip
if [ "${1:-}" = "test" ]; then
    .venv/bin/python -m pip install --quiet -e ".[app,server,test]"
    bash scripts/wheelhouse.sh
else
    .venv/bin/python -m pip install --quiet -e ".[app]"
fi
