#!/usr/bin/env bash
# Installs every Debian 12 package InstaSync needs to build, test and run.
set -euo pipefail

packages=(
  # build
  meson ninja-build pkg-config gcc gettext
  # core
  libglib2.0-dev libglib2.0-bin libsoup-3.0-dev libjson-glib-dev libpq-dev tzdata
  # tokens are encrypted in the client, never on the server
  libsodium-dev
  # reads tokens an earlier version stored through pgcrypto, to seal them anew
  libgcrypt20-dev
  # the desktop's token key in the user's keyring (optional at build time)
  libsecret-1-dev
  # the GNOME app, and its tests on a private X server
  libgtk-4-dev libadwaita-1-dev libwebkitgtk-6.0-dev xvfb xauth dbus fonts-cantarell fonts-dejavu-core
  # the icons the app draws (symbolic SVGs need librsvg's loader)
  adwaita-icon-theme librsvg2-common
  # the embedded database and the tests' throwaway clusters
  postgresql postgresql-contrib
  # checks run by the test suite
  desktop-file-utils appstream gcovr
)

sudo=""
if [ "$(id -u)" -ne 0 ]; then
  sudo="sudo"
fi

# Skip apt when everything is there already: a second run is instant.
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing: ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
