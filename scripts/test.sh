#!/usr/bin/env bash
# Install (first time) with the test tools and run the whole test suite; pytest's exit code is returned.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh test
exec .venv/bin/python -m pytest "$@"
