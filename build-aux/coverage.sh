#!/usr/bin/env bash
# Line coverage of app/core from the whole test suite (gcovr).
set -euo pipefail
cd "$(dirname "$0")/.."

./build-aux/install-deps.sh

dir=_build-coverage
if [ ! -f "$dir/build.ninja" ]; then
  meson setup "$dir" -Db_coverage=true --buildtype=debug >/dev/null
fi
ninja -C "$dir"
find "$dir" -name '*.gcda' -delete
meson test -C "$dir" --num-processes 2 --print-errorlogs
gcovr --root . --filter 'app/core/' --object-directory "$dir" --print-summary \
      --txt "$dir/coverage.txt"
cat "$dir/coverage.txt"
