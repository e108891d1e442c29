#!/usr/bin/env bash
# Install (first time) and start ODC Desktop on its embedded defaults. Extra arguments go to the app,
# e.g. scripts/run-app.sh --lang en --data-dir /tmp/odc-demo
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
exec .venv/bin/odc-desktop "$@"
