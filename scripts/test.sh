#!/usr/bin/env bash
# Installs what is missing, configures and builds the project, and runs every
# test with ctest. Exits non-zero if anything fails.
#
#   BUILD_DIR   build directory (default: build)
#   CMAKE_ARGS  extra cmake arguments, e.g. "-DCONTEST_WERROR=ON -DCONTEST_SANITIZE=ON"
#   CTEST_ARGS  extra ctest arguments, e.g. "-R integration" or "-L unit"
#   JOBS        parallel build and test jobs (default: 2)
set -euo pipefail

cd "$(dirname "$0")/.."
scripts/deps.sh

# playwright-core for the browser tests, as pinned in tests/browser's
# package-lock.json; installed again only when the lock file changed.
stamp=tests/browser/node_modules/.installed-lock.json
if ! cmp -s tests/browser/package-lock.json "$stamp" 2>/dev/null; then
	if ! (cd tests/browser && npm ci --no-audit --no-fund --loglevel=error); then
		echo "test.sh: npm ci in tests/browser failed; the browser tests cannot run" >&2
		exit 1
	fi
	cp tests/browser/package-lock.json "$stamp"
fi

build_dir=${BUILD_DIR:-build}
jobs=${JOBS:-2}
read -r -a extra <<<"${CMAKE_ARGS:-}"
read -r -a ctest_extra <<<"${CTEST_ARGS:-}"

# The options are set explicitly every time so that a build directory left
# configured by an earlier run (say with the sanitizers) builds what this run
# asks for; CMAKE_ARGS comes last and wins.
cmake -S . -B "$build_dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	-DCONTEST_WERROR=OFF -DCONTEST_SANITIZE=OFF "${extra[@]}"
cmake --build "$build_dir" -j"$jobs"

cd "$build_dir"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
ctest --output-on-failure -j"$jobs" "${ctest_extra[@]}"
