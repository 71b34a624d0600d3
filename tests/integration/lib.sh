# Shared harness of the integration and fault tests (sourced, not run).
#
# Makes a temporary directory (removed on exit, with any contestd it started),
# starts the real contestd on 127.0.0.1 with a free port and a fresh database,
# points judge-cli at it with an isolated HOME and token file, and logs in as
# the admin. Every wait is bounded. On any failure it says what failed and
# prints the tail of contestd's log.
#
# Environment (set by ctest): CONTESTD, JUDGE_CLI, TESTS_DIR, SOURCE_DIR.

set -euo pipefail

: "${CONTESTD:?CONTESTD must name the contestd binary}"
: "${JUDGE_CLI:?JUDGE_CLI must name the judge-cli binary}"
TESTS_DIR=${TESTS_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
IT_DIR="$TESTS_DIR/integration"
TEST_NAME=$(basename "$0" .sh)

[ -x "$CONTESTD" ] || { echo "$TEST_NAME: FAIL: contestd binary $CONTESTD is missing" >&2; exit 1; }
[ -x "$JUDGE_CLI" ] || { echo "$TEST_NAME: FAIL: judge-cli binary $JUDGE_CLI is missing" >&2; exit 1; }

# The python3 on PATH may be a slow wrapper (pyenv shims take a second per
# start): resolve the real interpreter once.
PY=$(command -v /usr/bin/python3 || true)
[ -n "$PY" ] || PY=$(python3 -c 'import sys; print(sys.executable)')
python3() { "$PY" "$@"; }

T=$(mktemp -d "${TMPDIR:-/tmp}/$TEST_NAME.XXXXXX")
DB="$T/contest.db"
LOG="$T/contestd.log"
CONTESTD_PID=
S=
ADMIN_TOKEN=
LAST_STATUS=
LAST_BODY=
CALL_NO=0

# Isolated client configuration: nothing from the developer's home leaks in.
export HOME="$T/home"
export XDG_CONFIG_HOME="$T/home/.config"
export JUDGE_CLI_TOKEN_FILE="$T/token-admin"
unset CONTEST_TOKEN CONTEST_SERVER http_proxy https_proxy HTTP_PROXY HTTPS_PROXY all_proxy ALL_PROXY || true
export NO_PROXY='*' no_proxy='*'
mkdir -p "$HOME"

log_tail() {
	if [ -s "$LOG" ]; then
		echo "---- last lines of contestd's log ($LOG) ----" >&2
		tail -n "${1:-30}" "$LOG" >&2
		echo "----" >&2
	fi
}

# fail MESSAGE: stop the test loudly.
fail() {
	trap - ERR
	echo "$TEST_NAME: FAIL: $*" >&2
	log_tail 40
	exit 1
}

# soft_fail MESSAGE: a failure that lets the test go on to find more; the
# test still fails at the end.
SOFT_FAILS=()
soft_fail() {
	local msg="$*"
	msg=${msg//$'\n'/ }
	echo "$TEST_NAME: FAIL (continuing): $msg" >&2
	SOFT_FAILS+=("$msg")
}

on_err() {
	local rc=$? line=$1 cmd=$2
	trap - ERR
	echo "$TEST_NAME: FAIL: command exited $rc at line $line: $cmd" >&2
	log_tail 40
	exit 1
}
trap 'on_err $LINENO "$BASH_COMMAND"' ERR
set -o errtrace

# stop_contestd: SIGTERM, up to 5 s to finish, then SIGKILL. Sets
# CONTESTD_EXIT to its exit status ("killed" if it had to be killed).
CONTESTD_EXIT=
stop_contestd() {
	CONTESTD_EXIT=
	if [ -z "$CONTESTD_PID" ]; then
		return 0
	fi
	# A contestd that already exited by itself (a SIGTERM sent by the test
	# itself, a lost database) is still reaped: its status is what counts.
	if kill -0 "$CONTESTD_PID" 2>/dev/null; then
		kill -TERM "$CONTESTD_PID" 2>/dev/null || true
		local i
		for i in $(seq 1 50); do
			kill -0 "$CONTESTD_PID" 2>/dev/null || break
			sleep 0.1
		done
	fi
	if kill -0 "$CONTESTD_PID" 2>/dev/null; then
		kill -KILL "$CONTESTD_PID" 2>/dev/null || true
		wait "$CONTESTD_PID" 2>/dev/null || true
		CONTESTD_EXIT=killed
	else
		CONTESTD_EXIT=0
		wait "$CONTESTD_PID" 2>/dev/null || CONTESTD_EXIT=$?
	fi
	CONTESTD_PID=
}

cleanup() {
	local rc=$?
	trap - ERR
	if [ ${#SOFT_FAILS[@]} -gt 0 ]; then
		echo "$TEST_NAME: FAIL: ${#SOFT_FAILS[@]} check(s) failed:" >&2
		printf '  %s\n' "${SOFT_FAILS[@]}" >&2
		[ $rc -ne 0 ] || log_tail 20
		rc=1
	fi
	stop_contestd
	kill "$WATCHDOG_PID" 2>/dev/null || true
	# background workers of a test, if any
	local p
	for p in $(jobs -p); do kill "$p" 2>/dev/null || true; done
	if [ -n "${KEEP_TMP:-}" ]; then
		echo "$TEST_NAME: kept $T" >&2
	else
		rm -rf "$T"
	fi
	exit $rc
}
trap cleanup EXIT
trap 'fail "interrupted (SIGTERM/SIGINT: the time limit of ${TEST_TIMEOUT}s, or ctest'"'"'s)"' TERM INT

# A watchdog: no test may run longer than TEST_TIMEOUT seconds. (Wait for
# specific pids in tests, never a bare "wait": contestd is a child too.)
TEST_TIMEOUT=${TEST_TIMEOUT:-240}
(
	exec >/dev/null 2>&1
	sleep "$TEST_TIMEOUT" &
	sp=$!
	trap 'kill $sp; exit 0' TERM
	wait $sp && kill -TERM $$
) &
WATCHDOG_PID=$!

note() { echo "$TEST_NAME: $*"; }

# start_contestd [extra contestd flags...]: starts contestd on DB with the
# flags CONTESTD_DEFAULTS (a test may change them) and the extra ones, waits
# up to 10 s for "contestd: listening on http://127.0.0.1:PORT", sets S and
# CONTEST_SERVER. The database and log persist across restarts.
CONTESTD_DEFAULTS=(--public-url "http://127.0.0.1/" --contest-code TEST --contest-name "测试大赛")
start_contestd() {
	local before=0
	[ -f "$LOG" ] && before=$(wc -l <"$LOG")
	: >>"$LOG" # exists before the first read below, however late contestd starts
	"$CONTESTD" --db "$DB" --listen 127.0.0.1:0 ${CONTESTD_DEFAULTS[@]+"${CONTESTD_DEFAULTS[@]}"} "$@" \
		2>>"$LOG" >>"$T/contestd.stdout" &
	CONTESTD_PID=$!
	local i url=
	for i in $(seq 1 100); do
		url=$(tail -n +"$((before + 1))" "$LOG" | sed -n 's/^contestd: listening on \(http:\/\/127\.0\.0\.1:[0-9][0-9]*\).*/\1/p' | head -n 1)
		[ -n "$url" ] && break
		kill -0 "$CONTESTD_PID" 2>/dev/null || fail "contestd exited at start-up (flags: $*)"
		sleep 0.1
	done
	[ -n "$url" ] || fail "contestd did not print 'contestd: listening on http://127.0.0.1:PORT' within 10 s"
	S=$url
	export CONTEST_SERVER=$S
	# the port is open once the line is printed; check it answers
	for i in $(seq 1 50); do
		curl -s -o /dev/null --max-time 2 "$S/healthz" && return 0
		sleep 0.1
	done
	fail "contestd at $S does not answer /healthz"
}

# json_get PATH [FILE]: prints one value of the JSON document on stdin (or in
# FILE). PATH is dot-separated keys and list indexes: error.code, results.0.rank,
# "length(results)" gives a list's length. Strings print raw, null as "null",
# other values as JSON. Missing paths print "<missing>".
json_get() {
	local path=$1 file=${2:--}
	python3 -c '
import json, sys
path, src = sys.argv[1], sys.argv[2]
data = sys.stdin.read() if src == "-" else open(src, encoding="utf-8").read()
try:
    v = json.loads(data)
except ValueError as e:
    print("<not json: %s>" % e); sys.exit(0)
length = path.startswith("length(") and path.endswith(")")
if length:
    path = path[7:-1]
for k in [p for p in path.split(".") if p != ""]:
    if isinstance(v, list) and (k.isdigit() or k.startswith("-")):
        i = int(k)
        if -len(v) <= i < len(v):
            v = v[i]; continue
    elif isinstance(v, dict) and k in v:
        v = v[k]; continue
    print("<missing>"); sys.exit(0)
if length:
    print(len(v))
elif isinstance(v, str):
    print(v)
else:
    print(json.dumps(v, ensure_ascii=False))
' "$path" "$file"
}

# http METHOD PATH [curl args...]: one request to contestd; sets LAST_STATUS
# and LAST_BODY. Never fails by itself.
http() {
	local method=$1 path=$2
	shift 2
	CALL_NO=$((CALL_NO + 1))
	local out="$T/http.$CALL_NO"
	LAST_STATUS=$(curl -s -o "$out" -w '%{http_code}' --max-time 30 -X "$method" "$S$path" "$@") || LAST_STATUS=000
	LAST_BODY=$(cat "$out" 2>/dev/null || true)
	rm -f "$out"
}

# expect_status CODE METHOD PATH [curl args...]: the request must answer CODE.
# Error answers (4xx/5xx) must be the JSON error of docs/API.md.
expect_status() {
	local want=$1 method=$2 path=$3
	shift
	http "$@"
	if [ "$LAST_STATUS" != "$want" ]; then
		fail "$method $path: expected HTTP $want, got $LAST_STATUS; body: ${LAST_BODY:0:600}"
	fi
	if [ "${want:0:1}" = 4 ] || [ "${want:0:1}" = 5 ]; then
		local code
		code=$(printf '%s' "$LAST_BODY" | json_get error.code)
		case $code in
		"<missing>" | "<not json"*)
			soft_fail "$method $path: HTTP $want without the JSON error body of docs/API.md: ${LAST_BODY:0:200}" ;;
		esac
	fi
}

# expect_error CODE ERRCODE METHOD PATH [curl args...]: status and error.code.
expect_error() {
	local want=$1 errcode=$2
	shift 2
	expect_status "$want" "$@"
	local got
	got=$(printf '%s' "$LAST_BODY" | json_get error.code)
	[ "$got" = "$errcode" ] || soft_fail "$2 $3: expected error code \"$errcode\", got \"$got\"; body: ${LAST_BODY:0:300}"
}

# body_matches REGEX WHAT: the last body must match (grep -E).
body_matches() {
	printf '%s' "$LAST_BODY" | grep -Eq -- "$1" || fail "${2:-last answer}: body does not match /$1/: ${LAST_BODY:0:600}"
}

# api_admin METHOD PATH [JSON]: admin request with optional JSON body.
api_admin() {
	local method=$1 path=$2
	if [ $# -ge 3 ]; then
		http "$method" "$path" -H "Authorization: Bearer $ADMIN_TOKEN" -H 'Content-Type: application/json' --data-binary "$3"
	else
		http "$method" "$path" -H "Authorization: Bearer $ADMIN_TOKEN"
	fi
}

# jc ARGS...: judge-cli with a time limit.
jc() { timeout 120 "$JUDGE_CLI" "$@"; }

# run_ok WHAT CMD...: the command must succeed; on failure shows its output.
run_ok() {
	local what=$1
	shift
	local rc=0
	"$@" >"$T/run.out" 2>"$T/run.err" || rc=$?
	if [ $rc -ne 0 ]; then
		echo "---- stdout ----" >&2; head -c 3000 "$T/run.out" >&2
		echo "---- stderr ----" >&2; head -c 3000 "$T/run.err" >&2
		fail "$what: exit status $rc: $*"
	fi
	RUN_OUT=$(cat "$T/run.out")
}

# expect_fail REGEX CMD...: the command must exit non-zero and say something
# matching REGEX (grep -E) on standard error.
expect_fail() {
	local re=$1
	shift
	local rc=0
	"$@" >"$T/fail.out" 2>"$T/fail.err" || rc=$?
	if [ $rc -eq 0 ]; then
		fail "expected failure, got exit 0: $* (stdout: $(head -c 300 "$T/fail.out"))"
	fi
	if [ $rc -ge 124 ] && [ $rc -le 137 ]; then
		fail "command timed out or was killed (exit $rc): $*"
	fi
	grep -Eq -- "$re" "$T/fail.err" ||
		fail "$*: exit $rc, but stderr does not match /$re/: $(head -c 600 "$T/fail.err")"
	FAIL_ERR=$(cat "$T/fail.err")
}

# login_admin: logs judge-cli in as admin (token file JUDGE_CLI_TOKEN_FILE)
# and gets a second admin token for curl in ADMIN_TOKEN.
login_admin() {
	[ -s "$DB.admin-secret" ] || fail "contestd did not write the admin secret to $DB.admin-secret"
	local mode
	mode=$(stat -c %a "$DB.admin-secret")
	[ "$mode" = 600 ] || fail "$DB.admin-secret has mode $mode, expected 600"
	run_ok "judge-cli login --admin" jc login --admin --secret-file "$DB.admin-secret"
	local secret
	secret=$(head -n 1 "$DB.admin-secret" | tr -d '\r\n')
	local body
	body=$(python3 -c 'import json,sys; print(json.dumps({"secret": sys.argv[1]}))' "$secret")
	expect_status 200 POST /api/v1/login -H 'Content-Type: application/json' --data-binary "$body"
	ADMIN_TOKEN=$(printf '%s' "$LAST_BODY" | json_get token)
	[ -n "$ADMIN_TOKEN" ] && [ "$ADMIN_TOKEN" != "<missing>" ] || fail "admin login gave no token: $LAST_BODY"
}

# judge_token CODE PIN: prints a judge's token (via the API).
judge_token() {
	local body tok
	body=$(python3 -c 'import json,sys; print(json.dumps({"judge": sys.argv[1], "pin": sys.argv[2]}))' "$1" "$2")
	http POST /api/v1/login -H 'Content-Type: application/json' --data-binary "$body"
	[ "$LAST_STATUS" = 200 ] || fail "judge $1 login: HTTP $LAST_STATUS: $LAST_BODY"
	tok=$(printf '%s' "$LAST_BODY" | json_get token)
	[ -n "$tok" ] && [ "$tok" != "<missing>" ] || fail "judge $1 login gave no token: $LAST_BODY"
	printf '%s\n' "$tok"
}

# anon_codes EVENT: prints "reg_id code" lines from the admin contestant list.
anon_codes() {
	api_admin GET "/api/v1/events/$1/contestants"
	[ "$LAST_STATUS" = 200 ] || fail "GET /api/v1/events/$1/contestants: HTTP $LAST_STATUS: ${LAST_BODY:0:300}"
	printf '%s' "$LAST_BODY" | python3 -c '
import json, sys
for c in json.load(sys.stdin)["contestants"]:
    print(c["reg_id"], c.get("code") or "-")'
}

# now_s: seconds since the epoch with a fraction (for informational timings).
now_s() { date +%s.%N; }
elapsed_since() { python3 -c 'import sys; print("%.2f" % (float(sys.argv[2]) - float(sys.argv[1])))' "$1" "$(now_s)"; }

# Fresh server for the test.
setup_server() {
	start_contestd "$@"
	login_admin
}

# oracle_contest EVENTS PER_EVENT JUDGES SEED: generates a contest with
# gen_contest.py, runs it through judge-cli alone (import events, criteria,
# contestants, judges; draw; import scores; import checkin; lock; results as
# CSV and JSON) and compares every event's results with oracle.py: the CSV
# byte for byte, the JSON field by field. Prints each phase's time (for
# information only; nothing is asserted on it).
oracle_contest() {
	local n_events=$1 per_event=$2 judges=$3 seed=${ORACLE_SEED:-$4}
	local G="$T/contest" X="$T/expected" R="$T/results"
	mkdir -p "$R"
	local t0 t
	run_ok "gen_contest.py" python3 "$IT_DIR/gen_contest.py" --events "$n_events" \
		--contestants-per-event "$per_event" --judges-per-event "$judges" --seed "$seed" --out "$G" ${GEN_EXTRA:-}
	note "$RUN_OUT"
	run_ok "oracle lockable (generator sanity)" python3 "$IT_DIR/oracle.py" lockable --dir "$G"
	run_ok "oracle expect" python3 "$IT_DIR/oracle.py" expect --dir "$G" --out "$X"
	printf '%s\n' "$RUN_OUT" | tail -n 1 | sed "s/^/$TEST_NAME: /"
	local events
	events=$(python3 -c 'import csv,sys; print(" ".join(r["code"] for r in csv.DictReader(open(sys.argv[1], encoding="utf-8"))))' "$G/events.csv")
	n_events=$(wc -w <<<"$events")

	t0=$(now_s)
	local kind
	for kind in events criteria contestants judges; do
		t=$(now_s)
		run_ok "import $kind" jc import "$kind" "$G/$kind.csv"
		PHASES+=("import $kind: $(elapsed_since "$t") s")
	done
	t=$(now_s)
	local e
	for e in $events; do run_ok "draw $e" jc draw "$e"; done
	PHASES+=("draw ($n_events events): $(elapsed_since "$t") s")
	# paper sheets name a contestant by reg_id or by anonymous code: every
	# third row of the imported file uses the code (the oracle reads reg_ids).
	# A file gives each value once: the generator's revisions (a later row
	# for the same value, the latest counts) go to later files, imported in
	# order: scores-import.csv, then scores-import-2.csv, ...
	for e in $events; do anon_codes "$e"; done >"$T/codes"
	local n_files
	n_files=$(python3 -c '
import csv, sys
codes = dict(line.split() for line in open(sys.argv[1]))
rows = list(csv.DictReader(open(sys.argv[2], encoding="utf-8", newline="")))
files, seen = [], {}
for i, r in enumerate(rows):
    key = (r["event"], r["contestant"], r["criterion"], r["judge"])
    n = seen[key] = seen.get(key, 0) + 1
    if i % 3 == 0:
        r["contestant"] = codes[r["contestant"]]
    while len(files) < n:
        files.append([])
    files[n - 1].append(r)
for n, part in enumerate(files):
    name = sys.argv[3] + ("" if n == 0 else "-%d" % (n + 1)) + ".csv"
    w = csv.DictWriter(open(name, "w", encoding="utf-8", newline=""), fieldnames=list(rows[0].keys()), lineterminator="\n")
    w.writeheader()
    w.writerows(part)
print(len(files))' "$T/codes" "$G/scores.csv" "$T/scores-import")
	t=$(now_s)
	run_ok "import scores" jc import scores "$T/scores-import.csv"
	local k
	for k in $(seq 2 "$n_files"); do
		run_ok "import scores (revisions, file $k)" jc import scores "$T/scores-import-$k.csv"
	done
	PHASES+=("import scores ($(($(wc -l <"$G/scores.csv") - 1)) rows in $n_files files): $(elapsed_since "$t") s")
	# provisional results before the check-in: everybody competed, those
	# without marks included (totals 0, many ties)
	run_ok "oracle expect --skip checkin" python3 "$IT_DIR/oracle.py" expect --dir "$G" --out "$T/provisional" \
		--skip checkin --result-status provisional
	# (--encoding utf-8: to a file judge-cli writes a byte order mark by default)
	for e in $events; do
		jc results "$e" --format csv --encoding utf-8 >"$R/$e.provisional.csv" 2>"$T/results.err" ||
			fail "results $e --format csv before the lock: $(cat "$T/results.err")"
		if ! cmp -s "$T/provisional/$e.csv" "$R/$e.provisional.csv"; then
			echo "$TEST_NAME: provisional results of $e (before check-in) differ from the oracle:" >&2
			diff -u "$T/provisional/$e.csv" "$R/$e.provisional.csv" | head -n 30 >&2 || true
			fail "provisional results of $e differ from the oracle"
		fi
	done
	t=$(now_s)
	run_ok "import checkin" jc import checkin "$G/checkin.csv"
	PHASES+=("import checkin: $(elapsed_since "$t") s")
	t=$(now_s)
	for e in $events; do run_ok "lock $e" jc lock "$e"; done
	PHASES+=("lock: $(elapsed_since "$t") s")
	t=$(now_s)
	for e in $events; do
		jc results "$e" --format csv --encoding utf-8 >"$R/$e.csv" 2>"$T/results.err" ||
			fail "results $e --format csv: $(cat "$T/results.err")"
		jc results "$e" --format json >"$R/$e.json" 2>"$T/results.err" ||
			fail "results $e --format json: $(cat "$T/results.err")"
	done
	PHASES+=("results csv+json: $(elapsed_since "$t") s")
	PHASES+=("total through judge-cli: $(elapsed_since "$t0") s")

	local bad=0 rows=0
	for e in $events; do
		if ! cmp -s "$X/$e.csv" "$R/$e.csv"; then
			echo "$TEST_NAME: results of $e differ from the oracle (- oracle, + judge-cli):" >&2
			diff -u "$X/$e.csv" "$R/$e.csv" | head -n 40 >&2 || true
			bad=$((bad + 1))
		fi
		if ! python3 "$IT_DIR/oracle.py" check-json --expected "$X/$e.csv" --json "$R/$e.json"; then
			bad=$((bad + 1))
		fi
		# the API's own JSON (with n_ranked, cut-offs and the blocker counts)
		api_admin GET "/api/v1/events/$e/results"
		printf '%s' "$LAST_BODY" >"$R/$e.api.json"
		if [ "$LAST_STATUS" != 200 ] ||
			! python3 "$IT_DIR/oracle.py" check-json --expected "$X/$e.csv" --json "$R/$e.api.json"; then
			echo "$TEST_NAME: GET /api/v1/events/$e/results (HTTP $LAST_STATUS) disagrees with the oracle" >&2
			bad=$((bad + 1))
		fi
		rows=$((rows + $(wc -l <"$X/$e.csv") - 1))
	done
	local p
	for p in "${PHASES[@]}"; do note "time: $p"; done
	[ $bad -eq 0 ] || fail "$bad result files differ from the oracle (contest kept in $G if KEEP_TMP=1)"
	note "ok: $n_events events, $rows contestants, $(($(wc -l <"$G/scores.csv") - 1)) score rows: every CSV identical to the oracle, JSON agrees"
}
PHASES=()
