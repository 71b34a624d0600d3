#!/usr/bin/env bash
# judge-cli as a new user meets it (issue 8 items 3, 9 and 12; issue 12
# item 9):
#  - an unknown global option is a usage error (exit 2), not a crash; this
#    runs on the binary of the build ctest runs in, so `./scripts/test.sh`
#    checks the release build (build/) and the sanitizer build checks its
#    own;
#  - exit status 1 refused, 2 usage, 3 cannot reach the server, documented
#    in --help; the "cannot reach" message names --server and CONTEST_SERVER;
#  - `import KIND -` reads standard input;
#  - login profiles (--profile NAME, JUDGE_CLI_PROFILE), each with its own
#    server and token;
#  - anonymous codes in either case, full-width digits, letters and points
#    (８.５) from a Chinese input method;
#  - errors say what to do next;
#  - the rate-limit message says "try again" once; "1 contestant";
#  - names with ESC/CR never reach the terminal raw.
. "$(dirname "$0")/lib.sh"

# exit_of CMD...: prints the command's exit status (its output in $T/x.out, $T/x.err).
exit_of() {
	local rc=0
	"$@" >"$T/x.out" 2>"$T/x.err" </dev/null || rc=$?
	echo "$rc"
}

# ---------------------------------------------------------------- item 3
for args in "--verbose event list" "--nosuch" "-x event list" "event list --verbose"; do
	# shellcheck disable=SC2086
	rc=$(exit_of "$JUDGE_CLI" $args)
	[ "$rc" = 2 ] || fail "judge-cli $args: exit $rc (expected 2, a usage error); stderr: $(cat "$T/x.err")"
	grep -q 'unknown option' "$T/x.err" || fail "judge-cli $args does not say the option is unknown: $(cat "$T/x.err")"
done
rc=$(exit_of "$JUDGE_CLI" --server)
[ "$rc" = 2 ] || fail "judge-cli --server (no URL): exit $rc, expected 2"

# ---------------------------------------------------------------- item 9: exit codes
rc=$(exit_of "$JUDGE_CLI" --help)
[ "$rc" = 0 ] || fail "judge-cli --help: exit $rc"
grep -q '1 refused by the server' "$T/x.out" && grep -q '2 usage error' "$T/x.out" &&
	grep -q '3 the server cannot be reached' "$T/x.out" || fail "judge-cli --help does not document the exit statuses: $(cat "$T/x.out")"
grep -q -- '--profile NAME' "$T/x.out" || fail "judge-cli --help does not mention --profile"
# a port nobody listens on
closed=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
rc=$(exit_of "$JUDGE_CLI" --server "http://127.0.0.1:$closed" event list)
[ "$rc" = 3 ] || fail "an unreachable server: exit $rc (expected 3); $(cat "$T/x.err")"
grep -q "cannot reach http://127.0.0.1:$closed" "$T/x.err" && grep -q -- '--server URL or CONTEST_SERVER' "$T/x.err" &&
	grep -q 'server from --server' "$T/x.err" || fail "the cannot-reach message: $(cat "$T/x.err")"
rc=$(CONTEST_SERVER="http://127.0.0.1:$closed" exit_of "$JUDGE_CLI" event list)
[ "$rc" = 3 ] && grep -q 'server from CONTEST_SERVER' "$T/x.err" ||
	fail "an unreachable CONTEST_SERVER: exit $rc; $(cat "$T/x.err")"

setup_server
rc=$(exit_of jc event show NOPE)
[ "$rc" = 1 ] || fail "a refused request: exit $rc (expected 1)"
grep -q 'no event NOPE' "$T/x.err" && grep -q 'judge-cli event list' "$T/x.err" ||
	fail "an unknown event: the message does not say what to do next: $(cat "$T/x.err")"
rc=$(exit_of jc draw)
[ "$rc" = 2 ] || fail "a missing argument: exit $rc (expected 2)"

# ---------------------------------------------------------------- item 9: import from stdin
run_ok "import events -" jc import events - < <(printf 'code,name\nCNC,数控铣\nONE,单人\n')
case $RUN_OUT in *"imported 2 events from stdin"*) ;; *) fail "import events -: $RUN_OUT" ;; esac
run_ok "import criteria -" jc import criteria - \
	< <(printf 'event,module,module_name,module_weight,code,description,max,method\nCNC,A,加工,,A1,尺寸,10,mean\nONE,A,加工,,A1,尺寸,10,mean\n')
run_ok "import contestants -" jc import contestants - \
	< <(printf 'reg_id,name,organization,event\nC1,张三,第一学院,CNC\nC2,李四,第二学院,CNC\nO1,王五,第一学院,ONE\n')
