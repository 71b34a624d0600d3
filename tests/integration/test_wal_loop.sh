#!/usr/bin/env bash
# Issue 12 items 10 and 11. The WAL does not keep its high-water mark: once
# the writer is idle its file is emptied (before, it never shrank and, after
# a full disk, refilled the volume), not while a reader still needs it (and
# judges' submissions are not held up meanwhile), and /healthz and /metrics
# show its size. No request holds the event loop up more than 100 ms: an
# import of 60,000 score rows, the chief's view of all its values (258 ms
# of the loop before it was written as text), its results and logins leave
# contestd's own loop watch (/metrics contestd_loop_stalls_total,
# contestd_loop_busy_max_seconds) under 100 ms, and the watch sees the
# loop held up when the process is stopped for 0.3 s.
. "$(dirname "$0")/lib.sh"

N_CONTESTANTS=600
N_CRITERIA=20
N_JUDGES=5
ROWS=$((N_CONTESTANTS * N_CRITERIA * N_JUDGES))
D="$T/csv"
mkdir -p "$D"
python3 - "$D" "$N_CONTESTANTS" "$N_CRITERIA" "$N_JUDGES" <<'PY'
import sys
d, n, k, j = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
open(d + "/events.csv", "w").write("code,name\nBIG,大赛项\n")
with open(d + "/criteria.csv", "w") as f:
    f.write("event,module,module_name,module_weight,code,description,max,method\n")
    for c in range(1, k + 1):
        f.write("BIG,A,实操,,K%02d,评分项%d,10,mean\n" % (c, c))
with open(d + "/contestants.csv", "w") as f:
    f.write("reg_id,name,organization,event\n")
    for i in range(1, n + 1):
        f.write("B%05d,选手%d,学校%d,BIG\n" % (i, i, i % 7))
with open(d + "/judges.csv", "w") as f:
    f.write("code,name,organization,pin,event,role\n")
    for i in range(1, j + 1):
        f.write("J%02d,裁判%d,,%06d,BIG,judge\n" % (i, i, 700000 + i))
with open(d + "/scores.csv", "w") as f:
    f.write("event,contestant,criterion,judge,value\n")
    for i in range(1, n + 1):
        for c in range(1, k + 1):
            for jj in range(1, j + 1):
                f.write("BIG,B%05d,K%02d,J%02d,%d.5\n" % (i, c, jj, (i + c + jj) % 10))
PY

wal_file() { stat -c %s "$DB-wal" 2>/dev/null || echo 0; }
metric() { curl -fsS --max-time 10 "$S/metrics" | awk -v n="contestd_$1" '$1 == n {print $2}'; }
# wal_empty SECONDS: waits up to SECONDS for /healthz and the file to say 0
wal_empty() {
	local i
	for i in $(seq 1 $(($1 * 10))); do
		http GET /healthz
		[ "$(printf '%s' "$LAST_BODY" | json_get wal_bytes)" = 0 ] && [ "$(wal_file)" = 0 ] && return 0
		sleep 0.1
	done
	return 1
}

setup_server
for kind in events criteria contestants judges; do run_ok "import $kind" jc import "$kind" "$D/$kind.csv"; done
run_ok "draw BIG" jc draw BIG
run_ok "import of $ROWS score rows" jc import scores "$D/scores.csv"

# ---------------------------------------------------------------- the WAL's size is shown
http GET /healthz
[ "$LAST_STATUS" = 200 ] || fail "/healthz: HTTP $LAST_STATUS"
shown=$(printf '%s' "$LAST_BODY" | json_get wal_bytes)
case $shown in '' | *[!0-9]*) fail "/healthz has no wal_bytes: $LAST_BODY" ;; esac
m=$(metric wal_bytes)
[ -n "$m" ] || fail "/metrics has no contestd_wal_bytes"

# ---------------------------------------------------------------- emptied when idle
wal_empty 10 || fail "the WAL was not emptied within 10 s of the writer going idle: /healthz $LAST_BODY, file $(wal_file) bytes"
[ "$(metric wal_bytes)" = 0 ] || fail "/metrics contestd_wal_bytes is $(metric wal_bytes) with an empty WAL"

