#!/usr/bin/env bash
# Make sure the browser suite has a Chromium to drive: CAREERFLOW_CHROMIUM when set, else
# Debian's /usr/bin/chromium. Playwright's own browser download cannot work on machines without
# access to its CDN, so the suite uses the distribution's build. Order: already there -> install
# Debian's `chromium` with apt as root -> stop with the exact commands to run.
set -euo pipefail

CHROMIUM=${CAREERFLOW_CHROMIUM:-/usr/bin/chromium}

say() { printf 'ensure-chromium: %s\n' "$*" >&2; }

works() { # the browser starts far enough to print its version
  [ -x "$CHROMIUM" ] && timeout 60 "$CHROMIUM" --version >/dev/null 2>&1
}

can_apt() { [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; }

# Debian's own package only: Ubuntu's "chromium" is a shim that installs a snap.
debian() { [ -r /etc/os-release ] && grep -qx 'ID=debian' /etc/os-release; }

manual_help() {
  cat >&2 <<HELP
ensure-chromium: no Chromium at $CHROMIUM, and it cannot be installed here.
The browser suite drives a Chromium that is already on the machine:
  Debian:         sudo apt-get install -y chromium
  Ubuntu:         sudo snap install chromium   (then CAREERFLOW_CHROMIUM=/snap/bin/chromium)
  macOS:          brew install --cask chromium
then, if it is not at /usr/bin/chromium, point the suite at it:
  export CAREERFLOW_CHROMIUM=/path/to/chromium
HELP
  exit 1
}

if works; then
  say "using $("$CHROMIUM" --version 2>/dev/null | head -n 1) at $CHROMIUM"
  exit 0
fi
if [ -n "${CAREERFLOW_CHROMIUM:-}" ]; then
  say "CAREERFLOW_CHROMIUM=$CAREERFLOW_CHROMIUM does not start"
  manual_help
fi
if can_apt && debian; then
  say "installing chromium with apt-get (not found at $CHROMIUM; running as root on $(. /etc/os-release && echo "$PRETTY_NAME"))"
  if ! { DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null &&
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }; then
    say "apt-get could not install chromium"
    manual_help
  fi
  if works; then
    say "installed $("$CHROMIUM" --version 2>/dev/null | head -n 1)"
    exit 0
  fi
  say "apt-get installed chromium, but $CHROMIUM does not start"
fi
manual_help
