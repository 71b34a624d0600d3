#!/usr/bin/env bash
# Bad input anywhere gets the right status and a clear message, and changes
# nothing: malformed JSON, wrong types, unknown names, out-of-range values,
# bad CSV rows (file:line:column, all-or-nothing), GBK files, oversized
# bodies, missing or wrong credentials, recusal, event states, content types.
. "$(dirname "$0")/lib.sh"

MAX_BODY=65536
setup_server --max-body "$MAX_BODY"
D="$T/csv"
mkdir -p "$D"

# ---------------------------------------------------------------- HTTP basics
expect_error 404 not_found GET /api/v1/no-such-thing -H "Authorization: Bearer $ADMIN_TOKEN"
expect_status 404 GET /no-such-page
expect_error 405 method_not_allowed PATCH /api/v1/events -H "Authorization: Bearer $ADMIN_TOKEN" \
	-H 'Content-Type: application/json' --data-binary '{}'
http DELETE /api/v1/events -H "Authorization: Bearer $ADMIN_TOKEN"
[ "$LAST_STATUS" = 405 ] && [ "$(printf '%s' "$LAST_BODY" | json_get error.code)" = method_not_allowed ] ||
	soft_fail "DELETE /api/v1/events: expected 405 method_not_allowed (docs/API.md), got $LAST_STATUS ${LAST_BODY:0:80}"
expect_error 401 unauthorized GET /api/v1/events
expect_error 401 unauthorized GET /api/v1/events -H "Authorization: Bearer not-a-token"
expect_error 401 unauthorized POST /api/v1/login -H 'Content-Type: application/json' --data-binary '{"secret":"wrong"}'
expect_error 415 unsupported_media_type POST /api/v1/events -H "Authorization: Bearer $ADMIN_TOKEN" \
	-H 'Content-Type: text/plain' --data-binary '{"code":"X","name":"x"}'
expect_error 400 invalid POST /api/v1/events -H "Authorization: Bearer $ADMIN_TOKEN" \
	-H 'Content-Type: application/json' --data-binary '{"code": "X", "name":'
expect_error 400 invalid POST /api/v1/events -H "Authorization: Bearer $ADMIN_TOKEN" \
	-H 'Content-Type: application/json' --data-binary '[{"code":"X","name":"x"} garbage'
# wrong types: a number where a string is expected, a string where an integer is
expect_error 400 invalid POST /api/v1/events -H "Authorization: Bearer $ADMIN_TOKEN" \
	-H 'Content-Type: application/json' --data-binary '{"code": 5, "name": "x"}'
# (integer fields take a JSON integer or a string of digits, as CSV cells
# arrive; anything else is refused)
expect_error 400 invalid POST /api/v1/events -H "Authorization: Bearer $ADMIN_TOKEN" \
	-H 'Content-Type: application/json' --data-binary '{"code": "X", "name": "x", "discrepancy_pct": "twenty"}'
expect_error 400 invalid POST /api/v1/events -H "Authorization: Bearer $ADMIN_TOKEN" \
	-H 'Content-Type: application/json' --data-binary '{"code": "X", "name": "x", "discrepancy_pct": 20.5}'
expect_error 400 invalid POST /api/v1/events -H "Authorization: Bearer $ADMIN_TOKEN" \
	-H 'Content-Type: application/json' --data-binary '{"code": "X", "name": "x", "discrepancy_pct": true}'
expect_error 400 invalid POST /api/v1/events -H "Authorization: Bearer $ADMIN_TOKEN" \
	-H 'Content-Type: application/json' --data-binary '{"code": "X", "name": "x", "discrepancy_pct": 101}'
expect_error 400 invalid POST /api/v1/events -H "Authorization: Bearer $ADMIN_TOKEN" \
	-H 'Content-Type: application/json' --data-binary '{"code": "X", "name": "x", "min_award_score": 60.5}'
expect_error 400 invalid POST /api/v1/events -H "Authorization: Bearer $ADMIN_TOKEN" \
	-H 'Content-Type: application/json' --data-binary '{"code": "X", "name": "x", "award_ratios": "50/40/30"}'
