#!/usr/bin/env bash
# Installs what is needed, builds InstaSync twice (plain, and with
# AddressSanitizer + UndefinedBehaviorSanitizer), runs the whole test suite in
# both builds, and ends with the line "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."

./build-aux/install-deps.sh || exit 1

status=0
logs=()
for variant in plain sanitize; do
  dir="_build-test-$variant"
  opts=(--buildtype=debugoptimized)
  [ "$variant" = sanitize ] && opts+=(-Dsanitize=true)
  if [ ! -f "$dir/build.ninja" ]; then
    meson setup "$dir" "${opts[@]}" >/dev/null || exit 1
  fi
  echo "== $variant build =="
  ninja -C "$dir" || exit 1
  meson test -C "$dir" --print-errorlogs --num-processes 2 || status=1
  logs+=("$dir/meson-logs/testlog.json")
done

# Count from meson's own test log, every test of both builds.
python3 build-aux/count-tests.py "${logs[@]}" || status=1
exit $status
