#!/usr/bin/env bash
# Corrections and refusals an organizer and a judge meet on a contest day
# (issue 8 items 4, 5, 6 and 12):
#  - `contestant set --reason ""` clears the reason (and so does the API's
#    "reason": null); the audit never writes an unknown time as -1;
#  - a score import that gives one value twice (same contestant, criterion
#    and judge) is refused naming both lines, also when one line names the
#    contestant by registration id and the other by anonymous code, and an
#    API batch with such rows is refused naming both rows; nothing stored;
#  - a judge who scores a code not on the judge's sheet gets the same answer
#    whether nobody has the code or a colleague of the judge's organization
#    does;
#  - "1 contestant", not "1 contestants".
. "$(dirname "$0")/lib.sh"
setup_server

D="$T/csv"
mkdir -p "$D"
cat >"$D/events.csv" <<'EOF'
code,name
CNC,数控铣
SOLO,独奏
EOF
cat >"$D/criteria.csv" <<'EOF'
event,module,module_name,module_weight,code,description,max,method
CNC,A,加工,,A1,尺寸,10,mean
CNC,A,,,A2,表面,10,mean
SOLO,S,演奏,,S1,技巧,10,mean
EOF
cat >"$D/contestants.csv" <<'EOF'
reg_id,name,organization,event
C1,张三,第一学院,CNC
C2,李四,第二学院,CNC
C3,王五,第三学院,CNC
S1,赵六,第一学院,SOLO
EOF
# J01 comes from 第二学院, as C2 does
cat >"$D/judges.csv" <<'EOF'
code,name,organization,pin,event,role
J01,周裁判,第二学院,246810,CNC,judge
J02,吴裁判,,135790,CNC,judge
J01,周裁判,第二学院,246810,SOLO,judge
EOF
for kind in events criteria contestants judges; do
	run_ok "import $kind" jc import "$kind" "$D/$kind.csv"
done
run_ok "draw CNC" jc draw CNC
run_ok "draw SOLO" jc draw SOLO
case $RUN_OUT in
*"1 contestant has a workstation"*) ;;
*) fail "drawing one contestant: $RUN_OUT" ;;
esac
declare -A CODE
while read -r reg code; do CODE[$reg]=$code; done < <(anon_codes CNC)

# field_of REG FIELD: the contestant's field as the admin list has it.
field_of() {
	api_admin GET /api/v1/events/CNC/contestants
	printf '%s' "$LAST_BODY" | python3 -c '
import json, sys
print([c[sys.argv[2]] for c in json.load(sys.stdin)["contestants"] if c["reg_id"] == sys.argv[1]][0])' "$1" "$2"
}
reason_of() { field_of "$1" reason; }

# ---------------------------------------------------------------- item 4
run_ok "contestant set --reason" jc contestant set C3 --status absent --reason 未到场
[ "$(reason_of C3)" = 未到场 ] || fail "the reason was not set: $(reason_of C3)"
run_ok "contestant set --reason ''" jc contestant set C3 --reason ""
[ "$(reason_of C3)" = None ] || fail "contestant set --reason \"\" left the reason \"$(reason_of C3)\""
case $RUN_OUT in *"reason none"*) ;; *) fail "contestant set --reason \"\" says: $RUN_OUT" ;; esac
[ "$(field_of C3 status)" = absent ] ||
	fail "clearing the reason changed the status"
# the API: null clears as "" does
run_ok "contestant set --reason" jc contestant set C3 --reason 迟到
api_admin PATCH /api/v1/contestants/C3 '{"reason":null}'
[ "$LAST_STATUS" = 200 ] || fail "PATCH {\"reason\":null}: HTTP $LAST_STATUS $LAST_BODY"
[ "$(reason_of C3)" = None ] || fail "PATCH {\"reason\":null} left the reason \"$(reason_of C3)\""
run_ok "contestant set --status competed" jc contestant set C3 --status competed --time 3600
run_ok "contestant set --time none" jc contestant set C3 --time none

