#!/usr/bin/env bash
# Installs what is needed, builds, and runs InstaSync's demo: the Graph API
# simulator, a private PostgreSQL cluster, a real sync of the demo accounts,
# and the result summary; then, when there is a display, the app on the same
# simulator and database.
set -euo pipefail
cd "$(dirname "$0")/.."

./build-aux/install-deps.sh

if [ ! -f _build/build.ninja ]; then
  meson setup _build --buildtype=debugoptimized
fi
ninja -C _build

./_build/app/cli/instasyncctl --demo "$@"

if [ $# -eq 0 ] && { [ -n "${DISPLAY:-}" ] || [ -n "${WAYLAND_DISPLAY:-}" ]; } &&
   [ -x _build/app/gui/instasync ]; then
  # Run from the build tree: the settings schema is the one compiled there.
  export GSETTINGS_SCHEMA_DIR="$PWD/_build/data"
  exec ./_build/app/cli/instasyncctl --demo app
fi
