#!/usr/bin/env bash
# Installs the Debian 12 packages the project needs to build, test and run,
# only those not installed yet. Silent when nothing is missing; uses sudo when
# not run as root. Safe to run again and again.
set -euo pipefail

packages=(
	build-essential cmake pkg-config
	libevent-dev libsqlite3-dev libjansson-dev libsodium-dev
	libqrencode-dev libpng-dev libcmocka-dev libgmp-dev
	sqlite3 curl python3 zbar-tools
	chromium fonts-noto-cjk python3-cryptography
	nodejs
	wrk linux-perf
	nginx-light
	clang libclang-rt-14-dev
	systemd util-linux
)

missing=()
for p in "${packages[@]}"; do
	status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
	[ "$status" = "install ok installed" ] || missing+=("$p")
done
# npm for the browser tests' playwright-core; some nodejs packages (e.g.
# NodeSource's) include it, Debian's does not.
command -v npm >/dev/null 2>&1 || missing+=(npm)
[ ${#missing[@]} -eq 0 ] && exit 0

as_root=()
if [ "$(id -u)" -ne 0 ]; then
	if ! command -v sudo >/dev/null 2>&1; then
		echo "deps.sh: missing packages: ${missing[*]}" >&2
		echo "deps.sh: run this script as root (sudo is not installed)" >&2
		exit 1
	fi
	as_root=(sudo)
fi

echo "deps.sh: installing ${missing[*]}" >&2
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive \
	apt-get install -y -qq --no-install-recommends "${missing[@]}" </dev/null
