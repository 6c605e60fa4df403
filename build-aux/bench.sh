#!/usr/bin/env bash
# Copyright 2026 Credify
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Builds InstaSync in release mode into _build-bench/ and runs the benchmark:
# the naive approach of the original integration and InstaSync, side by side,
# against the Graph API simulator and throwaway PostgreSQL clusters. Any
# argument is passed on, e.g. for a quick run:
#
#   build-aux/bench.sh --accounts 50 --backfill-accounts 3 --latency-ms 20
#
# The defaults are the full sizes (1000 accounts, a 50-account backfill,
# 100 ms per HTTP request, 200000 upserted rows) and take many minutes.
set -euo pipefail
cd "$(dirname "$0")/.."

./build-aux/install-deps.sh

dir=_build-bench
if [ ! -f "$dir/build.ninja" ]; then
  meson setup "$dir" --buildtype=release >/dev/null
fi
ninja -C "$dir" tests/bench/instasync-bench >&2

# So that the report shows the command that was typed, not only the binary.
INSTASYNC_BENCH_COMMAND="build-aux/bench.sh${*:+ $*}"
export INSTASYNC_BENCH_COMMAND
exec "./$dir/tests/bench/instasync-bench" "$@"
