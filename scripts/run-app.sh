#!/usr/bin/env bash
# Install (first time) and start ODC Desktop on its embedded defaults. Extra arguments go to the app,
# e.g. scripts/run-app.sh --lang en --data-dir /tmp/odc-demo
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
# --demo also runs a local odc-server beside the app (odc_desktop/demo_server.py): it needs the server extra.
case " $* " in
    *" --demo "*)
        if ! .venv/bin/python -c "import fastapi, uvicorn, alembic, argon2" 2>/dev/null; then
            .venv/bin/python -m pip install --quiet -e ".[app,server]"
        fi ;;
esac
# On a Linux desktop Qt's xcb plugin aborts ("Could not load the Qt platform plugin 'xcb'") when a
# system library is missing (on Debian/Ubuntu libxcb-cursor0 is not installed by default). Check
# first and print the one apt-get line that installs what is missing.
if ! .venv/bin/python -m odc_desktop.platform_check; then
    exit 1
fi
exec .venv/bin/odc-desktop "$@"
