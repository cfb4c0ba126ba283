#!/bin/sh
# `npm run bench` needs socat (real pty pairs), for S8 Chromium, for S13 Mosquitto. Installs what is missing
# when it can (root with apt-get, as on a fresh Debian machine), else says what to install.
set -e
missing=""
command -v socat >/dev/null 2>&1 || missing="$missing socat"
[ -x /usr/bin/chromium ] || missing="$missing chromium"
command -v mosquitto >/dev/null 2>&1 || missing="$missing mosquitto"
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "bench: installing$missing" >&2
  DEBIAN_FRONTEND=noninteractive apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null
else
  echo "bench: please install$missing (e.g. sudo apt-get install$missing)" >&2
  exit 1
fi
