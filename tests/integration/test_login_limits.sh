#!/usr/bin/env bash
# Login limits that do not lock out the room, through the real server from
# several loopback addresses (127.0.0.X, one per "terminal"): a judge's typos
# lock that judge at that terminal only; wrong organizer secrets from one
# address never keep the organizer out elsewhere; an organizer clears a
# judge's lockout; a hot account's logins are answered in turn from a timer
# while the server keeps serving; PINs are 6 digits or more.
. "$(dirname "$0")/lib.sh"

setup_server
D="$T/csv"
mkdir -p "$D"
printf 'code,name\nWELD,焊接\n' >"$D/events.csv"
cat >"$D/judges.csv" <<'EOF'
code,name,organization,pin,event,role
J01,王建国,,246810,WELD,judge
J02,李秀英,,135790,WELD,judge
J03,张志红,,112200,WELD,judge
EOF
run_ok "import events" jc import events "$D/events.csv"
run_ok "import judges" jc import judges "$D/judges.csv"

# login_from ADDR JSON: POST /api/v1/login from a loopback address; sets
# LAST_STATUS, LAST_BODY, RETRY (Retry-After) and TOOK (seconds).
login_from() {
	local out="$T/login.out" hdr="$T/login.hdr"
	TOOK=$(curl -s --interface "$1" -o "$out" -D "$hdr" -w '%{time_total}' --max-time 30 -X POST "$S/api/v1/login" \
		-H 'Content-Type: application/json' --data-binary "$2") || fail "no answer to a login from $1"
	LAST_STATUS=$(awk 'NR == 1 {print $2}' "$hdr")
	LAST_BODY=$(cat "$out")
	RETRY=$(tr -d '\r' <"$hdr" | awk -F': ' 'tolower($1) == "retry-after" {print $2}')
}
curl -s --interface 127.0.0.2 -o /dev/null --max-time 5 "$S/healthz" ||
	fail "cannot connect from 127.0.0.2 (loopback aliases are needed for this test)"

# ---- a judge's typos lock that judge at that terminal only
for i in 1 2 3 4 5; do
	login_from 127.0.0.2 '{"judge":"J02","pin":"000000"}'
	[ "$LAST_STATUS" = 401 ] || fail "wrong PIN $i: expected 401, got $LAST_STATUS $LAST_BODY"
done
login_from 127.0.0.2 '{"judge":"J02","pin":"135790"}'
[ "$LAST_STATUS" = 429 ] || fail "the 6th attempt from the same terminal: expected 429, got $LAST_STATUS $LAST_BODY"
[ -n "$RETRY" ] && [ "$RETRY" -gt 800 ] && [ "$RETRY" -le 900 ] || fail "Retry-After $RETRY is not about 15 minutes"
grep -q 'judge-cli judge unlock-login' <<<"$LAST_BODY" || fail "the refusal does not say how to clear it: $LAST_BODY"
login_from 127.0.0.3 '{"judge":"J02","pin":"135790"}'
[ "$LAST_STATUS" = 200 ] || fail "J02 at another terminal is locked out: $LAST_STATUS $LAST_BODY"
login_from 127.0.0.2 '{"judge":"J01","pin":"246810"}'
[ "$LAST_STATUS" = 200 ] || fail "J01 at J02's terminal is locked out: $LAST_STATUS $LAST_BODY"

# ---- wrong organizer secrets from one address keep nobody else out
for i in 1 2 3 4 5; do
	login_from 127.0.0.4 '{"secret":"WRONG-SECRET"}'
	[ "$LAST_STATUS" = 401 ] || fail "wrong secret $i: expected 401, got $LAST_STATUS $LAST_BODY"
done
login_from 127.0.0.4 '{"secret":"WRONG-SECRET"}'
[ "$LAST_STATUS" = 429 ] || fail "6th wrong secret: expected 429, got $LAST_STATUS"
secret=$(head -n 1 "$DB.admin-secret" | tr -d '\r\n')
login_from 127.0.0.1 "{\"secret\":\"$secret\"}"
[ "$LAST_STATUS" = 200 ] || fail "the organizer with the right secret is locked out by a stranger: $LAST_STATUS $LAST_BODY"
login_from 127.0.0.5 "{\"organizer\":\"admin\",\"secret\":\"$secret\"}"
[ "$LAST_STATUS" = 200 ] || fail "organizer admin by name: $LAST_STATUS $LAST_BODY"

# ---- an organizer clears a judge's lockout
expect_fail 'only an organizer may do this' env JUDGE_CLI_TOKEN_FILE="$T/none" CONTEST_TOKEN="$(judge_token J01 246810)" \
	"$JUDGE_CLI" judge unlock-login J02
