#!/usr/bin/env bash
# Issue 11 item 4 and issue 12 item 11: imports of any size. judge-cli never
# dies silently on a request the server refuses as too large (it reports the
# server's answer and exits 1); a scores file of 120,000 rows is sent as CSV
# and stored all or nothing, committed on the writer thread in steps while
# the event loop keeps answering (/healthz within 0.5 s throughout; before,
# a 200,000-row import blocked it for 2.6 s) and a judge's submission made
# meanwhile is stored; a bad last row stores nothing and is named by
# file:line:column; on a terminal judge-cli shows a progress bar; an import
# being committed when SIGTERM comes is finished and answered.
. "$(dirname "$0")/lib.sh"

N_CONTESTANTS=1000
N_CRITERIA=20
N_JUDGES=6
ROWS=$((N_CONTESTANTS * N_CRITERIA * N_JUDGES))
D="$T/csv"
mkdir -p "$D"
python3 - "$D" "$N_CONTESTANTS" "$N_CRITERIA" "$N_JUDGES" <<'PY'
import sys
d, n, k, j = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
open(d + "/events.csv", "w").write("code,name\nBIG,大赛项\nSMALL,小赛项\n")
with open(d + "/criteria.csv", "w") as f:
    f.write("event,module,module_name,module_weight,code,description,max,method\n")
    for ev in ("BIG", "SMALL"):
        for c in range(1, k + 1):
            f.write("%s,A,实操,,K%02d,评分项%d,10,mean\n" % (ev, c, c))
with open(d + "/contestants.csv", "w") as f:
    f.write("reg_id,name,organization,event\n")
    for i in range(1, n + 1):
        f.write("B%05d,选手%d,学校%d,BIG\n" % (i, i, i % 7))
    for i in range(1, 6):
        f.write("S%05d,选手%d,学校%d,SMALL\n" % (i, i, i % 7))
with open(d + "/judges.csv", "w") as f:
    f.write("code,name,organization,pin,event,role\n")
    for i in range(1, j + 1):
        f.write("J%02d,裁判%d,,%06d,BIG,judge\n" % (i, i, 800000 + i))
        f.write("J%02d,裁判%d,,%06d,SMALL,judge\n" % (i, i, 800000 + i))
def scores(ev, prefix, count, last_bad=False):
    rows = ["event,contestant,criterion,judge,value"]
    for i in range(1, count + 1):
        for c in range(1, k + 1):
            for jj in range(1, j + 1):
                rows.append("%s,%s%05d,K%02d,J%02d,%d.%d" % (ev, prefix, i, c, jj, (i + c + jj) % 10, (i * jj) % 2 * 5))
    if last_bad:
        rows[-1] = rows[-1].rsplit(",", 1)[0] + ",11"
    return "\n".join(rows) + "\n"
open(d + "/scores.csv", "w").write(scores("BIG", "B", n))
open(d + "/scores-bad.csv", "w").write(scores("BIG", "B", n, last_bad=True))
open(d + "/small.csv", "w").write(scores("SMALL", "S", 5))
PY
SIZE=$(stat -c %s "$D/scores.csv")

# ---------------------------------------------------------------- too large
# --max-import below the file: judge-cli reports the server's 413 and exits
# 1 (before: the server closed the connection mid-body and judge-cli died
# of SIGPIPE, exit 141, without a word).
setup_server --max-import 1000000
for kind in events criteria contestants judges; do run_ok "import $kind" jc import "$kind" "$D/$kind.csv"; done
run_ok "draw BIG" jc draw BIG
run_ok "draw SMALL" jc draw SMALL
rc=0
jc import scores "$D/scores.csv" >"$T/big.out" 2>"$T/big.err" || rc=$?
[ $rc = 1 ] || fail "an import over --max-import: judge-cli exit status $rc (want 1): $(cat "$T/big.err")"
grep -q '413' "$T/big.err" && grep -q '1000000' "$T/big.err" ||
	fail "an import over --max-import: judge-cli does not report the server's 413 and its limit: $(cat "$T/big.err")"
note "over --max-import ($SIZE bytes): $(head -c 200 "$T/big.err")"
stop_contestd

# ---------------------------------------------------------------- all or nothing
setup_server
count_scores() { # EVENT: values stored, by the organizer's view of every value
	api_admin GET "/api/v1/events/$1/scores"
	[ "$LAST_STATUS" = 200 ] || fail "GET /api/v1/events/$1/scores: HTTP $LAST_STATUS"
	printf '%s' "$LAST_BODY" | json_get 'length(scores)'
}
expect_fail "scores-bad.csv:$((ROWS + 1)):5: value: value 11.00 is over the max 10.00" jc import scores "$D/scores-bad.csv"
[ "$(count_scores BIG)" = 0 ] || fail "a refused import stored values"

# ---------------------------------------------------------------- the loop keeps answering
J1=$(judge_token J01 800001)
SMALL_CODE=$(anon_codes SMALL | awk 'NR == 1 {print $2}')
# /healthz every 20 ms while the import runs, and one judge's submission
# in the middle of it; the poller stops when the import's process is gone.
python3 - "${S##*:}" "$J1" "$SMALL_CODE" "$T/poll.out" <<'PY' &
import socket, sys, time, json
port, token, code, out = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
def ask(req):
    s = socket.create_connection(("127.0.0.1", port), timeout=30)
    t0 = time.time()
    s.sendall(req)
    data = b""
    while True:
        d = s.recv(65536)
        if not d:
            break
        data += d
    s.close()
    return time.time() - t0, data
worst, n, posted = 0.0, 0, None
t_end = time.time() + 60
while time.time() < t_end:
    took, data = ask(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    worst = max(worst, took)
    n += 1
    body = json.loads(data.split(b"\r\n\r\n", 1)[1])
    if posted is None and body.get("import"):
        sub = json.dumps({"contestant": code, "criterion": "K01", "value": "7.5"}).encode()
        took, data = ask(b"POST /api/v1/events/SMALL/scores HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                         b"Authorization: Bearer " + token.encode() + b"\r\nContent-Type: application/json\r\n"
                         b"Idempotency-Key: during-import\r\nContent-Length: %d\r\n\r\n" % len(sub) + sub)
        posted = "%s %.2f" % (data.split(b" ")[1].decode(), took)
    if open(out + ".done").read() if __import__("os").path.exists(out + ".done") else False:
        break
    time.sleep(0.02)
open(out, "w").write("%d %.3f %s\n" % (n, worst, posted))
PY
POLLER=$!
t0=$(now_s)
run_ok "import of $ROWS score rows" jc import scores "$D/scores.csv"
note "import of $ROWS rows ($SIZE bytes CSV): $(elapsed_since "$t0") s: $RUN_OUT"
echo done >"$T/poll.out.done"
wait "$POLLER" || fail "the /healthz poller failed"
read -r polls worst posted <"$T/poll.out"
note "/healthz during the import: $polls answers, the slowest in $worst s; a judge's submission meanwhile: ${posted:-none}"
[ "$polls" -ge 5 ] || fail "only $polls /healthz answers during the import"
python3 -c 'import sys; sys.exit(0 if float(sys.argv[1]) < 0.5 else 1)' "$worst" ||
	fail "/healthz took $worst s during the import: the event loop was blocked"
case $posted in 201\ *) ;; *) fail "a judge's submission during the import: expected 201, got ${posted:-no submission (the import ended before the poller saw it)}" ;; esac
[ "$(count_scores BIG)" = "$ROWS" ] || fail "after the import $(count_scores BIG) values are stored, not $ROWS"
grep -q '"import":' "$T/poll.out" 2>/dev/null || true

# ---------------------------------------------------------------- the progress bar
# On a terminal (script gives judge-cli one) the import shows its bar.
script -qefc "$(printf '%q ' "$JUDGE_CLI" import scores "$D/small.csv")" "$T/typescript" >/dev/null 2>&1 ||
	fail "import under a terminal failed: $(tail -c 300 "$T/typescript")"
grep -aq 'import scores: \[' "$T/typescript" || fail "no progress bar on a terminal: $(tail -c 300 "$T/typescript" | cat -v)"
grep -aq 'imported 600 scores' "$T/typescript" || fail "the import under a terminal did not finish: $(tail -c 300 "$T/typescript" | cat -v)"
run_ok "an import without a terminal" jc import scores "$D/small.csv"
case $RUN_OUT in *'import scores: ['*) fail "a progress bar went to a file" ;; esac

# ---------------------------------------------------------------- SIGTERM finishes in-flight work
# The same file again (every value's second revision) is being committed
# when SIGTERM comes: it is finished and answered, then contestd exits.
jc import scores "$D/scores.csv" >"$T/again.out" 2>"$T/again.err" &
IMPORT=$!
for i in $(seq 1 200); do
	http GET /healthz
	printf '%s' "$LAST_BODY" | grep -q '"import"' && break
	sleep 0.02
done
printf '%s' "$LAST_BODY" | grep -q '"import"' || fail "the second import was not seen in progress: $LAST_BODY"
kill -TERM "$CONTESTD_PID"
rc=0
wait "$IMPORT" || rc=$?
[ $rc = 0 ] || fail "an import in flight at SIGTERM failed (exit $rc): $(cat "$T/again.err")"
grep -q "imported $ROWS scores" "$T/again.out" || fail "an import in flight at SIGTERM: $(cat "$T/again.out" "$T/again.err")"
stop_contestd
[ "$CONTESTD_EXIT" = 0 ] || fail "contestd exited with status $CONTESTD_EXIT on SIGTERM"
setup_server
api_admin GET /api/v1/events/BIG/scores
revs=$(printf '%s' "$LAST_BODY" | python3 -c 'import json, sys; print(sorted({s["revision"] for s in json.load(sys.stdin)["scores"]}))')
[ "$revs" = "[2]" ] || fail "after the import finished at SIGTERM the revisions are $revs, want [2]"
stop_contestd
[ "$CONTESTD_EXIT" = 0 ] || fail "contestd exited with status $CONTESTD_EXIT on SIGTERM"
note "ok: too large reported, all or nothing, the loop answered throughout, progress bar on a terminal, finished at SIGTERM"