# item 12: the audit says what changed, never "time -1"
audit=$(python3 -c '
import sqlite3, sys
db = sqlite3.connect("file:" + sys.argv[1] + "?mode=ro", uri=True)
for o, n in db.execute("SELECT old_value, new_value FROM audit WHERE action = ? ORDER BY seq", ("contestant.status",)):
    print("%s -> %s" % (o, n))' "$DB")
printf '%s\n' "$audit" | grep -q -- '-1' && fail "the audit writes an unknown time as -1: $audit"
expected_audit='competed -> absent, reason 未到场
absent, reason 未到场 -> absent
absent -> absent, reason 迟到
absent, reason 迟到 -> absent
absent -> competed, time 3600 s
competed, time 3600 s -> competed'
[ "$audit" = "$expected_audit" ] || fail "the audit of the changes of C3:
$audit
expected:
$expected_audit"

# ---------------------------------------------------------------- item 5
# the same value twice in one file: lines 2 and 4 (A1 of C1 by J02)
cat >"$D/dup.csv" <<'EOF'
event,contestant,criterion,judge,value
CNC,C1,A1,J02,7
CNC,C1,A2,J02,6
CNC,C1,A1,J02,8
EOF
expect_fail 'dup.csv:4: the same event, contestant, criterion and judge as line 2' jc import scores "$D/dup.csv"
grep -q 'nothing was imported' <<<"$FAIL_ERR" || fail "a refused import does not say nothing was imported: $FAIL_ERR"
# one line by registration id, the other by anonymous code: the server
# finds it, and judge-cli names the lines (2 and 3), not batch rows
printf 'event,contestant,criterion,judge,value\nCNC,C1,A1,J02,7\nCNC,%s,A1,J02,8\n' "${CODE[C1]}" >"$D/dup2.csv"
expect_fail 'dup2.csv:3:2: contestant: the same contestant, criterion and judge as line 2' \
	jc import scores "$D/dup2.csv"
# an API batch: rows 1 and 3 (0-based index 2)
api_admin POST /api/v1/scores/import '[{"event":"CNC","contestant":"C1","criterion":"A1","judge":"J02","value":"7"},
 {"event":"CNC","contestant":"C2","criterion":"A1","judge":"J02","value":"6"},
 {"event":"CNC","contestant":"'"${CODE[C1]}"'","criterion":"A1","judge":"J02","value":"8"}]'
[ "$LAST_STATUS" = 400 ] || fail "a batch with one value twice: HTTP $LAST_STATUS $LAST_BODY"
[ "$(printf '%s' "$LAST_BODY" | json_get error.index)" = 2 ] || fail "the error does not point at row index 2: $LAST_BODY"
body_matches 'row 3: the same contestant, criterion and judge as row 1' "the duplicate in a batch"
api_admin GET /api/v1/events/CNC/results
[ "$(printf '%s' "$LAST_BODY" | python3 -c 'import json,sys; print([r["total"] for r in json.load(sys.stdin)["results"] if r["reg_id"] == "C1"][0])')" = 0.00 ] ||
	fail "a refused import stored something: ${LAST_BODY:0:400}"
# the file without the repeat is fine
head -n 3 "$D/dup.csv" >"$D/ok.csv"
run_ok "import scores without the repeat" jc import scores "$D/ok.csv"

# ---------------------------------------------------------------- item 6
J01=$(judge_token J01 246810)
KEYN=0
# score_as TOKEN CODE: a submission of A1 = 5; sets LAST_STATUS, LAST_BODY
score_as() {
	KEYN=$((KEYN + 1))
	http POST /api/v1/events/CNC/scores -H "Authorization: Bearer $1" -H 'Content-Type: application/json' \
		-H "Idempotency-Key: rules-$KEYN" --data-binary '{"contestant":"'"$2"'","criterion":"A1","value":"5"}'
}
# an unused code: C2's with its first character changed
unknown=${CODE[C2]}
for ch in 2 3 4 5 6 7 8 9 A B C D E F G H J K; do
	try="$ch${unknown:1}"
	[ "$try" != "${CODE[C1]}" ] && [ "$try" != "${CODE[C2]}" ] && [ "$try" != "${CODE[C3]}" ] && break
done
unknown=$try
score_as "$J01" "${CODE[C2]}"
recused_status=$LAST_STATUS recused_body=${LAST_BODY//${CODE[C2]}/CODE}
score_as "$J01" "$unknown"
unknown_status=$LAST_STATUS unknown_body=${LAST_BODY//$unknown/CODE}
[ "$recused_status" = 404 ] && [ "$unknown_status" = 404 ] ||
	fail "recused code: HTTP $recused_status, unknown code: HTTP $unknown_status (both should be 404)"
[ "$recused_body" = "$unknown_body" ] || fail "a judge can tell a recused code from an unknown one:
  recused: $recused_body
  unknown: $unknown_body"
case $recused_body in *recus* | *organi*) fail "the answer speaks of recusal: $recused_body" ;; esac
# and through judge-cli: the same message, and what to do next
JUDGE_CLI_TOKEN_FILE="$T/token-J01" run_ok "login J01" jc login --judge J01 --pin 246810
JUDGE_CLI_TOKEN_FILE="$T/token-J01" expect_fail 'judge-cli sheet CNC' jc score CNC "${CODE[C2]}" A1 5
recused_err=${FAIL_ERR//${CODE[C2]}/CODE}
JUDGE_CLI_TOKEN_FILE="$T/token-J01" expect_fail 'judge-cli sheet CNC' jc score CNC "$unknown" A1 5
[ "$recused_err" = "${FAIL_ERR//$unknown/CODE}" ] || fail "judge-cli tells recused from unknown:
  $recused_err
  ${FAIL_ERR//$unknown/CODE}"
# the organizer entering a paper sheet is told why
printf 'event,contestant,criterion,judge,value\nCNC,C2,A1,J01,5\n' >"$D/recused.csv"
expect_fail 'recused' jc import scores "$D/recused.csv"
note "ok: reason cleared, audit without -1, duplicates refused naming both lines/rows, recusal not leaked"