run_ok "import judges -" jc import judges - \
	< <(printf 'code,name,organization,pin,event,role\nJ01,周裁判,第二学院,246810,CNC,judge\nJ01,周裁判,第二学院,246810,ONE,judge\n')
printf 'reg_id,status\nC9,absent\n' >"$T/bad.csv"
expect_fail '^judge-cli: stdin:2' jc import checkin - <"$T/bad.csv"
run_ok "draw CNC" jc draw CNC
run_ok "draw ONE" jc draw ONE
# item 12: one contestant is "1 contestant"
case $RUN_OUT in *"1 contestant has a workstation and an anonymous code"*) ;; *) fail "draw of one: $RUN_OUT" ;; esac
declare -A CODE
while read -r reg code; do CODE[$reg]=$code; done < <(anon_codes CNC)

# ---------------------------------------------------------------- item 9: profiles
# A second contestd, a second contest: the profile "other" logs in there.
O="$T/other"
mkdir -p "$O"
"$CONTESTD" --db "$O/other.db" --listen 127.0.0.1:0 --public-url http://127.0.0.1/ 2>"$O/log" &
OTHER_PID=$!
for i in $(seq 1 100); do
	S2=$(sed -n 's/^contestd: listening on \(http:\/\/127\.0\.0\.1:[0-9]*\).*/\1/p' "$O/log")
	[ -n "$S2" ] && break
	sleep 0.1
done
[ -n "$S2" ] || fail "the second contestd did not start: $(cat "$O/log")"
stop_other() { kill -TERM "$OTHER_PID" 2>/dev/null || true; wait "$OTHER_PID" 2>/dev/null || true; }
# judge-cli alone picks the server: no CONTEST_SERVER from here on
unset CONTEST_SERVER
run_ok "login --profile other" jc --profile other --server "$S2" login --admin --secret-file "$O/other.db.admin-secret"
case $RUN_OUT in *"at $S2 (profile other)"*) ;; *) fail "login in a profile does not say where: $RUN_OUT" ;; esac
[ -f "$XDG_CONFIG_HOME/judge-cli/profiles/other" ] || fail "no token file for the profile other"
[ "$(stat -c %a "$XDG_CONFIG_HOME/judge-cli/profiles/other")" = 600 ] || fail "the profile's token file is not 0600"
run_ok "import events in the profile other" jc --profile other import events - < <(printf 'code,name\nFAR,远方赛项\n')
# the default profile still talks to the first server as its admin ...
run_ok "event list (default profile)" jc event list
case $RUN_OUT in *FAR*) fail "the default profile talks to the other server: $RUN_OUT" ;; *CNC*) ;; *) fail "event list: $RUN_OUT" ;; esac
# ... and the profile to its own, with --profile or JUDGE_CLI_PROFILE
run_ok "event list --profile other" jc event list --profile other
case $RUN_OUT in *CNC*) fail "the profile other talks to the first server: $RUN_OUT" ;; *FAR*) ;; *) fail "event list: $RUN_OUT" ;; esac
JUDGE_CLI_PROFILE=other run_ok "JUDGE_CLI_PROFILE=other event list" jc event list
case $RUN_OUT in *FAR*) ;; *) fail "JUDGE_CLI_PROFILE=other: $RUN_OUT" ;; esac
# a judge in a third profile, logged in at the default profile's server,
# while the admin stays logged in
run_ok "login --profile j01" jc --profile j01 login --judge J01 --pin 246810
case $RUN_OUT in *"judge J01 at $S (profile j01)"*) ;; *) fail "a new profile did not log in at the default profile's server: $RUN_OUT" ;; esac
run_ok "event list as J01" jc --profile j01 event list
case $RUN_OUT in *ROLE*judge*) ;; *) fail "the profile j01 is not the judge: $RUN_OUT" ;; esac
run_ok "contestants as the admin" jc contestants CNC
expect_fail 'not a profile name' jc --profile ../x event list
rc=$(JUDGE_CLI_PROFILE='a b' exit_of "$JUDGE_CLI" event list)
[ "$rc" = 2 ] || fail "a bad JUDGE_CLI_PROFILE: exit $rc"
stop_other
rc=$(exit_of jc --profile other event list)
[ "$rc" = 3 ] && grep -q "server from this profile's login" "$T/x.err" ||
	fail "the stopped server of a profile: exit $rc; $(cat "$T/x.err")"

