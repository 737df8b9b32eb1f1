#!/bin/sh
# Installs what `npm run bench` drives when it is missing: dnsperf, knot (knotd) and unbound, from
# Debian's archive with apt-get, as .ci/run does for the tests. Needs root only when something is missing.
set -eu
missing=""
command -v dnsperf >/dev/null 2>&1 || missing="$missing dnsperf"
[ -x /usr/sbin/knotd ] || missing="$missing knot"
[ -x /usr/sbin/unbound ] || missing="$missing unbound"
[ -z "$missing" ] && exit 0
if [ "$(id -u)" != 0 ]; then
  echo "bench: missing$missing; run as root or: sudo apt-get install -y$missing" >&2
  exit 1
fi
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing
