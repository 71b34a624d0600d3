#!/usr/bin/env bash
# contestd's start and stop as an operator sees them (issue 8 items 7, 8
# and 13; issue 12 item 9):
#  - every file contestd creates (database, -wal, -shm, admin secret, pid
#    file) is mode 0600;
#  - --pid-file is written at start and removed at a clean exit, so that
#    `kill -TERM "$(cat FILE)"` stops this contestd and no other;
#  - --contest-name and --public-url on a later start change the contest,
#    audited and logged; a wildcard address is never stored as the public
#    URL;
#  - a NUL byte in a path is refused (400), not cut off; control bytes of a
#    request path reach the log escaped.
. "$(dirname "$0")/lib.sh"

mode_of() { stat -c %a "$1"; }

# contest_row: "name|public_url" of the contest record.
contest_row() {
	python3 -c '
import sqlite3, sys
db = sqlite3.connect("file:" + sys.argv[1] + "?mode=ro", uri=True)
print("|".join(db.execute("SELECT name, public_url FROM contest").fetchone()))' "$DB"
}

# audit_of ACTION: "old -> new" of each audit record with that action.
audit_of() {
	python3 -c '
import sqlite3, sys
db = sqlite3.connect("file:" + sys.argv[1] + "?mode=ro", uri=True)
for old, new in db.execute("SELECT old_value, new_value FROM audit WHERE action = ? ORDER BY seq", (sys.argv[2],)):
    print("%s -> %s" % (old, new))' "$DB" "$1"
}

# ---------------------------------------------------------------- item 7, 13
PIDF="$T/run/contestd.pid"
mkdir -p "$T/run"
setup_server --pid-file "$PIDF"
[ -s "$PIDF" ] || fail "--pid-file $PIDF was not written"
[ "$(tr -d '\n' <"$PIDF")" = "$CONTESTD_PID" ] ||
	fail "the pid file holds $(cat "$PIDF"), contestd is $CONTESTD_PID"
# something written, so that the WAL and its index exist
run_ok "import events" jc import events /dev/stdin <<'EOF'
code,name
CNC,数控铣
EOF
for f in "$DB" "$DB-wal" "$DB-shm" "$DB.admin-secret" "$PIDF"; do
	[ -e "$f" ] || fail "$f does not exist while contestd runs"
	[ "$(mode_of "$f")" = 600 ] || fail "$f has mode $(mode_of "$f"), expected 600 (umask 077)"
done

# ---------------------------------------------------------------- issue 12 item 9
# CNC%00junk is not CNC: refused, not answered with CNC's results
expect_error 400 invalid GET "/api/v1/events/CNC%00junk/results" -H "Authorization: Bearer $ADMIN_TOKEN"
body_matches 'NUL' "a NUL in the path"
expect_status 200 GET /api/v1/events/CNC/results -H "Authorization: Bearer $ADMIN_TOKEN"
# raw control bytes in an unauthenticated request line: one log line, escaped
port=${S##*:}
python3 -c '
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=10)
s.sendall(b"GET /probe\x1b[2J\rFORGED HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
s.recv(4096)' "$port"
for i in $(seq 1 50); do grep -q 'probe' "$LOG" && break; sleep 0.1; done
line=$(grep 'probe' "$LOG") || fail "the request for /probe... is not in the log"
[ "$(grep -c 'probe' "$LOG")" = 1 ] || fail "the request made more than one log line: $(grep probe "$LOG")"
if LC_ALL=C grep -q $'\x1b\|\r' "$LOG"; then fail "a raw ESC or CR reached the log: $(grep probe "$LOG" | cat -v)"; fi
case $line in *'/probe\x1B[2J\x0DFORGED'*) ;; *) fail "the log line does not show the escaped bytes: $line" ;; esac

# SIGTERM, as OPERATIONS.md says: by the pid file
kill -TERM "$(cat "$PIDF")"
for i in $(seq 1 50); do kill -0 "$CONTESTD_PID" 2>/dev/null || break; sleep 0.1; done
kill -0 "$CONTESTD_PID" 2>/dev/null && fail "contestd did not stop on SIGTERM to the pid in $PIDF"
wait "$CONTESTD_PID" || fail "contestd exited with status $? on SIGTERM"
CONTESTD_PID=
[ -e "$PIDF" ] && fail "the pid file $PIDF is left after a clean exit"

# ---------------------------------------------------------------- item 8
[ "$(contest_row)" = "测试大赛|http://127.0.0.1/" ] || fail "the new contest: $(contest_row)"
start_contestd --contest-name "2026年市职业技能大赛" --public-url "https://results.example.org/"
stop_contestd
[ "$(contest_row)" = "2026年市职业技能大赛|https://results.example.org/" ] ||
	fail "--contest-name/--public-url on a later start did not change the contest: $(contest_row)"
[ "$(audit_of contest.name)" = "测试大赛 -> 2026年市职业技能大赛" ] ||
	fail "the renaming is not audited: $(audit_of contest.name)"
[ "$(audit_of contest.public_url)" = "http://127.0.0.1/ -> https://results.example.org/" ] ||
	fail "the new public URL is not audited: $(audit_of contest.public_url)"
grep -q 'renamed from "测试大赛" to "2026年市职业技能大赛"' "$LOG" || fail "the renaming is not logged"
grep -q 'public URL of contest TEST changed from http://127.0.0.1/ to https://results.example.org/' "$LOG" ||
	fail "the new public URL is not logged"
# the same flags again change nothing and audit nothing
start_contestd --contest-name "2026年市职业技能大赛" --public-url "https://results.example.org/"
stop_contestd
[ "$(audit_of contest.name | wc -l)" = 1 ] || fail "an unchanged name was audited again"

# a wildcard address is refused as --public-url ...
expect_fail 'wildcard' "$CONTESTD" --db "$DB" --listen 127.0.0.1:0 --public-url "http://0.0.0.0:8080"
# ... and one stored by an older version is dropped (audited, logged)
python3 -c '
import sqlite3, sys
db = sqlite3.connect(sys.argv[1]); db.execute("UPDATE contest SET public_url = ?", ("http://0.0.0.0:8080",)); db.commit()' "$DB"
CONTESTD_DEFAULTS=()
start_contestd
stop_contestd
[ "$(contest_row)" = "2026年市职业技能大赛|" ] || fail "the stored wildcard URL stayed: $(contest_row)"
grep -q 'public URL http://0.0.0.0:8080 dropped' "$LOG" || fail "dropping the wildcard URL is not logged"
grep -q 'no public URL: certificates' "$LOG" || fail "contestd does not say that certificates need --public-url"

# a new contest started without --public-url on a wildcard address gets no
# URL: tests only listen on 127.0.0.1, so the rule itself is in
# tests/unit/test_api_public_url.c; here a new database without the flag on
# 127.0.0.1 gets http://127.0.0.1:PORT
DB="$T/second.db"
start_contestd
stop_contestd
case $(contest_row) in "职业技能大赛|http://127.0.0.1:"[0-9]*) ;; *) fail "a new contest without --public-url: $(contest_row)" ;; esac
note "ok: files 0600, pid file, contest settings on a later start, NUL path, escaped log"
