#!/usr/bin/env bash
# SQLite I/O errors and a full disk (issue 12 item 13), injected by the VFS of
# tests/fault/faultvfs.c (preloaded into contestd) while six judges submit
# concurrently:
#  1. a write error (EIO) and a full disk (ENOSPC) at every write of a commit
#     (N = 1 .. the most writes a commit was seen to make), each transient:
#     the commit's submissions get 503 (the judges retry with the same key),
#     the server goes on acknowledging, and after a restart every
#     acknowledged score is stored (never a false 201);
#  2. a failed fsync of the WAL: contestd answers nothing more with 201, exits
#     with a non-zero status (a supervisor restarts it), and after the
#     restart every acknowledged score is there. Twice.
. "$(dirname "$0")/../integration/lib.sh"
. "$(dirname "$0")/load.sh"

use_fault_vfs
JUDGES="J01 J02 J03 J04 J05 J06"
injected() { wc -l <"$FLOG"; }
acks_ge() { [ "$(acks)" -ge "$1" ]; }
injected_gt() { [ "$(injected)" -gt "$1" ]; }
exited() { ! kill -0 "$CONTESTD_PID" 2>/dev/null; }
start_workers() { # start_workers TAG
	WORKERS=()
	local j
	for j in $JUDGES; do
		curl_worker "$j" "${TOKEN[$j]}" "$1" & WORKERS+=($!)
	done
}
workers_alive() { local p; for p in "${WORKERS[@]}"; do kill -0 "$p" 2>/dev/null && return 0; done; return 1; }
# wait_until CMD... (bounded, 10 s): true once the command is
wait_until() { local i; for i in $(seq 1 200); do "$@" && return 0; sleep 0.05; done; return 1; }

setup_server
grep -q "contestd: listening" "$LOG" || fail "contestd with the fault VFS did not start"
fault_contest 40 10 "$JUDGES"
declare -A TOKEN
for j in $JUDGES; do TOKEN[$j]=$(judge_token "$j" "$(pin_of "$j")"); done

# 1. transient write errors and full disk at every write of a commit
arm measure
RETRY_503=50 start_workers w
wait_until acks_ge 100 || fail "fewer than 100 submissions acknowledged in 10 s with no fault"
max_writes=$(awk '{print $2}' "$FSTATS" 2>/dev/null || echo 0)
[ "${max_writes:-0}" -ge 1 ] || fail "the fault VFS saw no write of a commit (is it loaded?)"
note "a commit made up to $max_writes writes of the WAL before its fsync"
swept=0
for n in $(seq 1 "$max_writes") $(seq 1 "$max_writes") $(seq 1 "$max_writes"); do
	for err in ioerr full; do
		workers_alive || break 2
		before=$(injected)
		arm wal write "$n" 1 "$err"
		if ! wait_until injected_gt "$before"; then
			[ "$n" -gt 1 ] || fail "no $err injected at the first write of a commit within 10 s"
			note "no commit made $n writes in 10 s: $err at write $n not injected"
			continue
		fi
		a=$(acks)
		wait_until acks_ge $((a + 1)) || ! workers_alive || fail "no submission acknowledged after $err at write $n of a commit (the server did not recover)"
		swept=$((swept + 1))
	done
