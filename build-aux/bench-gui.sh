#!/usr/bin/env bash
# Copyright 2026 Credify
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Builds InstaSync in release mode into _build-bench-gui/ and runs the GUI
# benchmark: launch to first frame, the chart's redraw over two years and
# resident memory, each beside its baseline, with 20 accounts and two years
# of insights in a throwaway PostgreSQL cluster. Without a display it runs on
# a private Xvfb server with a D-Bus session of its own, as the GUI tests do.
# Any argument is passed on, e.g. for a quick run:
#
#   build-aux/bench-gui.sh --runs 3 --redraws 50
#
# The defaults (5 launches of each application, 200 redraws of each kind)
# take about a minute.
set -euo pipefail
cd "$(dirname "$0")/.."

./build-aux/install-deps.sh

dir=_build-bench-gui
if [ ! -f "$dir/build.ninja" ]; then
  meson setup "$dir" --buildtype=release >/dev/null
fi
ninja -C "$dir" tests/bench/gui/instasync-gui-bench tests/bench/gui/instasync-gui-bench-minimal \
  app/gui/instasync data/gschemas.compiled >&2

# As the GUI tests run: the software renderer, settings in memory from the
# build's compiled schemas, libadwaita's own styles, WebKit without sandbox
# or compositing (a container has neither user namespaces nor GL).
export GSK_RENDERER=cairo
export GSETTINGS_BACKEND=memory
export GSETTINGS_SCHEMA_DIR="$PWD/$dir/data"
export ADW_DISABLE_PORTAL=1
export WEBKIT_DISABLE_SANDBOX_THIS_IS_DANGEROUS=1
export WEBKIT_DISABLE_COMPOSITING_MODE=1

if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  export INSTASYNC_BENCH_DISPLAY="a private Xvfb 1600x1200x24 and D-Bus session (tests/gui/run-with-display.sh)"
fi

# So that the report shows the command that was typed, not only the binary.
INSTASYNC_BENCH_COMMAND="build-aux/bench-gui.sh${*:+ $*}"
export INSTASYNC_BENCH_COMMAND
exec ./tests/gui/run-with-display.sh "./$dir/tests/bench/gui/instasync-gui-bench" "$@"
