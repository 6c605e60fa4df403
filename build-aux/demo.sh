#!/usr/bin/env bash
# Installs what is needed, builds, and runs InstaSync's demo: the Graph API
# simulator, a private PostgreSQL cluster, a real sync of the demo accounts,
# and the result summary.
set -euo pipefail
cd "$(dirname "$0")/.."

./build-aux/install-deps.sh

if [ ! -f _build/build.ninja ]; then
  meson setup _build --buildtype=debugoptimized
fi
ninja -C _build

exec ./_build/app/cli/instasyncctl --demo "$@"
