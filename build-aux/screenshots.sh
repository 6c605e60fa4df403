#!/usr/bin/env bash
# Copyright 2026 Credify
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Renders the app's main states to docs/screenshots/*.png: the GUI tests
# drive the real app against the Graph API simulator and a throwaway
# PostgreSQL, and save each state they reach there. Under Xvfb when there is
# no display, like the tests.
set -euo pipefail
cd "$(dirname "$0")/.."

./build-aux/install-deps.sh

dir=_build
if [ ! -f "$dir/build.ninja" ]; then
  meson setup "$dir" --buildtype=debugoptimized >/dev/null
fi
ninja -C "$dir" >&2

out="$PWD/docs/screenshots"
mkdir -p "$out"
INSTASYNC_SCREENSHOT_DIR="$out" meson test -C "$dir" --suite gui \
  test-window test-connect test-chart --print-errorlogs >&2
ls -1 "$out"
