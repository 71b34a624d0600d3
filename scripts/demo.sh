#!/usr/bin/env bash
# The demo: installs what is missing, builds, and leaves contestd running in
# the background on ./demo.db with a demo contest of two events (imported from
# demo/*.csv the first time), then prints where to look and how to log in.
# The expected results are worked out by hand in demo/README.md.
set -euo pipefail

usage() {
	cat <<'USAGE'
usage: scripts/demo.sh [--listen ADDR:PORT] [--db FILE] [--public-url URL] [--reset] [--check]
       scripts/demo.sh --stop [--db FILE]

Builds the project and starts contestd in the background with the demo
contest of demo/*.csv. An existing demo database is reused as it is.

  --listen ADDR:PORT  where contestd listens (default 127.0.0.1:8080, env
                      DEMO_LISTEN; port 0 picks a free port)
  --db FILE           the demo database (default ./demo.db, env DEMO_DB); the
                      log (demo.log) and pid file (demo.pid) go beside it
  --public-url URL    contestd's public base URL (env DEMO_PUBLIC_URL; default
                      contestd's own, http://ADDR:PORT)
  BUILD_DIR           the build directory (env only; default build)
  --reset             delete the demo database and import the demo afresh
  --check             compare the results with demo/expected-results.csv
  --stop              stop the demo's contestd and exit
USAGE
}

root=$(cd "$(dirname "$0")/.." && pwd)
listen=${DEMO_LISTEN:-127.0.0.1:8080}
db=${DEMO_DB:-$root/demo.db}
public_url=${DEMO_PUBLIC_URL:-}
reset=0 check=0 stop=0
while [ $# -gt 0 ]; do
	case $1 in
	--listen) listen=${2:?--listen needs ADDR:PORT}; shift 2 ;;
	--db) db=${2:?--db needs a file}; shift 2 ;;
	--public-url) public_url=${2:?--public-url needs a URL}; shift 2 ;;
	--reset) reset=1; shift ;;
	--check) check=1; shift ;;
	--stop) stop=1; shift ;;
	-h | --help) usage; exit 0 ;;
	*) echo "demo.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
	esac
done
case $listen in
*:*) ;;
*) echo "demo.sh: --listen wants ADDR:PORT, got '$listen'" >&2; exit 2 ;;
esac

# Absolute paths, resolved from the caller's directory, then work from the root.
case $db in /*) ;; *) db=$PWD/$db ;; esac
cd "$root"
db_dir=$(dirname "$db")
log=$db_dir/demo.log
pidfile=$db_dir/demo.pid
secret_file=$db.admin-secret
build=${BUILD_DIR:-$root/build}
case $build in /*) ;; *) build=$root/$build ;; esac
contestd=$build/contestd/contestd
cli=$build/judge-cli/judge-cli

# Shows a path relative to the repository root when it is inside it.
rel() { case $1 in "$root"/*) printf '%s' "${1#"$root"/}" ;; *) printf '%s' "$1" ;; esac; }

# The pid of the contestd this demo started on this database, if it still runs.
running_pid() {
	local pid
	[ -f "$pidfile" ] || return 1
	pid=$(cat "$pidfile" 2>/dev/null) || return 1
	case $pid in '' | *[!0-9]*) return 1 ;; esac
	kill -0 "$pid" 2>/dev/null || return 1
	[ "$(cat "/proc/$pid/comm" 2>/dev/null)" = contestd ] || return 1
	tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- " --db $db " || return 1
	echo "$pid"
}

# Stops the demo's contestd (SIGTERM, then SIGKILL after 15 s).
stop_demo() {
	local pid i
	if ! pid=$(running_pid); then
		rm -f "$pidfile"
		return 1
	fi
	kill -TERM "$pid"
	for ((i = 0; i < 150; i++)); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	if kill -0 "$pid" 2>/dev/null; then
		echo "demo.sh: contestd (pid $pid) ignored SIGTERM for 15 s; killing it" >&2
		kill -KILL "$pid" 2>/dev/null || true
	fi
	rm -f "$pidfile"
	echo "$pid"
}

if [ "$stop" = 1 ]; then
	if pid=$(stop_demo); then
		echo "demo.sh: stopped contestd (pid $pid); the database $(rel "$db") is kept"
	else
		echo "demo.sh: no demo contestd is running for $(rel "$db")"
	fi
	exit 0
fi

scripts/deps.sh
echo "demo.sh: building contestd and judge-cli in $(rel "$build")/"
cmake -S . -B "$build" >/dev/null
cmake --build "$build" -j2 --target contestd judge-cli

if pid=$(stop_demo); then
	echo "demo.sh: stopped the contestd of the previous demo (pid $pid)"
fi
if [ "$reset" = 1 ]; then
	rm -f "$db" "$db-wal" "$db-shm" "$db-journal" "$secret_file"
fi
fresh=0
[ -e "$db" ] || fresh=1

host=${listen%:*}
port=${listen##*:}
args=(--db "$db" --listen "$listen")
[ -z "$public_url" ] || args+=(--public-url "$public_url")
if [ "$fresh" = 1 ]; then
	args+=(--contest-code DEMO2026 --contest-name "2026年市职业技能大赛（演示）")
fi

# From here on, a failure on a new database leaves no half-imported demo
# behind: the next run starts afresh.
imported=0
cleanup() {
	if [ "$fresh" = 1 ] && [ "$imported" = 0 ]; then
		echo "demo.sh: the demo did not start; stopping contestd and removing $(rel "$db")" >&2
		stop_demo >/dev/null || true
		rm -f "$db" "$db-wal" "$db-shm" "$db-journal" "$secret_file"
	fi
}
trap cleanup EXIT

mkdir -p "$db_dir"
# contestd runs in a session of its own so that it outlives this script, the
# terminal and sudo; it writes its own pid into the pid file before it starts.
log_offset=$(stat -c %s "$log" 2>/dev/null || echo 0)
printf '\n--- %s scripts/demo.sh: %s %s\n' "$(date -Iseconds)" "$(rel "$contestd")" "${args[*]}" >>"$log"
rm -f "$pidfile"
setsid bash -c 'echo $$ >"$0"; exec "$@"' "$pidfile" "$contestd" "${args[@]}" </dev/null >>"$log" 2>&1 &

new_log() { tail -c +$((log_offset + 1)) "$log"; }
fail_start() {
	echo "demo.sh: $*; the end of $(rel "$log"):" >&2
	new_log | tail -n 20 >&2
	exit 1
}

# Wait for the pid, the address (port 0: read from the log) and /healthz.
url='' pid='' health=''
for ((i = 0; i < 300; i++)); do
	if [ -z "$pid" ] && [ -s "$pidfile" ]; then
		pid=$(cat "$pidfile")
	fi
	if [ -n "$pid" ] && ! kill -0 "$pid" 2>/dev/null; then
		if new_log | grep -q 'cannot listen'; then
			echo "demo.sh: is another program on $listen? Try: scripts/demo.sh --listen 127.0.0.1:8081" >&2
		fi
		fail_start "contestd exited at start-up"
	fi
	if [ -z "$url" ]; then
		if [ "$port" = 0 ]; then
			url=$(new_log | grep -o 'listening on http://[^[:space:]]*' | tail -n 1 | cut -c 14-) || true
		else
			case $host in '' | 0.0.0.0 | '[::]') url=http://127.0.0.1:$port ;; *) url=http://$listen ;; esac
		fi
	fi
	if [ -n "$pid" ] && [ -n "$url" ] && health=$(curl -fsS --max-time 2 "$url/healthz" 2>/dev/null); then
		break
	fi
	sleep 0.1
done
[ -n "$health" ] || fail_start "contestd did not answer $url/healthz within 30 s"

cli() { "$cli" --server "$url" "$@"; }

[ -s "$secret_file" ] || fail_start "contestd did not write the admin secret file $(rel "$secret_file")"
cli login --admin --secret-file "$secret_file" >/dev/null

if [ "$fresh" = 1 ]; then
	echo "demo.sh: importing the demo contest from demo/*.csv"
	cli import events demo/events.csv
	cli import criteria demo/criteria.csv
	cli import contestants demo/contestants.csv
	cli import judges demo/judges.csv
	cli draw CNC
	cli draw CARE
	cli import checkin demo/checkin.csv
	cli import scores demo/scores.csv
	cli lock CNC
else
	echo "demo.sh: reusing the existing $(rel "$db") (scripts/demo.sh --reset starts afresh)"
fi
imported=1

if [ "$check" = 1 ]; then
	echo "demo.sh: checking the results against demo/expected-results.csv"
	token=$(curl -fsS -X POST "$url/api/v1/login" -H 'Content-Type: application/json' \
		-d "{\"secret\":\"$(tr -d '\n' <"$secret_file")\"}" |
		python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
	results_dir=$(mktemp -d)
	for event in CNC CARE; do
		curl -fsS "$url/api/v1/events/$event/results" -H "Authorization: Bearer $token" >"$results_dir/$event.json"
	done
	python3 - "$results_dir" demo/expected-results.csv <<'PY'
import csv, json, sys
out_dir, expected_csv = sys.argv[1], sys.argv[2]
bad = 0
expected = {}
for row in csv.DictReader(open(expected_csv, encoding="utf-8")):
    expected.setdefault(row["event"], []).append(row)
for event, rows in expected.items():
    got = json.load(open(f"{out_dir}/{event}.json", encoding="utf-8"))["results"]
    # Marks are compared for ranked contestants only: what the server shows as
    # the total of an absent one is not part of the expected results.
    seen = [(r["reg_id"], r["name"], r["status"],
             ";".join(r["modules"]) if r["rank"] else "", (r["total"] or "") if r["rank"] else "",
             str(r["rank"] or ""), r["award"] or "") for r in got]
    want = [(r["reg_id"], r["name"], r["status"], r["module_scores"], r["total"], r["rank"],
             r["award"]) for r in rows]
    if seen != want:
        bad = 1
        print(f"demo.sh: {event}: results differ from {expected_csv}", file=sys.stderr)
        for i in range(max(len(want), len(seen))):
            w = want[i] if i < len(want) else None
            s = seen[i] if i < len(seen) else None
            mark = " " if w == s else "!"
            print(f"  {mark} expected {w}\n  {mark} got      {s}", file=sys.stderr)
    else:
        print(f"demo.sh: {event}: {len(seen)} rows as expected")
sys.exit(bad)
PY
	rm -rf "$results_dir"
fi

jcli=$(rel "$cli")
stop_cmd="scripts/demo.sh --stop"
[ "$db" = "$root/demo.db" ] || stop_cmd="$stop_cmd --db $(rel "$db")"

echo
cli results CNC || true
echo
cat <<EOF
contestd is running in the background (pid $pid) on $(rel "$db").

  server        $url   (JSON API under /api/v1: docs/API.md)
  health        curl $url/healthz   ->  $health
  admin secret  $(rel "$secret_file")   (mode 0600; also shown once in the log)
  log           $(rel "$log")
  stop          $stop_cmd   (or: kill $pid)

judge-cli is logged in as the admin (it keeps the server of the last login):
  $jcli event list
  $jcli results CNC                 CNC 数控铣 is locked: its scores no longer change
  $jcli results CARE --format csv   CARE 婴幼儿照护 is open for scoring
  $jcli contestants CARE            the anonymous codes
As a judge (PINs in demo/judges.csv; a judge's login replaces the admin's):
  $jcli login --judge J04 --pin 112233
  $jcli sheet CARE
  $jcli score CARE CODE A2 9.5      a revision: CARE's results change
As CARE's chief judge:
  $jcli login --judge J08 --pin 808080
  $jcli progress CARE               who owes what, discrepancies (also: scores, stats, accept, lock)
Back to the admin:
  $jcli login --admin --secret-file $(rel "$secret_file")
The demo data and its expected results, worked out by hand: demo/README.md.
EOF
