#!/usr/bin/env bash
# Group commit benchmark: score submissions per second through contestd with
# its default group commit, against the baseline of one transaction (one
# fsync) per submission (--max-batch 1), in the same run on the same machine.
# Sets up a generated contest on a temporary database, runs bench_commit
# against each mode RUNS times (interleaved, each on a fresh copy of the same
# database), and prints the medians and their ratio. 127.0.0.1 only; stops by
# itself.
#
#   BUILD_DIR     where the binaries are (default: build)
#   RUNS          runs per mode (default 3)
#   BENCH_SECONDS length of one run (default 5)
#   CONNECTIONS   concurrent connections (default 64)
#   JUDGES CONTESTANTS CRITERIA   size of the generated event (16, 200, 10)
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD_DIR:-$root/build}
case $build in /*) ;; *) build=$root/$build ;; esac
contestd=${CONTESTD:-$build/contestd/contestd}
cli=${JUDGE_CLI:-$build/judge-cli/judge-cli}
bench=${BENCH_COMMIT:-$build/bench/bench_commit}
runs=${RUNS:-3}
seconds=${BENCH_SECONDS:-5}
connections=${CONNECTIONS:-64}
n_judges=${JUDGES:-16}
n_contestants=${CONTESTANTS:-200}
n_criteria=${CRITERIA:-10}

for b in "$contestd" "$cli" "$bench"; do
	[ -x "$b" ] || { echo "run_commit.sh: $b is missing; build first (scripts/test.sh or cmake --build build)" >&2; exit 1; }
done
for t in curl python3 sqlite3; do
	command -v "$t" >/dev/null || { echo "run_commit.sh: $t is missing (scripts/deps.sh installs it)" >&2; exit 1; }
done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/bench-commit.XXXXXX")
server_pid=''
cleanup() {
	if [ -n "$server_pid" ]; then
		kill -TERM "$server_pid" 2>/dev/null || true
		wait "$server_pid" 2>/dev/null || true
	fi
	rm -rf "$tmp"
}
trap cleanup EXIT
export HOME=$tmp   # judge-cli keeps its login here, not in the caller's home

# Starts contestd on a database in the background; sets server_pid and url.
start_server() {
	local db=$1 log=$2 i
	shift 2
	: >"$log"
	"$contestd" --db "$db" --listen 127.0.0.1:0 --public-url http://127.0.0.1 "$@" </dev/null 2>"$log" >&2 &
	server_pid=$!
	url=''
	for ((i = 0; i < 300; i++)); do
		kill -0 "$server_pid" 2>/dev/null || { cat "$log" >&2; echo "run_commit.sh: contestd exited" >&2; exit 1; }
		url=$(grep -o 'listening on http://[^[:space:]]*' "$log" | head -n 1 | cut -c 14-) || true
		if [ -n "$url" ] && curl -fsS --max-time 2 "$url/healthz" >/dev/null 2>&1; then
			return 0
		fi
		sleep 0.1
	done
	cat "$log" >&2
	echo "run_commit.sh: contestd did not come up within 30 s" >&2
	exit 1
}

stop_server() {
	kill -TERM "$server_pid"
	wait "$server_pid" || { echo "run_commit.sh: contestd did not exit cleanly after SIGTERM" >&2; exit 1; }
	server_pid=''
}

login() { # JSON body -> token
	curl -fsS -X POST "$url/api/v1/login" -H 'Content-Type: application/json' -d "$1" |
		python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])'
}

echo "run_commit.sh: setting up an event of $n_contestants contestants, $n_criteria criteria, $n_judges judges"
python3 - "$tmp" "$n_judges" "$n_contestants" "$n_criteria" <<'PY'
import sys
d, nj, nc, ncr = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
def write(name, header, rows):
    with open(f"{d}/{name}.csv", "w", encoding="utf-8") as f:
        f.write(header + "\n")
        for r in rows:
            f.write(",".join(str(x) for x in r) + "\n")
write("events", "code,name", [("BENCH", "基准测试赛项")])
write("criteria", "event,module,module_name,module_weight,code,description,max,method",
      [("BENCH", "A", "实操", "", f"C{i:02d}", f"评分项{i}", 10, "mean") for i in range(1, ncr + 1)])
write("contestants", "reg_id,name,organization,event",
      [(f"B{i:05d}", f"选手{i}", f"参赛单位{i % 50}", "BENCH") for i in range(1, nc + 1)])
write("judges", "code,name,organization,pin,event,role",
      [(f"J{i:03d}", f"裁判{i}", f"裁判单位{i}", f"{800000 + i:06d}", "BENCH", "judge") for i in range(1, nj + 1)])
PY

start_server "$tmp/template.db" "$tmp/setup.log" --contest-code BENCH --contest-name 基准测试
admin=$(login "{\"secret\":\"$(tr -d '\n' <"$tmp/template.db.admin-secret")\"}")
for what in events criteria contestants judges; do
	CONTEST_TOKEN=$admin "$cli" --server "$url" import "$what" "$tmp/$what.csv" >/dev/null
done
CONTEST_TOKEN=$admin "$cli" --server "$url" draw BENCH >/dev/null
# Judges log in once here; their tokens live in the database, so every copy
# of it accepts them.
: >"$tmp/tokens"
for ((j = 1; j <= n_judges; j++)); do
	printf -v code 'J%03d' "$j"
	printf -v pin '%06d' "$((800000 + j))"
	login "{\"judge\":\"$code\",\"pin\":\"$pin\"}" >>"$tmp/tokens"
done
curl -fsS "$url/api/v1/events/BENCH/contestants" -H "Authorization: Bearer $admin" |
	python3 -c 'import json,sys; [print(c["code"]) for c in json.load(sys.stdin)["contestants"] if c.get("code")]' \
		>"$tmp/codes"
[ "$(wc -l <"$tmp/codes")" -eq "$n_contestants" ] || { echo "run_commit.sh: expected $n_contestants anonymous codes" >&2; exit 1; }
stop_server
criteria=$(seq -f 'C%02g' -s , 1 "$n_criteria")

# One run: a fresh copy of the set-up database, contestd with the given flags,
# bench_commit against it, then a check that every acknowledged submission
# is in the database. Leaves bench_commit's summary line in $line.
run_once() {
	local name=$1 stored ok
	per_commit=
	shift
	rm -f "$tmp/run.db" "$tmp/run.db-wal" "$tmp/run.db-shm"
	cp "$tmp/template.db" "$tmp/run.db"
	[ ! -f "$tmp/template.db-wal" ] || cp "$tmp/template.db-wal" "$tmp/run.db-wal"
	cp "$tmp/template.db.admin-secret" "$tmp/run.db.admin-secret"
	start_server "$tmp/run.db" "$tmp/$name.log" "$@"
	line=$("$bench" --url "$url" --event BENCH --tokens "$tmp/tokens" --codes "$tmp/codes" \
		--criteria "$criteria" --connections "$connections" --seconds "$seconds") || {
		echo "run_commit.sh: bench_commit failed: $line" >&2
		exit 1
	}
	stop_server
	# contestd's last log line: "... N scores in M group commits"
	per_commit=$(sed -n 's/.* \([0-9][0-9]*\) scores in \([0-9][0-9]*\) group commits.*/\1 \2/p' "$tmp/$name.log" |
		awk '{ if ($2 > 0) printf "%.1f", $1 / $2; else print "?" }')
	stored=$(sqlite3 "$tmp/run.db" 'SELECT count(*) FROM score_revisions')
	ok=$(sed -n 's/.* ok=\([0-9]*\).*/\1/p' <<<"$line")
	if [ "$stored" -lt "$ok" ]; then
		echo "run_commit.sh: $ok submissions acknowledged but only $stored stored" >&2
		exit 1
	fi
}

field() { sed -n "s/.* $1=\([0-9.]*\).*/\1/p" <<<"$2"; }

declare -a g_rate g_p50 g_p99 b_rate b_p50 b_p99
echo "run_commit.sh: $runs runs per mode, ${seconds}s each, $connections connections"
for ((r = 1; r <= runs; r++)); do
	run_once group
	g_rate+=("$(field rate "$line")") g_p50+=("$(field p50_ms "$line")") g_p99+=("$(field p99_ms "$line")")
	printf '  run %d  group commit      %9.1f submissions/s  p50 %7.2f ms  p99 %7.2f ms  %s per commit\n' \
		"$r" "${g_rate[-1]}" "${g_p50[-1]}" "${g_p99[-1]}" "${per_commit:-?}"
	run_once baseline --max-batch 1
	b_rate+=("$(field rate "$line")") b_p50+=("$(field p50_ms "$line")") b_p99+=("$(field p99_ms "$line")")
	printf '  run %d  --max-batch 1     %9.1f submissions/s  p50 %7.2f ms  p99 %7.2f ms  %s per commit\n' \
		"$r" "${b_rate[-1]}" "${b_p50[-1]}" "${b_p99[-1]}" "${per_commit:-?}"
done

median() { printf '%s\n' "$@" | sort -g | awk '{v[NR]=$1} END {print (NR%2 ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2)}'; }
gr=$(median "${g_rate[@]}") br=$(median "${b_rate[@]}")
echo
printf 'median  group commit      %9.1f submissions/s  p50 %7.2f ms  p99 %7.2f ms\n' \
	"$gr" "$(median "${g_p50[@]}")" "$(median "${g_p99[@]}")"
printf 'median  --max-batch 1     %9.1f submissions/s  p50 %7.2f ms  p99 %7.2f ms\n' \
	"$br" "$(median "${b_p50[@]}")" "$(median "${b_p99[@]}")"
awk -v g="$gr" -v b="$br" 'BEGIN { if (b > 0) printf "ratio   group commit / one commit per submission: %.1fx\n", g / b }'
