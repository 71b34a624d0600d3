#!/usr/bin/env bash
# Builds every fuzz target (tests/fuzz/fuzz_*.c) as a libFuzzer program with
# AddressSanitizer and UndefinedBehaviorSanitizer (clang) in its own build
# directory and runs each for a bounded time, starting from its seed corpus
# tests/fuzz/corpus/NAME/ (read only: new inputs go to BUILD_DIR/fuzz/NAME/).
# Prints the executions per target; exits non-zero if any target crashed,
# leaked, hit a sanitizer report, broke one of its invariants or hung, and
# then names the saved input and the command that replays it.
#
#   FUZZ_TIME     seconds per target (default: 25)
#   FUZZ_TARGETS  target names, e.g. "fuzz_csv fuzz_decimal" (default: all)
#   BUILD_DIR     build directory (default: build-fuzz)
#   JOBS          parallel build jobs (default: 2)
#   FUZZ_ARGS     extra libFuzzer flags, e.g. "-max_len=65536"
set -euo pipefail

cd "$(dirname "$0")/../.."
scripts/deps.sh

build_dir=${BUILD_DIR:-build-fuzz}
seconds=${FUZZ_TIME:-25}
read -r -a extra <<<"${FUZZ_ARGS:-}"
if [ -n "${FUZZ_TARGETS:-}" ]; then
	read -r -a targets <<<"$FUZZ_TARGETS"
else
	targets=()
	for src in tests/fuzz/fuzz_*.c; do
		name=${src##*/}
		targets+=("${name%.c}")
	done
fi

cmake -S . -B "$build_dir" -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	-DCONTEST_FUZZ=ON -DCONTEST_SANITIZE=ON -DCONTEST_WERROR=ON >/dev/null
cmake --build "$build_dir" -j"${JOBS:-2}" --target "${targets[@]}"

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

failed=()
printf '\n%-20s %12s %10s %8s %8s  %s\n' target executions exec/s cov corpus result
for t in "${targets[@]}"; do
	seeds=tests/fuzz/corpus/${t#fuzz_}
	work=$build_dir/fuzz/${t#fuzz_}
	mkdir -p "$work/corpus" "$work/artifacts"
	rm -f "$work"/artifacts/*
	log=$work/last.log
	rc=0
	"$build_dir/tests/$t" -max_total_time="$seconds" -timeout=10 -print_final_stats=1 \
		-artifact_prefix="$work/artifacts/" "${extra[@]}" "$work/corpus" "$seeds" >"$log" 2>&1 || rc=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
	rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)
	cov=$(sed -n 's/.* cov: \([0-9]*\) .*/\1/p' "$log" | tail -n 1)
	corp=$(sed -n 's/.* corp: \([0-9]*\)\/.*/\1/p' "$log" | tail -n 1)
	result=ok
	if [ "$rc" -ne 0 ]; then
		result="FAILED (exit $rc)"
		failed+=("$t")
	fi
	printf '%-20s %12s %10s %8s %8s  %s\n' "$t" "${execs:-?}" "${rate:-?}" "${cov:-?}" "${corp:-?}" "$result"
done

for t in "${failed[@]}"; do
	work=$build_dir/fuzz/${t#fuzz_}
	printf '\n=== %s: last lines of %s\n' "$t" "$work/last.log"
	tail -n 40 "$work/last.log"
	for a in "$work"/artifacts/*; do
		[ -e "$a" ] || continue
		printf 'saved input: %s\n  replay: %s %s\n  or, without libFuzzer: build/tests/%s %s\n' \
			"$a" "$build_dir/tests/$t" "$a" "$t" "$a"
	done
done
[ ${#failed[@]} -eq 0 ]
