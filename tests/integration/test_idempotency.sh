#!/usr/bin/env bash
# Score submissions carry an Idempotency-Key: a retry with the same key and
# body is answered exactly as the first and stores nothing (also when sent
# concurrently, and after a restart); the same key with another body is 409;
# a missing or malformed key is 400.
. "$(dirname "$0")/lib.sh"

setup_server
D="$T/csv"
mkdir -p "$D"
printf 'code,name\nCNC,数控铣\n' >"$D/events.csv"
printf 'event,module,module_name,module_weight,code,description,max,method\nCNC,A,编程,,A1,程序,10,mean\nCNC,A,编程,,A2,工艺,10,mean\n' >"$D/criteria.csv"
printf 'reg_id,name,organization,event\nC1,张三,一校,CNC\nC2,李四,二校,CNC\n' >"$D/contestants.csv"
printf 'code,name,organization,pin,event,role\nJ01,王伟,,246810,CNC,judge\n' >"$D/judges.csv"
for kind in events criteria contestants judges; do
	run_ok "import $kind" jc import "$kind" "$D/$kind.csv"
done
run_ok "draw" jc draw CNC
declare -A CODE
while read -r reg code; do CODE[$reg]=$code; done < <(anon_codes CNC)
c1=${CODE[C1]} c2=${CODE[C2]}
J01=$(judge_token J01 246810)

# post KEY BODY: a submission by J01 ("-" for no key header)
post() {
	if [ "$1" = - ]; then
		http POST /api/v1/events/CNC/scores -H "Authorization: Bearer $J01" -H 'Content-Type: application/json' \
			--data-binary "$2"
	else
		http POST /api/v1/events/CNC/scores -H "Authorization: Bearer $J01" -H 'Content-Type: application/json' \
			-H "Idempotency-Key: $1" --data-binary "$2"
	fi
}
# revisions CONTESTANT CRITERION: rows in score_revisions for J01's cell
revisions() {
	sqlite3 -readonly "$DB" "PRAGMA busy_timeout=5000;" \
		"SELECT count(*) FROM score_revisions r JOIN contestants c ON c.id = r.contestant_id
		 JOIN criteria k ON k.id = r.criterion_id WHERE c.reg_id = '$1' AND k.code = '$2';" | tail -n 1
}
sheet_value() {   # sheet_value CODE CRITERION: J01's latest value on the sheet
	http GET /api/v1/events/CNC/sheet -H "Authorization: Bearer $J01"
	[ "$LAST_STATUS" = 200 ] || fail "GET sheet: HTTP $LAST_STATUS $LAST_BODY"
	printf '%s' "$LAST_BODY" | python3 -c '
import json, sys
for c in json.load(sys.stdin)["contestants"]:
    if c["code"] == sys.argv[1]:
        print(c.get("values", {}).get(sys.argv[2], "none")); break
else:
    print("no such contestant")' "$1" "$2"
}

B1='{"contestant":"'"$c1"'","criterion":"A1","value":"7.5"}'
post key-one "$B1"
[ "$LAST_STATUS" = 201 ] || fail "first submission: HTTP $LAST_STATUS $LAST_BODY"
first=$LAST_BODY
[ "$(printf '%s' "$first" | json_get revision)" = 1 ] || fail "first submission is not revision 1: $first"
[ "$(printf '%s' "$first" | json_get value)" = 7.50 ] || fail "first submission value is not 7.50: $first"

# the retry: same status, same body, nothing stored
post key-one "$B1"
[ "$LAST_STATUS" = 201 ] || fail "retry: HTTP $LAST_STATUS (first was 201): $LAST_BODY"
[ "$LAST_BODY" = "$first" ] || fail "retry answered differently: first $first, retry $LAST_BODY"
post key-one "$B1"
[ "$LAST_BODY" = "$first" ] || fail "second retry answered differently: $LAST_BODY"
[ "$(revisions C1 A1)" = 1 ] || fail "a retried submission stored $(revisions C1 A1) revisions, expected 1"
[ "$(sheet_value "$c1" A1)" = 7.50 ] || fail "sheet value after retries: $(sheet_value "$c1" A1)"

# the same key with a different body: 409, nothing stored
post key-one '{"contestant":"'"$c1"'","criterion":"A1","value":"8"}'
[ "$LAST_STATUS" = 409 ] || fail "same key, different body: expected 409, got $LAST_STATUS $LAST_BODY"
[ "$(printf '%s' "$LAST_BODY" | json_get error.code)" = conflict ] || fail "409 without error code conflict: $LAST_BODY"
[ "$(sheet_value "$c1" A1)" = 7.50 ] || fail "a refused key reuse changed the value"
[ "$(revisions C1 A1)" = 1 ] || fail "a refused key reuse stored a revision"