# ---------------------------------------------------------------- item 9: codes and values as typed
# lower case and full-width: ８.５ for 8.5, the code in full-width letters
lower=$(printf '%s' "${CODE[C1]}" | tr 'A-Z' 'a-z')
run_ok "score with a lower-case code and ８.５" jc --profile j01 score CNC "$lower" A1 ８.５
case $RUN_OUT in "${CODE[C1]} A1 = 8.50 (revision 1)") ;; *) fail "score CNC $lower A1 ８.５: $RUN_OUT" ;; esac
wide=$(python3 -c 'import sys; print("".join(chr(ord(c) + 0xFEE0) for c in sys.argv[1]))' "${CODE[C1]}")
run_ok "score with a full-width code and 7。25" jc --profile j01 score CNC "$wide" Ａ1 " 7。25"
case $RUN_OUT in "${CODE[C1]} A1 = 7.25 (revision 2)") ;; *) fail "score CNC $wide Ａ1 7。25: $RUN_OUT" ;; esac
run_ok "import scores with ９" jc import scores - < <(printf 'event,contestant,criterion,judge,value\nCNC,C1,A1,J01,９\n')
api_admin GET /api/v1/events/CNC/results
[ "$(printf '%s' "$LAST_BODY" | python3 -c 'import json,sys; print([r["total"] for r in json.load(sys.stdin)["results"] if r["reg_id"] == "C1"][0])')" = 9.00 ] ||
	fail "the full-width value was not stored as 9: ${LAST_BODY:0:300}"
# an unknown code: what to do next
expect_fail 'judge-cli sheet CNC lists' jc --profile j01 score CNC ZZZZZZ A1 5

# ---------------------------------------------------------------- item 12: rate limit
# A stand-in server answers 429 as contestd does; the message says "try
# again" once (before: "...try again in 900 seconds (429 rate_limited); try
# again in 900 s"). ("$PY", not the python3 function: $! must be the
# server itself, so that kill stops it.)
"$PY" -c '
import http.server, json, sys
class H(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        body = json.dumps({"error": {"code": "rate_limited", "message":
            "too many failed logins; try again in 900 seconds" if "again" in self.path else "slow down"}}).encode()
        self.send_response(429)
        self.send_header("Retry-After", "900")
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def log_message(self, *a):
        pass
srv = http.server.HTTPServer(("127.0.0.1", 0), H)
print(srv.server_address[1], flush=True)
srv.serve_forever()' >"$T/fake.port" &
FAKE_PID=$!
for i in $(seq 1 50); do [ -s "$T/fake.port" ] && break; sleep 0.1; done
FAKE="http://127.0.0.1:$(cat "$T/fake.port")"
expect_fail 'try again' jc --server "$FAKE/again" login --judge J01 --pin 1234
[ "$(grep -o 'try again' <<<"$FAIL_ERR" | wc -l)" = 1 ] || fail "the rate-limit message repeats itself: $FAIL_ERR"
expect_fail 'slow down \(429 rate_limited\); try again in 900 s' jc --server "$FAKE" login --judge J01 --pin 1234
kill "$FAKE_PID"
wait "$FAKE_PID" 2>/dev/null || true

# ---------------------------------------------------------------- issue 12 item 9: terminal output
export CONTEST_SERVER=$S
api_admin POST /api/v1/events '[{"code":"ESC","name":"evil\u001b[2J\u001b]0;title\u0007\rname"}]'
[ "$LAST_STATUS" = 201 ] || fail "an event with control characters in its name: HTTP $LAST_STATUS $LAST_BODY"
api_admin POST /api/v1/contestants '[{"reg_id":"E1","name":"x\u001b[31my","organization":"\r\u009bz","event":"ESC"}]'
[ "$LAST_STATUS" = 201 ] || fail "a contestant with control characters: HTTP $LAST_STATUS $LAST_BODY"
for cmd in "event show ESC" "event list" "results ESC" "contestants ESC" "results ESC --format json" \
	"results ESC --format csv" "event show ESC --format json" "event show $(printf 'X\033[2J')"; do
	# shellcheck disable=SC2086
	jc $cmd >"$T/term.out" 2>"$T/term.err" || true
	if LC_ALL=C grep -q $'[\x01-\x08\x0b-\x1f\x7f]\|\xc2[\x80-\x9f]' "$T/term.out" "$T/term.err"; then
		fail "judge-cli $cmd prints control characters: $(cat -v "$T/term.out" "$T/term.err" | head -c 600)"
	fi
done
jc event show ESC >"$T/term.out"
grep -q 'evil?\[2J?\]0;title? name' "$T/term.out" || fail "event show: the name is not shown made printable: $(cat -v "$T/term.out")"
note "ok: usage errors, exit codes, stdin imports, profiles, codes and values as typed, messages, terminal output"
