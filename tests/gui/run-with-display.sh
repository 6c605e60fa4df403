#!/bin/sh
# Runs a GUI test on the display it is given, or on a private Xvfb server
# with a D-Bus session of its own when there is none (CI, a terminal over ssh).
if [ -n "${DISPLAY:-}" ] || [ -n "${WAYLAND_DISPLAY:-}" ]; then
  exec "$@"
fi
here=$(dirname "$0")
exec xvfb-run -a -s "-screen 0 1600x1200x24" \
  dbus-run-session --config-file="$here/session-bus.conf" -- "$@"