# ---------------------------------------------------------------- not while a reader needs it
J1=$(judge_token J01 700001)
CODE=$(anon_codes BIG | awk 'NR == 1 {print $2}')
python3 - "$DB" "$T/reader.ready" <<'PY' &
import sqlite3, sys, time
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("BEGIN")
db.execute("SELECT count(*) FROM scores").fetchone()
open(sys.argv[2], "w").write("ready\n")
time.sleep(3)
db.execute("COMMIT")
db.close()
PY
READER=$!
for i in $(seq 1 100); do [ -f "$T/reader.ready" ] && break; sleep 0.05; done
[ -f "$T/reader.ready" ] || fail "the reader did not start"
t0=$(now_s)
expect_status 201 POST /api/v1/events/BIG/scores -H "Authorization: Bearer $J1" -H 'Content-Type: application/json' \
	-H 'Idempotency-Key: wal-reader-1' --data-binary "{\"contestant\":\"$CODE\",\"criterion\":\"K01\",\"value\":\"9.25\"}"
took=$(elapsed_since "$t0")
python3 -c 'import sys; sys.exit(0 if float(sys.argv[1]) < 1 else 1)' "$took" ||
	fail "a submission took $took s while a reader held the WAL"
sleep 2 # past the idle period: the writer tried, and let the reader be
[ "$(wal_file)" != 0 ] || fail "the WAL was emptied under a reader that still needed it"
wait "$READER" || fail "the reader failed"
wal_empty 10 || fail "the WAL was not emptied within 10 s of the reader's end: file $(wal_file) bytes"
api_admin GET /api/v1/events/BIG/scores
printf '%s' "$LAST_BODY" | grep -q '"9.25"' || fail "the submission made under the reader is not stored"

# ---------------------------------------------------------------- the loop never held up
api_admin GET /api/v1/events/BIG/results
[ "$LAST_STATUS" = 200 ] || fail "results of BIG: HTTP $LAST_STATUS"
for j in 2 3 4 5; do judge_token "J0$j" "70000$j" >/dev/null; done
stalls=$(metric loop_stalls_total)
late=$(metric loop_late_max_seconds)
busy=$(metric loop_busy_max_seconds)
note "import of $ROWS rows, results, logins: the event loop at worst $late s late, $busy s of CPU between ticks, $stalls stalls"
# A stall is work holding the loop: the loop's own CPU time between two
# ticks, so that a busy machine (which keeps contestd off the CPU) is not
# taken for one.
if ldd "$CONTESTD" | grep -q libasan; then
	# AddressSanitizer makes contestd's work 5 to 6 times slower (the chief's
	# 7.7 MB view of every value: 30 ms, 185 ms under ASan): the 100 ms bound
	# is the release build's; here no request may keep the loop 0.5 s
	python3 -c 'import sys; sys.exit(0 if float(sys.argv[1]) < 0.5 else 1)' "$busy" ||
		fail "under ASan the event loop worked $busy s without a break: $(grep 'held up' "$LOG" | tail -3)"
else
	[ "$stalls" = 0 ] || fail "work held the event loop up more than 100 ms $stalls times (at worst $busy s of CPU): $(grep 'held up' "$LOG" | tail -3)"
	python3 -c 'import sys; sys.exit(0 if float(sys.argv[1]) < 0.1 else 1)' "$busy" ||
		fail "the event loop worked $busy s without a break"
fi

# the watch sees the loop held up (contestd stopped for 0.3 s), and does not
# take it for work
kill -STOP "$CONTESTD_PID"
sleep 0.3
kill -CONT "$CONTESTD_PID"
sleep 0.1
late=$(metric loop_late_max_seconds)
python3 -c 'import sys; sys.exit(0 if float(sys.argv[1]) >= 0.25 else 1)' "$late" ||
	fail "after a 0.3 s stop the loop watch says at worst $late s late"
[ "$(metric loop_stalls_total)" = "$stalls" ] || fail "a stopped process was counted as a stall by work"
stop_contestd
[ "$CONTESTD_EXIT" = 0 ] || fail "contestd exited with status $CONTESTD_EXIT on SIGTERM"
note "ok: WAL size shown, emptied when idle and not under a reader, no request held the loop 100 ms"
