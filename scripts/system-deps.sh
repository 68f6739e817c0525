#!/usr/bin/env bash
# Checks the system packages Concord needs beyond Python and Node.js, and installs the
# missing ones with apt-get when run as root. Usage: scripts/system-deps.sh run|test
set -euo pipefail

what=${1:-run}
missing=()

command -v msgfmt >/dev/null 2>&1 || missing+=(gettext)
if [ "$what" = test ]; then
  [ -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ] || missing+=(chromium)
  compgen -G "/usr/lib/postgresql/*/bin/pg_ctl" >/dev/null || missing+=(postgresql)
fi

[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing system packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "Concord needs these system packages: ${missing[*]}" >&2
  echo "Install them, for example: sudo apt-get install ${missing[*]}" >&2
  exit 1
fi