expect_fail 'no judge J99' jc judge unlock-login J99
run_ok "unlock-login J02" jc judge unlock-login J02
login_from 127.0.0.2 '{"judge":"J02","pin":"135790"}'
[ "$LAST_STATUS" = 200 ] || fail "J02 after unlock-login: $LAST_STATUS $LAST_BODY"
run_ok "audit log" jc audit log --actor organizer:admin --format csv
grep -q ',login.unlock,judge:J02,' <<<"$RUN_OUT" || fail "unlock-login is not audited: $RUN_OUT"

# ---- a hot account: 20 failures from 20 addresses. Its logins are then
# checked one a second: answered in turn (from a timer), never refused to
# a clean address, and the server answers other requests meanwhile.
for i in $(seq 1 20); do
	login_from "127.0.1.$i" '{"judge":"J03","pin":"000000"}'
	[ "$LAST_STATUS" = 401 ] || fail "J03 failure $i from 127.0.1.$i: $LAST_STATUS $LAST_BODY"
done
login_from 127.0.0.6 '{"judge":"J03","pin":"112200"}'
[ "$LAST_STATUS" = 200 ] || fail "J03's first login after 20 failures: $LAST_STATUS $LAST_BODY"
# the next turn is a second later: this one waits for it, and meanwhile
# the server answers other requests (the wait is a timer, not a sleep)
login_from 127.0.0.7 '{"judge":"J03","pin":"112200"}' &
waiter=$!
sleep 0.2
http GET /healthz
[ "$LAST_STATUS" = 200 ] || fail "/healthz while a login waits: $LAST_STATUS"
kill -0 "$waiter" 2>/dev/null || fail "/healthz was answered only after the waiting login"
wait "$waiter"
login_from 127.0.0.8 '{"judge":"J03","pin":"112200"}'
[ "$LAST_STATUS" = 200 ] || fail "J03 from a clean address while hot: $LAST_STATUS $LAST_BODY"
python3 -c 'import sys; sys.exit(0 if float(sys.argv[1]) >= 0.2 else 1)' "$TOOK" ||
	fail "a login of a hot account was answered at once (${TOOK}s), not in its turn"
note "a hot account's login took ${TOOK}s"

# ---- PINs are 6 to 32 digits
api_admin POST /api/v1/judges '{"code":"J07","name":"短码","pin":"12345","event":"WELD","role":"judge"}'
[ "$LAST_STATUS" = 400 ] && grep -q 'must be 6 to 32 digits' <<<"$LAST_BODY" || fail "a 5-digit PIN: $LAST_STATUS $LAST_BODY"
api_admin POST /api/v1/judges '{"code":"J07","name":"短码","pin":"abcdefgh","event":"WELD","role":"judge"}'
[ "$LAST_STATUS" = 400 ] || fail "a PIN of letters: $LAST_STATUS $LAST_BODY"
printf 'code,name,organization,pin,event,role\nJ07,短码,,12345,WELD,judge\n' >"$D/short.csv"
expect_fail 'short.csv:2:4: pin: a PIN is 6 to 32 digits; this one has 5 characters' jc import judges "$D/short.csv"

# ---- a new PIN logs the judge out; the same PIN again does not
J01_TOKEN=$(judge_token J01 246810)
printf 'code,name\nTOUR,导游\n' >"$D/tour.csv"
run_ok "import TOUR" jc import events "$D/tour.csv"
printf 'code,name,organization,pin,event,role\nJ01,王建国,,246810,TOUR,judge\n' >"$D/same-pin.csv"
run_ok "assign J01 with the same PIN" jc import judges "$D/same-pin.csv"
expect_status 200 GET /api/v1/whoami -H "Authorization: Bearer $J01_TOKEN"
printf 'code,name,organization,pin,event,role\nJ02,李秀英,,864200,TOUR,judge\n' >"$D/new-pin.csv"
J02_TOKEN=$(judge_token J02 135790)
run_ok "assign J02 with a new PIN" jc import judges "$D/new-pin.csv"
expect_error 401 unauthorized GET /api/v1/whoami -H "Authorization: Bearer $J02_TOKEN"
judge_token J02 864200 >/dev/null
# A login still waiting for its turn at shutdown is answered 503, and
# SIGTERM ends contestd cleanly (under ASan: no leak, no error).
login_from 127.0.0.10 '{"judge":"J03","pin":"112200"}'   # takes a turn: the next is a second later
( login_from 127.0.0.11 '{"judge":"J03","pin":"112200"}'; echo "$LAST_STATUS" >"$T/at-shutdown" ) &
second=$!
sleep 0.3
stop_contestd
wait "$second" || fail "the waiting login did not get an answer at shutdown"
[ "$(cat "$T/at-shutdown")" = 503 ] || fail "a login waiting at shutdown got $(cat "$T/at-shutdown"), not 503"
[ "$CONTESTD_EXIT" = 0 ] || fail "contestd exited with status $CONTESTD_EXIT on SIGTERM"
note "ok"