# missing or malformed keys: 400, nothing stored
B2='{"contestant":"'"$c1"'","criterion":"A2","value":"6"}'
post - "$B2"
[ "$LAST_STATUS" = 400 ] || fail "no Idempotency-Key: expected 400, got $LAST_STATUS $LAST_BODY"
post "" "$B2"
[ "$LAST_STATUS" = 400 ] || fail "empty Idempotency-Key: expected 400, got $LAST_STATUS $LAST_BODY"
post "$(printf 'k%.0s' $(seq 1 129))" "$B2"
[ "$LAST_STATUS" = 400 ] || fail "129-character Idempotency-Key: expected 400, got $LAST_STATUS $LAST_BODY"
post "$(printf 'k%.0s' $(seq 1 128))" "$B2"
[ "$LAST_STATUS" = 201 ] || fail "128-character Idempotency-Key: expected 201, got $LAST_STATUS $LAST_BODY"
[ "$(revisions C1 A2)" = 1 ] || fail "C1 A2 should have exactly 1 revision, has $(revisions C1 A2)"

# a new key for the same cell is a revision (revision 2)
post key-two '{"contestant":"'"$c1"'","criterion":"A1","value":"8"}'
[ "$LAST_STATUS" = 201 ] || fail "revision: HTTP $LAST_STATUS $LAST_BODY"
[ "$(printf '%s' "$LAST_BODY" | json_get revision)" = 2 ] || fail "new key, same cell: expected revision 2: $LAST_BODY"
[ "$(sheet_value "$c1" A1)" = 8.00 ] || fail "the latest value should count: $(sheet_value "$c1" A1)"
# and the old key still answers its first answer, without changing anything
post key-one "$B1"
[ "$LAST_BODY" = "$first" ] || fail "old key after a revision answered differently: $LAST_BODY"
[ "$(sheet_value "$c1" A1)" = 8.00 ] || fail "an old key's retry reverted the value to $(sheet_value "$c1" A1)"
[ "$(revisions C1 A1)" = 2 ] || fail "C1 A1 should have 2 revisions, has $(revisions C1 A1)"

# concurrent duplicates: 8 copies of one submission at once, one revision
B3='{"contestant":"'"$c2"'","criterion":"A1","value":"5.25"}'
DUPS=()
for i in 1 2 3 4 5 6 7 8; do
	curl -s -o "$T/dup.$i" -w '%{http_code}\n' --max-time 30 -X POST "$S/api/v1/events/CNC/scores" \
		-H "Authorization: Bearer $J01" -H 'Content-Type: application/json' \
		-H 'Idempotency-Key: concurrent-1' --data-binary "$B3" >"$T/dup.$i.status" &
	DUPS+=($!)
done
wait "${DUPS[@]}"
for i in 2 3 4 5 6 7 8; do
	cmp -s "$T/dup.1" "$T/dup.$i" || fail "concurrent duplicates answered differently: $(cat "$T/dup.1") vs $(cat "$T/dup.$i")"
	cmp -s "$T/dup.1.status" "$T/dup.$i.status" || fail "concurrent duplicates: statuses differ"
done
[ "$(cat "$T/dup.1.status")" = 201 ] || fail "concurrent duplicates: HTTP $(cat "$T/dup.1.status") $(cat "$T/dup.1")"
[ "$(revisions C2 A1)" = 1 ] || fail "8 concurrent duplicates stored $(revisions C2 A1) revisions, expected 1"

# the answer survives a restart (SIGTERM: exit 0; no new admin secret)
secret_before=$(cat "$DB.admin-secret")
stop_contestd
[ "$CONTESTD_EXIT" = 0 ] || fail "contestd exited with status $CONTESTD_EXIT on SIGTERM (expected 0)"
lines_before=$(wc -l <"$LOG")
start_contestd
[ "$(cat "$DB.admin-secret")" = "$secret_before" ] || fail "a restart changed the admin secret file"
tail -n +"$((lines_before + 1))" "$LOG" | grep -qi 'admin secret:' && fail "a restart on an existing database printed an admin secret again"
post key-one "$B1"
[ "$LAST_STATUS" = 201 ] && [ "$LAST_BODY" = "$first" ] ||
	fail "after a restart the retry answered HTTP $LAST_STATUS $LAST_BODY (first: 201 $first)"
[ "$(revisions C1 A1)" = 2 ] || fail "a retry after restart stored a revision"

# results agree: C1 A1 = 8 (latest), A2 = 6; C2 A1 = 5.25
login_admin
api_admin GET /api/v1/events/CNC/results
printf '%s' "$LAST_BODY" | python3 -c '
import json, sys
rows = {r["reg_id"]: r for r in json.load(sys.stdin)["results"]}
assert rows["C1"]["total"] == "14.00", rows["C1"]
assert rows["C2"]["total"] == "5.25", rows["C2"]' || fail "results after retries are wrong: $LAST_BODY"
note "ok"
