#!/usr/bin/env bash
# The database deleted or replaced while contestd runs (issue 12 item 1):
# contestd must notice, answer 503 (never 201 for a score it cannot keep),
# and exit with a non-zero status; a start that finds the admin secret
# without its database refuses without inviting data loss. A read-only
# database or directory (item 2) is refused at start with a clear message.
. "$(dirname "$0")/../integration/lib.sh"
. "$(dirname "$0")/load.sh"

JUDGES="J01 J02"
setup_server
fault_contest 6 4 "$JUDGES"
TOK=$(judge_token J01 "$(pin_of J01)")
code=$(head -n 1 "$T/codes")
submit() { # submit KEY VALUE
	http POST /api/v1/events/CNC/scores -H "Authorization: Bearer $TOK" -H 'Content-Type: application/json' \
		-H "Idempotency-Key: $1" --data-binary "{\"contestant\":\"$code\",\"criterion\":\"K1\",\"value\":\"$2\"}"
}
submit before 1.5
[ "$LAST_STATUS" = 201 ] || fail "a score before the deletion: HTTP $LAST_STATUS $LAST_BODY"

# wait_exit: contestd exits by itself within 10 s; sets EXIT_STATUS.
wait_exit() {
	local i
	for i in $(seq 1 100); do
		kill -0 "$CONTESTD_PID" 2>/dev/null || break
		sleep 0.1
	done
	kill -0 "$CONTESTD_PID" 2>/dev/null && fail "contestd still runs 10 s after $1"
	EXIT_STATUS=0
	wait "$CONTESTD_PID" 2>/dev/null || EXIT_STATUS=$?
	CONTESTD_PID=
}
seen_503=0
# after_loss WHAT: every answer from now on is 503 (or no answer once it has
# exited), never 2xx; contestd exits non-zero and logs why.
after_loss() {
	local what=$1 i
	submit "after-$what" 2.5
	case $LAST_STATUS in
	503) seen_503=$((seen_503 + 1)); body_matches "$what" "the 503 after the database was $what" ;;
	000) ;;
	*) fail "a score after the database was $what: HTTP $LAST_STATUS (expected 503): $LAST_BODY" ;;
	esac
	http GET /healthz
	case $LAST_STATUS in
	503) seen_503=$((seen_503 + 1)) ;;
	000) ;;
	*) fail "/healthz after the database was $what: HTTP $LAST_STATUS (expected 503): $LAST_BODY" ;;
	esac
	wait_exit "its database was $what"
	[ "$EXIT_STATUS" != 0 ] || fail "contestd exited with status 0 after its database was $what"
	grep -q "database .* $what" "$LOG" || fail "the log does not say the database was $what"
	note "database $what: contestd answered 503 and exited with status $EXIT_STATUS"
}

# 1. replaced by another file (a copy of itself, so that it looks alike)
cp "$DB" "$T/copy.db"
mv "$T/copy.db" "$DB"
after_loss replaced

# 2. deleted while judges submit: the reporter's 4,323 201s in a second
start_contestd
TOK=$(judge_token J01 "$(pin_of J01)")
T2=$(judge_token J02 "$(pin_of J02)")
curl_worker J02 "$T2" lost & W=$!
for i in $(seq 1 100); do [ "$(acks)" -ge 5 ] && break; sleep 0.05; done
rm -f "$DB"
acked_at_rm=$(acks)
after_loss deleted
wait_workers "$W"
# nothing acknowledged after the deletion: at most the ones in flight at rm
late=$(($(acks) - acked_at_rm))
[ "$late" -le 1 ] || fail "$late scores acknowledged after the database was deleted"
[ "$seen_503" -ge 1 ] || fail "no request was answered 503 (all found contestd gone): the test proved nothing"

# 3. a start that finds the admin secret without its database
[ -f "$DB.admin-secret" ] || fail "the admin secret is gone"
expect_fail "does not exist.*admin secret" "$CONTESTD" --db "$DB" --listen 127.0.0.1:0
[ ! -e "$DB" ] || fail "contestd made a new database beside the old contest's secret"
if printf '%s' "$FAIL_ERR" | grep -Eiq 'remove|rm |delete (the|it|this)'; then
	fail "the refusal invites deleting something: $FAIL_ERR"
fi
printf '%s' "$FAIL_ERR" | grep -q backup || fail "the refusal does not point to restoring a backup: $FAIL_ERR"

# 4. read-only database, and read-only directory: refused at start with a
# clear message. Root writes any file, so as root contestd runs as nobody.
R="$T/ro"
mkdir -p "$R"
sqlite3 "$R/contest.db" "CREATE TABLE t(x);"
as_user=()
if [ "$(id -u)" = 0 ]; then
	chmod 711 "$T"
	as_user=(setpriv --reuid=65534 --regid=65534 --clear-groups)
	chown 65534 "$R/contest.db"
fi
chmod 755 "$R"
chmod 444 "$R/contest.db"
[ "$(id -u)" = 0 ] && chown 0 "$R/contest.db"
expect_fail "read-only.*the file is not writable" "${as_user[@]}" "$CONTESTD" --db "$R/contest.db" --listen 127.0.0.1:0
chmod 600 "$R/contest.db"
[ "$(id -u)" = 0 ] && chown 65534 "$R/contest.db"
chmod 555 "$R"
expect_fail "read-only.*its directory is not writable" "${as_user[@]}" "$CONTESTD" --db "$R/contest.db" --listen 127.0.0.1:0
expect_fail "directory .* is not writable" "${as_user[@]}" "$CONTESTD" --db "$R/new.db" --listen 127.0.0.1:0
chmod 755 "$R"
note "ok: replaced and deleted databases refused with 503 and exit status non-zero; secret without database and read-only databases refused at start"