# a batch with a bad second row: 400 naming the row, and the first row is not stored
expect_error 400 invalid POST /api/v1/events -H "Authorization: Bearer $ADMIN_TOKEN" \
	-H 'Content-Type: application/json' --data-binary '[{"code":"N1","name":"一"},{"code":"N2"}]'
[ "$(printf '%s' "$LAST_BODY" | json_get error.index)" = 1 ] || fail "batch error does not name index 1: $LAST_BODY"
expect_error 404 not_found GET /api/v1/events/N1 -H "Authorization: Bearer $ADMIN_TOKEN"
expect_error 404 not_found GET /api/v1/events/X -H "Authorization: Bearer $ADMIN_TOKEN"

# oversized body: 413, and nothing stored
python3 -c '
import json, sys
rows = [{"code": "BIG%05d" % i, "name": "大" * 20} for i in range(int(sys.argv[1]) // 40)]
print(json.dumps(rows))' "$((MAX_BODY * 2))" >"$T/big.json"
[ "$(stat -c %s "$T/big.json")" -gt "$MAX_BODY" ] || fail "test bug: big.json is not over $MAX_BODY bytes"
# refused on the request's head, before the body is read, with the JSON error
expect_error 413 too_large POST /api/v1/events -H "Authorization: Bearer $ADMIN_TOKEN" \
	-H 'Content-Type: application/json' --data-binary @"$T/big.json"
body_matches "at most $MAX_BODY" "the 413 names the limit"
expect_error 404 not_found GET /api/v1/events/BIG00000 -H "Authorization: Bearer $ADMIN_TOKEN"
kill -0 "$CONTESTD_PID" || fail "contestd died on an oversized body"

# ---------------------------------------------------------------- a contest
# Column order is free and a UTF-8 BOM is allowed.
printf '\xef\xbb\xbfname,code,discrepancy_pct\n数控铣,CNC,20\n其他赛项,OTHER,\n' >"$D/events.csv"
run_ok "import events (BOM, columns reordered)" jc import events "$D/events.csv"
cat >"$D/criteria.csv" <<'EOF'
event,module,module_name,module_weight,code,description,max,method
CNC,A,编程,,A1,程序正确,10,mean
CNC,A,编程,,A2,工艺,10,judgement
OTHER,O,综合,,O1,综合,10,mean
EOF
run_ok "import criteria" jc import criteria "$D/criteria.csv"
cat >"$D/contestants.csv" <<'EOF'
reg_id,name,organization,event
C1,张三,第一学院,CNC
C2,李四,市质检院,CNC
C3,王五,第一学院,CNC
X1,赵六,第一学院,OTHER
EOF
run_ok "import contestants" jc import contestants "$D/contestants.csv"
# J01 shares 市质检院 with C2. J02 judges OTHER only. CH1 is CNC's chief.
cat >"$D/judges.csv" <<'EOF'
code,name,organization,pin,event,role
J01,王伟,市质检院,246810,CNC,judge
J03,孙燕,,333444,CNC,judge
J02,周敏,,135790,OTHER,judge
CH1,陈长,市协会,777888,CNC,chief
EOF
run_ok "import judges" jc import judges "$D/judges.csv"

# counts: contestants of an event, criteria of an event
n_contestants() {
	api_admin GET "/api/v1/events/$1/contestants"
	[ "$LAST_STATUS" = 200 ] || fail "GET contestants of $1: HTTP $LAST_STATUS $LAST_BODY"
	printf '%s' "$LAST_BODY" | json_get 'length(contestants)'
}
n_criteria() {
	api_admin GET "/api/v1/events/$1"
	[ "$LAST_STATUS" = 200 ] || fail "GET event $1: HTTP $LAST_STATUS $LAST_BODY"
	printf '%s' "$LAST_BODY" | python3 -c 'import json,sys; print(sum(len(m["criteria"]) for m in json.load(sys.stdin)["modules"]))'
}
[ "$(n_contestants CNC)" = 3 ] || fail "CNC should have 3 contestants"
[ "$(n_criteria CNC)" = 2 ] || fail "CNC should have 2 criteria"

# ---------------------------------------------------------------- bad CSV files
# An unknown event in line 4 (column 4): the whole file is refused.
cat >"$D/bad_contestants.csv" <<'EOF'
reg_id,name,organization,event
B1,甲,第一学院,CNC
B2,乙,第一学院,CNC
B3,丙,第一学院,NOPE
B4,丁,第一学院,CNC
EOF
expect_fail 'bad_contestants\.csv:4:4' jc import contestants "$D/bad_contestants.csv"
note "bad row message: $(head -n 1 <<<"$FAIL_ERR")"
[ "$(n_contestants CNC)" = 3 ] || fail "a refused CSV import stored contestants (CNC has $(n_contestants CNC), expected 3)"
# A bad mark in line 3, column 7 (max).
cat >"$D/bad_criteria.csv" <<'EOF'
event,module,module_name,module_weight,code,description,max,method
CNC,B,实操,,B1,尺寸,5,mean
CNC,B,实操,,B2,表面,ten,mean
EOF
expect_fail 'bad_criteria\.csv:3:7' jc import criteria "$D/bad_criteria.csv"
[ "$(n_criteria CNC)" = 2 ] || fail "a refused criteria import stored criteria"
# A mark with three decimal places in line 2, column 7.
printf 'event,module,module_name,module_weight,code,description,max,method\nCNC,B,实操,,B1,尺寸,5.125,mean\n' >"$D/bad_criteria2.csv"
expect_fail 'bad_criteria2\.csv:2:7' jc import criteria "$D/bad_criteria2.csv"
# An unknown method in line 2, column 8.
printf 'event,module,module_name,module_weight,code,description,max,method\nCNC,B,实操,,B1,尺寸,5,average\n' >"$D/bad_criteria3.csv"
expect_fail 'bad_criteria3\.csv:2:8' jc import criteria "$D/bad_criteria3.csv"
[ "$(n_criteria CNC)" = 2 ] || fail "a refused criteria import stored criteria"
# A CSV syntax error (unterminated quote) in line 3.
printf 'reg_id,name,organization,event\nB1,甲,第一学院,CNC\nB2,"乙,第一学院,CNC\n' >"$D/bad_quote.csv"
expect_fail 'bad_quote\.csv:3:[0-9]+' jc import contestants "$D/bad_quote.csv"
# A required column missing from the header.
printf 'reg_id,name,event\nB1,甲,CNC\n' >"$D/bad_header.csv"
expect_fail 'bad_header\.csv.*organization' jc import contestants "$D/bad_header.csv"
# A duplicate reg_id inside the file (line 3, column 1).
printf 'reg_id,name,organization,event\nB1,甲,第一学院,CNC\nB1,乙,第一学院,CNC\n' >"$D/bad_dup.csv"
expect_fail 'bad_dup\.csv:3:1' jc import contestants "$D/bad_dup.csv"
[ "$(n_contestants CNC)" = 3 ] || fail "a refused CSV import stored contestants"
expect_fail '.' jc import contestants "$D/no-such-file.csv"

# ---------------------------------------------------------------- GBK
# A file saved by Chinese Excel: GBK bytes, CRLF line ends.
python3 -c '
import sys
text = "reg_id,name,organization,event\r\nG1,欧阳娜娜,广州市轻工技师学院,CNC\r\nG2,司马懿,第一学院,CNC\r\n"
open(sys.argv[1], "wb").write(text.encode("gbk"))' "$D/gbk.csv"
# without --encoding the file is not UTF-8: refused, nothing stored
expect_fail 'gbk\.csv' jc import contestants "$D/gbk.csv"
[ "$(n_contestants CNC)" = 3 ] || fail "a GBK file read as UTF-8 stored contestants"
run_ok "import contestants --encoding GBK" jc import contestants "$D/gbk.csv" --encoding GBK
api_admin GET /api/v1/events/CNC/contestants
got=$(printf '%s' "$LAST_BODY" | python3 -c '
import json, sys
d = {c["reg_id"]: (c["name"], c["organization"]) for c in json.load(sys.stdin)["contestants"]}
print(d.get("G1"), d.get("G2"))')
[ "$got" = "('欧阳娜娜', '广州市轻工技师学院') ('司马懿', '第一学院')" ] ||
	fail "GBK import: names did not come back as UTF-8: $got"
run_ok "contestants CNC --format csv" jc contestants CNC --format csv
printf '%s\n' "$RUN_OUT" | grep -q '欧阳娜娜' || fail "judge-cli contestants does not show the GBK name in UTF-8"
[ "$(n_contestants CNC)" = 5 ] || fail "CNC should have 5 contestants"

# ---------------------------------------------------------------- scores and states
J01=$(judge_token J01 246810)
J02=$(judge_token J02 135790)
J03=$(judge_token J03 333444)
CH1=$(judge_token CH1 777888)
expect_error 401 unauthorized POST /api/v1/login -H 'Content-Type: application/json' \
	--data-binary '{"judge":"J01","pin":"000000"}'

KEYN=0
# score TOKEN EVENT JSON: a judge's submission with a fresh idempotency key.
score() {
	KEYN=$((KEYN + 1))
	http POST "/api/v1/events/$2/scores" -H "Authorization: Bearer $1" -H 'Content-Type: application/json' \
		-H "Idempotency-Key: bad-input-$KEYN-$$" --data-binary "$3"
}
expect_score() {   # expect_score STATUS ERRCODE TOKEN EVENT JSON
	score "$3" "$4" "$5"
	[ "$LAST_STATUS" = "$1" ] || fail "score $5 on $4: expected HTTP $1, got $LAST_STATUS: ${LAST_BODY:0:300}"
	[ -z "$2" ] || [ "$(printf '%s' "$LAST_BODY" | json_get error.code)" = "$2" ] ||
		fail "score $5 on $4: expected error code $2: ${LAST_BODY:0:300}"
}

# before the draw: 409 naming the state (setup)
expect_score 409 conflict "$J01" CNC '{"contestant":"AAAAAA","criterion":"A1","value":"5"}'
body_matches 'setup' "score before the draw"
expect_error 409 conflict POST /api/v1/scores/import -H "Authorization: Bearer $ADMIN_TOKEN" \
	-H 'Content-Type: application/json' \
	--data-binary '[{"event":"CNC","contestant":"C1","criterion":"A1","judge":"J01","value":"5"}]'
body_matches 'setup' "score import before the draw"
printf 'event,contestant,criterion,judge,value\nCNC,C1,A1,J01,5\n' >"$D/early_scores.csv"
expect_fail 'setup' jc import scores "$D/early_scores.csv"

run_ok "draw CNC" jc draw CNC
run_ok "draw OTHER" jc draw OTHER
expect_error 409 conflict POST /api/v1/events/CNC/draw -H "Authorization: Bearer $ADMIN_TOKEN"
# the score sheet and the contestants are fixed by the draw
printf 'reg_id,name,organization,event\nL1,迟到,第一学院,CNC\n' >"$D/late_contestants.csv"
expect_fail 'drawn' jc import contestants "$D/late_contestants.csv"
printf 'event,module,module_name,module_weight,code,description,max,method\nCNC,A,编程,,A9,迟到,10,mean\n' >"$D/late_criteria.csv"
expect_fail 'drawn' jc import criteria "$D/late_criteria.csv"
[ "$(n_contestants CNC)" = 5 ] && [ "$(n_criteria CNC)" = 2 ] || fail "imports after the draw changed the event"
declare -A CODE
while read -r reg code; do CODE[$reg]=$code; done < <(anon_codes CNC; anon_codes OTHER)
c1=${CODE[C1]} c2=${CODE[C2]} c3=${CODE[C3]} x1=${CODE[X1]}

# unknown event: 404 (admin) and not 2xx for a judge
expect_error 404 not_found GET /api/v1/events/NOPE/results -H "Authorization: Bearer $ADMIN_TOKEN"
score "$J01" NOPE '{"contestant":"'"$c1"'","criterion":"A1","value":"5"}'
case $LAST_STATUS in 403 | 404) ;; *) fail "score on an unknown event: HTTP $LAST_STATUS: $LAST_BODY" ;; esac

expect_score 400 invalid "$J01" CNC '{"contestant":"'"$c1"'","criterion":"A1","value":7.5}'
expect_score 400 invalid "$J01" CNC '{"contestant":"'"$c1"'","criterion":"A1","value":"10.01"}'
expect_score 400 invalid "$J01" CNC '{"contestant":"'"$c1"'","criterion":"A1","value":"7.555"}'
expect_score 400 invalid "$J01" CNC '{"contestant":"'"$c1"'","criterion":"A1","value":"-1"}'
expect_score 400 invalid "$J01" CNC '{"contestant":"'"$c1"'","criterion":"A1","value":"abc"}'
expect_score 400 invalid "$J01" CNC '{"contestant":"'"$c1"'","criterion":"A1","value":"1e1"}'
expect_score 400 invalid "$J01" CNC '{"contestant":"'"$c1"'","criterion":"A1","value":true}'
expect_score 400 invalid "$J01" CNC '{"contestant":"'"$c1"'","criterion":"A1"}'
expect_score 400 invalid "$J01" CNC '{"contestant":'"1"',"criterion":"A1","value":"5"}'
expect_score 400 invalid "$J01" CNC '{"contestant":"'"$c1"'","criterion":"A1","value":"5"'
expect_score 400 invalid "$J01" CNC '{"contestant":"'"$c1"'","criterion":"A2","value":"4"}'
expect_score 400 invalid "$J01" CNC '{"contestant":"'"$c1"'","criterion":"A2","value":"2.5"}'
expect_score 404 not_found "$J01" CNC '{"contestant":"'"$c1"'","criterion":"ZZ","value":"5"}'
expect_score 404 not_found "$J01" CNC '{"contestant":"ZZZZZZ","criterion":"A1","value":"5"}'
# recused (same organization): answered as an unknown code would be (404),
# so the answer does not tell J01 that a colleague competes under it;
# not assigned, chief judges do not score
expect_score 404 not_found "$J01" CNC '{"contestant":"'"$c2"'","criterion":"A1","value":"5"}'
expect_score 403 forbidden "$J01" OTHER '{"contestant":"'"$x1"'","criterion":"O1","value":"5"}'
expect_error 403 forbidden GET /api/v1/events/OTHER/sheet -H "Authorization: Bearer $J01"
expect_score 403 forbidden "$CH1" CNC '{"contestant":"'"$c1"'","criterion":"A1","value":"5"}'
# a judge may not use admin endpoints
expect_error 403 forbidden GET /api/v1/events/CNC/results -H "Authorization: Bearer $J01"
expect_error 403 forbidden POST /api/v1/events -H "Authorization: Bearer $J01" \
	-H 'Content-Type: application/json' --data-binary '{"code":"J","name":"j"}'
# a judge sees only the events assigned to him
expect_status 200 GET /api/v1/events -H "Authorization: Bearer $J02"
[ "$(printf '%s' "$LAST_BODY" | python3 -c 'import json,sys; print(" ".join(e["code"] + ":" + str(e.get("role")) for e in json.load(sys.stdin)["events"]))')" = "OTHER:judge" ] ||
	fail "J02's event list should be exactly OTHER as judge: $LAST_BODY"
# the recused contestant is not on J01's sheet
expect_status 200 GET /api/v1/events/CNC/sheet -H "Authorization: Bearer $J01"
printf '%s' "$LAST_BODY" | grep -q "$c2" && fail "J01's sheet lists the recused contestant C2 ($c2): $LAST_BODY"
printf '%s' "$LAST_BODY" | grep -q "$c1" || fail "J01's sheet does not list C1 ($c1): $LAST_BODY"
printf '%s' "$LAST_BODY" | grep -q '张三\|"C1"' && fail "J01's sheet shows a name or reg_id: $LAST_BODY"
# nothing above was stored
api_admin GET /api/v1/events/CNC/results
printf '%s' "$LAST_BODY" | python3 -c '
import json, sys
d = json.load(sys.stdin)
bad = [r for r in d["results"] if r["total"] != "0.00"]
sys.exit(1 if bad else 0)' || fail "refused scores changed the results: $LAST_BODY"

# the judge-cli shows errors too
JUDGE_CLI_TOKEN_FILE="$T/token-J01" run_ok "login J01" jc login --judge J01 --pin 246810
JUDGE_CLI_TOKEN_FILE="$T/token-J01" expect_fail '.' jc score CNC "$c1" A1 11
JUDGE_CLI_TOKEN_FILE="$T/token-J01" expect_fail '.' jc score CNC "$c2" A1 5
JUDGE_CLI_TOKEN_FILE="$T/token-J01" expect_fail '.' jc score CNC "$c1" A1
expect_fail '.' jc results CNC --format xml
expect_fail '.' jc no-such-command
# a bad scores CSV row: line 3, column 5 (value over max); nothing stored
printf 'event,contestant,criterion,judge,value\nCNC,C1,A1,J03,5\nCNC,C3,A1,J03,12\n' >"$D/bad_scores.csv"
expect_fail 'bad_scores\.csv:3:5' jc import scores "$D/bad_scores.csv"
# a recused judge in a scores CSV: line 2
printf 'event,contestant,criterion,judge,value\nCNC,C2,A1,J01,5\n' >"$D/bad_scores2.csv"
expect_fail 'bad_scores2\.csv:2' jc import scores "$D/bad_scores2.csv"
api_admin GET /api/v1/events/CNC/results
printf '%s' "$LAST_BODY" | python3 -c '
import json, sys
sys.exit(1 if [r for r in json.load(sys.stdin)["results"] if r["total"] != "0.00"] else 0)' ||
	fail "a refused scores import changed the results: $LAST_BODY"

# ---------------------------------------------------------------- lock
# C1 has A1 from J01 only; everything else is missing: 409 with blockers.
expect_score 201 "" "$J01" CNC '{"contestant":"'"$c1"'","criterion":"A1","value":"7.5"}'
[ "$(printf '%s' "$LAST_BODY" | json_get value)" = "7.50" ] || fail "score answer value is not \"7.50\": $LAST_BODY"
expect_error 409 conflict POST /api/v1/events/CNC/lock -H "Authorization: Bearer $ADMIN_TOKEN"
printf '%s' "$LAST_BODY" | python3 -c '
import json, sys
b = json.load(sys.stdin)["error"]["blockers"]
# 5 competed contestants x 2 criteria x 2 judges = 20, minus 4 recused (C2 by J01:
# 2 criteria), minus the 1 value given: 20 - 2 - 1 = 17 missing, 5 incomplete
assert b["n_missing"] == 17, b["n_missing"]
assert b["n_incomplete"] == 5, b["n_incomplete"]
assert b["n_open_discrepancies"] == 0, b
assert any(m["contestant"] == "C3" and m["criterion"] == "A1" for m in b["missing"]), b["missing"]
assert not any(m["contestant"] == "C2" and m["judge"] == "J01" for m in b["missing"]), "recused judge listed as missing"
' || fail "lock blockers are wrong: $LAST_BODY"
expect_fail '.' jc lock CNC
# the chief judge is allowed to try, the other event's judge is not
expect_status 409 POST /api/v1/events/CNC/lock -H "Authorization: Bearer $CH1"
expect_status 403 POST /api/v1/events/CNC/lock -H "Authorization: Bearer $J02"

# a discrepancy blocks the lock too: spread 3 > 20% of 10
expect_score 201 "" "$J03" CNC '{"contestant":"'"$c1"'","criterion":"A1","value":"4.5"}'
# Complete everything else; G1, G2 and C3 did not compete.
for reg in C3 G1 G2; do
	run_ok "contestant set $reg" jc contestant set "$reg" --status absent --reason 未到场
done
expect_score 201 "" "$J01" CNC '{"contestant":"'"$c1"'","criterion":"A2","value":"2"}'
expect_score 201 "" "$J03" CNC '{"contestant":"'"$c1"'","criterion":"A2","value":"3"}'
expect_score 201 "" "$J03" CNC '{"contestant":"'"$c2"'","criterion":"A1","value":"6"}'
expect_score 201 "" "$J03" CNC '{"contestant":"'"$c2"'","criterion":"A2","value":"1"}'
expect_error 409 conflict POST /api/v1/events/CNC/lock -H "Authorization: Bearer $ADMIN_TOKEN"
printf '%s' "$LAST_BODY" | python3 -c '
import json, sys
b = json.load(sys.stdin)["error"]["blockers"]
assert b["n_missing"] == 0 and b["n_open_discrepancies"] == 1, b
d = b["discrepancies"][0]
assert d["contestant"] == "C1" and d["criterion"] == "A1" and d["low"] == "4.50" and d["high"] == "7.50", d
' || fail "lock blockers for a discrepancy are wrong: $LAST_BODY"
# J03 revises to 6 (spread 1.5): lockable
expect_score 201 "" "$J03" CNC '{"contestant":"'"$c1"'","criterion":"A1","value":"6"}'
[ "$(printf '%s' "$LAST_BODY" | json_get revision)" = 2 ] || fail "a revision should be revision 2: $LAST_BODY"
expect_status 200 POST /api/v1/events/CNC/lock -H "Authorization: Bearer $CH1"

# after the lock: 409 naming the state; status changes refused
expect_score 409 conflict "$J01" CNC '{"contestant":"'"$c1"'","criterion":"A1","value":"8"}'
body_matches 'locked' "score after the lock"
expect_fail '.' jc contestant set C1 --status absent --reason x
printf 'reg_id,status,elapsed_s,reason\nC1,disqualified,,违规\n' >"$D/late_checkin.csv"
expect_fail 'locked' jc import checkin "$D/late_checkin.csv"
printf 'event,contestant,criterion,judge,value\nCNC,C1,A1,J03,5\n' >"$D/late_scores.csv"
expect_fail 'locked' jc import scores "$D/late_scores.csv"
# C1: A1 mean(7.5, 6) = 6.75; A2 10*(2+3)/6 = 8.333 -> 8.33; A = 15.08
# C2: A1 6; A2 10*1/3 = 3.333 -> 3.33; A = 9.33
run_ok "results CNC csv" jc results CNC --format csv --encoding utf-8
printf '%s\n' "$RUN_OUT" | grep -q '^C1,张三,第一学院,,competed,15.08,15.08,1,' ||
	fail "CNC results: C1 should total 15.08 with rank 1: $RUN_OUT"
printf '%s\n' "$RUN_OUT" | grep -q '^C2,李四,市质检院,,competed,9.33,9.33,2,' ||
	fail "CNC results: C2 should total 9.33 with rank 2: $RUN_OUT"
kill -0 "$CONTESTD_PID" || fail "contestd died"

# repeated failed logins are slowed down: at most 5 failures in 15 minutes
# (two failed above), then 429 with Retry-After, even with the right PIN
for i in 1 2 3 4 5 6; do
	http POST /api/v1/login -H 'Content-Type: application/json' --data-binary '{"judge":"J02","pin":"wrong-pin"}'
	[ "$LAST_STATUS" = 429 ] && break
	[ "$LAST_STATUS" = 401 ] || fail "failed login $i: expected 401 or 429, got $LAST_STATUS $LAST_BODY"
done
[ "$LAST_STATUS" = 429 ] || fail "6 failed logins in a row were never answered 429"
ra=$(curl -s -D - -o /dev/null --max-time 10 -X POST "$S/api/v1/login" -H 'Content-Type: application/json' \
	--data-binary '{"judge":"J02","pin":"135790"}' | tr -d '\r' | awk -F': ' 'tolower($1) == "retry-after" {print $2}')
[ -n "$ra" ] && [ "$ra" -gt 0 ] 2>/dev/null || fail "a rate-limited login has no Retry-After header"

# a database from a newer schema version is refused with a clear message
cp "$DB" "$T/newer.db"
sqlite3 "$T/newer.db" 'PRAGMA user_version = 999;'
rc=0
timeout 10 "$CONTESTD" --db "$T/newer.db" --listen 127.0.0.1:0 --public-url http://127.0.0.1/ \
	>"$T/newer.out" 2>"$T/newer.err" || rc=$?
[ $rc -ne 0 ] && [ $rc -ne 124 ] || fail "contestd on a database of schema version 999: exit $rc (expected a refusal)"
grep -qi 'schema\|version' "$T/newer.err" || fail "contestd refused a newer schema without saying why: $(head -c 300 "$T/newer.err")"
[ ${#SOFT_FAILS[@]} -gt 0 ] || note "ok"