done
arm off
wait_workers "${WORKERS[@]}"
ls "$T"/errors.* >/dev/null 2>&1 && fail "submissions answered other than 2xx/503: $(cat "$T"/errors.* | head -n 5)"
refused=$(grep -c '"POST /api/v1/events/CNC/scores" 503' "$LOG" || true)
[ "$refused" -ge 1 ] || fail "no submission was refused with 503 after $(injected) faults"
grep -q 'group commit of .* failed' "$LOG" || fail "the log does not say that a group commit failed"
# the event loop's own commits (a login writes its token) are not gathered:
# a fault at each of their writes answers 503, and the next login works
login_body=$(python3 -c 'import json,sys; print(json.dumps({"judge": "J01", "pin": sys.argv[1]}))' "$(pin_of J01)")
login() { http POST /api/v1/login -H 'Content-Type: application/json' --data-binary "$login_body"; }
arm measure
login
[ "$LAST_STATUS" = 200 ] || fail "a login with no fault: HTTP $LAST_STATUS $LAST_BODY"
login_writes=$(awk '{print $2}' "$FSTATS")
for n in $(seq 1 "$login_writes"); do
	for err in ioerr full; do
		before=$(injected)
		arm wal write "$n" 1 "$err"
		login
		arm off
		if [ "$(injected)" -gt "$before" ]; then
			[ "$LAST_STATUS" = 503 ] || fail "a login whose commit failed ($err at write $n): HTTP $LAST_STATUS, expected 503: $LAST_BODY"
			swept=$((swept + 1))
		else
			[ "$LAST_STATUS" = 200 ] || fail "a login: HTTP $LAST_STATUS $LAST_BODY"
		fi
		login
		[ "$LAST_STATUS" = 200 ] || fail "the login after $err at write $n: HTTP $LAST_STATUS $LAST_BODY"
	done
done
http GET /healthz
[ "$LAST_STATUS" = 200 ] || fail "/healthz after the faults: HTTP $LAST_STATUS $LAST_BODY"
expect_status 201 POST /api/v1/events/CNC/scores -H "Authorization: Bearer ${TOKEN[J01]}" -H 'Content-Type: application/json' \
	-H 'Idempotency-Key: after-faults' --data-binary "{\"contestant\":\"$(head -n 1 "$T/codes")\",\"criterion\":\"K1\",\"value\":\"$(awk 'NR == 1 {print $3}' "$T/work.J01")\"}"
stop_contestd
[ "$CONTESTD_EXIT" = 0 ] || fail "contestd stopped with status $CONTESTD_EXIT after transient faults"
check_stored "$JUDGES"
note "phase 1: $swept write faults (EIO and ENOSPC at writes 1..$max_writes of a group commit, three times, and at writes 1..$login_writes of a login's commit), $refused submissions answered 503 and retried; $CHECKED acknowledged scores stored"

# 2. a failed fsync: no 201 after it, exit non-zero, nothing lost after restart
for run in 1 2; do
	work_lists "s$run" "$JUDGES"
	start_contestd
	start_workers "s$run"
	wait_until acks_ge 30 || fail "fewer than 30 submissions acknowledged in 10 s (fsync run $run)"
	lines=$(wc -l <"$LOG")
	arm wal sync 1 1 ioerr
	wait_until exited || fail "contestd still runs 10 s after a failed fsync"
	status=0
	wait "$CONTESTD_PID" 2>/dev/null || status=$?
	CONTESTD_PID=
	arm off
	[ "$status" != 0 ] || fail "contestd exited with status 0 after a failed fsync"
	tail -n +"$((lines + 1))" "$LOG" >"$T/after"
	grep -q 'fsync of the database failed' "$T/after" || fail "the log does not name the failed fsync"
	late=$(sed -n '/fsync of the database failed/,$p' "$T/after" | grep -c '" 20[01] ' || true)
	[ "$late" = 0 ] || fail "$late requests answered 2xx after the failed fsync: $(sed -n '/fsync of the database failed/,$p' "$T/after" | grep '" 20[01] ' | head -n 3)"
	wait_workers "${WORKERS[@]}"
	CONTESTD=$PLAIN_CONTESTD start_contestd
	stop_contestd
	check_stored "$JUDGES"
	note "fsync run $run: contestd exited with status $status, nothing answered 2xx after the fault; all acknowledged scores there after restart"
done
note "ok: $(injected) faults injected ($(grep -c write "$FLOG") write errors or full disk, $(grep -c sync "$FLOG") failed fsyncs); $CHECKED acknowledged scores checked after restarts"
