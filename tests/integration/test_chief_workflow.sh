#!/usr/bin/env bash
# The chief judge's contest day through the real judge-cli and curl: progress
# (what the chief sees, in code order, and the 304 of an unchanged event), a
# measurement discrepancy accepted with the value that stands, a deduction
# without a value, a judge withdrawn and another added to the drawn event,
# the lock, unlock with a reason and a correction, judge statistics, the audit
# trail. Every expected figure is worked out by hand in the comments.
. "$(dirname "$0")/lib.sh"

setup_server
D="$T/csv"
mkdir -p "$D"

cat >"$D/events.csv" <<'EOF'
code,name
WELD,焊接
TOUR,导游服务
EOF
# WELD, unweighted: module A = A1 (mean, 10) + A2 (measurement, 5) - A3
# (deduction, 5); module B = B1 (judgement, 10).
cat >"$D/criteria.csv" <<'EOF'
event,module,module_name,module_weight,code,description,max,method
WELD,A,实操,,A1,工位整理,10,mean
WELD,A,,,A2,坡口尺寸,5,measurement
WELD,A,,,A3,安全违规,5,deduction
WELD,B,质量,,B1,焊缝外观,10,judgement
TOUR,P,讲解,,P1,讲解内容,10,mean
EOF
cat >"$D/contestants.csv" <<'EOF'
reg_id,name,organization,event,id_number
W01,张伟,第一技师学院,WELD,110101200001011234
W02,李娜,第二技师学院,WELD,
W03,王芳,第三职业学校,WELD,
T01,孙丽,旅游职业学校,TOUR,
EOF
# J01 shares 第二技师学院 with W02 (recused); H01 is WELD's chief.
cat >"$D/judges.csv" <<'EOF'
code,name,organization,pin,event,role
J01,王建国,第二技师学院,246810,WELD,judge
J02,李秀英,市质检院,135790,WELD,judge
J03,张志红,,112200,WELD,judge
H01,陈明,市焊接协会,555555,WELD,chief
J04,刘海波,,998877,TOUR,judge
H02,周海涛,,777777,TOUR,chief
EOF
for kind in events criteria contestants judges; do
	run_ok "import $kind" jc import "$kind" "$D/$kind.csv"
done
run_ok "draw WELD" jc draw WELD
run_ok "draw TOUR" jc draw TOUR
declare -A CODE
while read -r reg code; do CODE[$reg]=$code; done < <(anon_codes WELD)

# as ROLE ARGS...: judge-cli with the token file of ROLE (a judge code).
as() {
	local who=$1
	shift
	JUDGE_CLI_TOKEN_FILE="$T/token-$who" "$@"
}
for j in J01:246810 J02:135790 J03:112200 H01:555555 H02:777777; do
	as "${j%%:*}" run_ok "login ${j%%:*}" jc login --judge "${j%%:*}" --pin "${j##*:}"
done
H01_TOKEN=$(judge_token H01 555555)
sc() { as "$1" run_ok "$1 scores $2 $3=$4" jc score WELD "${CODE[$2]}" "$3" "$4"; }

# W01: A1 8, 8.5, 9; A2 4.5 (J01) and 4.0 (J02) disagree; no deduction; B1 3, 3, 2.
sc J01 W01 A1 8; sc J02 W01 A1 8.5; sc J03 W01 A1 9
sc J01 W01 A2 4.5; sc J02 W01 A2 4.0
sc J01 W01 B1 3; sc J02 W01 B1 3; sc J03 W01 B1 2
# W02 (J01 recused): A1 7, 7.5; A2 3; A3 1 (J03); B1 2 from J02, J03's missing.
sc J02 W02 A1 7; sc J03 W02 A1 7.5; sc J02 W02 A2 3; sc J03 W02 A3 1; sc J02 W02 B1 2
# W03: A1 6 and 6 (J02's missing); no A2 at all; B1 1, 1, 1.
sc J01 W03 A1 6; sc J03 W03 A1 6
sc J01 W03 B1 1; sc J02 W03 B1 1; sc J03 W03 B1 1

# ---------------------------------------------------------------- progress
# Required per judge: A1 and B1 from each judge for each competed contestant
# they are not recused from: J01 2 x 2 = 4, J02 and J03 3 x 2 = 6 each; plus
# one A2 value per contestant (3): 19. Missing: J02 W03 A1, J03 W02 B1, W03
# A2: 3. Complete: W01 only. Open discrepancies: W01 A2 (4.5 vs 4.0); W01 B1
# spreads 1 (not over 1); W02 A1 spreads 0.5 (limit 20 % of 10 = 2).
as H01 run_ok "progress as the chief" jc progress WELD --format json
printf '%s' "$RUN_OUT" >"$T/progress.json"
python3 - "$T/progress.json" "${CODE[W01]}" "${CODE[W02]}" "${CODE[W03]}" <<'PY' || fail "the chief's progress is not as worked out by hand: $RUN_OUT"
import json, sys
p = json.load(open(sys.argv[1]))
w01, w02, w03 = sys.argv[2:5]
s = p["summary"]
assert (s["competed"], s["complete"], s["incomplete"]) == (3, 1, 2), s
assert (s["required"], s["entered"], s["missing"]) == (19, 16, 3), s
assert (s["discrepancies"], s["open_discrepancies"]) == (1, 1), s
assert p["identities"] is False
judges = {j["code"]: j for j in p["judges"]}
assert sorted(judges) == ["J01", "J02", "J03"], judges          # no chief
assert (judges["J01"]["required"], judges["J01"]["missing"]) == (4, 0)
assert (judges["J02"]["required"], judges["J02"]["entered"], judges["J02"]["missing_by_criterion"]) == (6, 5, {"A1": 1})
assert (judges["J03"]["missing_by_criterion"]) == {"B1": 1}
# never which code a judge owes (that would show recusals), never identities
assert all("missing_values" not in j for j in p["judges"])
assert [c["code"] for c in p["contestants"]] == sorted([w02, w03]), p["contestants"]
assert all(set(c) == {"code", "missing_by_criterion"} for c in p["contestants"])
by = {c["code"]: c["missing_by_criterion"] for c in p["contestants"]}
assert by[w02] == {"B1": 1} and by[w03] == {"A1": 1, "A2": 1}, by
d, = p["discrepancies"]
assert (d["code"], d["criterion"], d["method"], d["low"], d["high"], d["accepted"]) == (w01, "A2", "measurement", "4.00", "4.50", False), d
assert d["values"] == [{"judge": "J01", "value": "4.50"}, {"judge": "J02", "value": "4.00"}], d
assert "reg_id" not in d and "name" not in d
PY
for w in W01 W02 W03 张伟 李娜 王芳 技师学院 职业学校 1101; do
	grep -q -- "$w" "$T/progress.json" && fail "the chief's progress shows $w before the lock: $RUN_OUT"
done
as H01 run_ok "progress table" jc progress WELD
grep -q "1 of 3 competed contestants complete; 16 of 19 values entered, 3 missing" <<<"$RUN_OUT" ||
	fail "progress table summary: $RUN_OUT"
# The organizer sees registration ids and which values each judge owes.
api_admin GET /api/v1/events/WELD/progress
printf '%s' "$LAST_BODY" | python3 -c '
import json, sys
p = json.load(sys.stdin)
j = {x["code"]: x for x in p["judges"]}
assert [(m["reg_id"], m["criterion"]) for m in j["J02"]["missing_values"]] == [("W03", "A1")], j["J02"]
assert [(m["reg_id"], m["criterion"]) for m in j["J03"]["missing_values"]] == [("W02", "B1")], j["J03"]' ||
	fail "the organizer's progress does not name the missing values: ${LAST_BODY:0:600}"
# A judge and the chief of another event may not see it.
as J01 expect_fail 'only a chief judge of the event or an organizer may see its progress' jc progress WELD
as H02 expect_fail 'only a chief judge' jc progress WELD

# An unchanged event is answered 304 from its version, a changed one 200.
etag=$(curl -s -D - -o /dev/null --max-time 10 "$S/api/v1/events/WELD/progress" -H "Authorization: Bearer $H01_TOKEN" |
	tr -d '\r' | awk -F': ' 'tolower($1) == "etag" {print $2}')
[ -n "$etag" ] || fail "progress has no ETag"
expect_status 304 GET /api/v1/events/WELD/progress -H "Authorization: Bearer $H01_TOKEN" -H "If-None-Match: $etag"
[ -z "$LAST_BODY" ] || fail "a 304 has a body: $LAST_BODY"
expect_status 304 GET /api/v1/events/WELD/scores -H "Authorization: Bearer $H01_TOKEN" -H "If-None-Match: $etag"
# the ETag of the chief's view does not fit the organizer's (identities differ)
expect_status 200 GET /api/v1/events/WELD/progress -H "Authorization: Bearer $ADMIN_TOKEN" -H "If-None-Match: $etag"
sc J03 W02 B1 2
expect_status 200 GET /api/v1/events/WELD/progress -H "Authorization: Bearer $H01_TOKEN" -H "If-None-Match: $etag"
[ "$(printf '%s' "$LAST_BODY" | json_get summary.missing)" = 2 ] || fail "after J03's B1 for W02, 2 values are missing: ${LAST_BODY:0:300}"

# ---------------------------------------------------------------- the lock refused
expect_status 409 POST /api/v1/events/WELD/lock -H "Authorization: Bearer $H01_TOKEN"
printf '%s' "$LAST_BODY" | python3 -c '
import json, sys
e = json.load(sys.stdin)["error"]
b = e["blockers"]
assert e["message"] == "event WELD cannot be locked: 2 missing values for 1 contestant, 1 open discrepancy", e["message"]
assert (b["n_missing"], b["n_incomplete"], b["n_open_discrepancies"]) == (2, 1, 1), b
assert [m["criterion"] for m in b["missing"]] == ["A1", "A2"], b["missing"]
assert all(set(m) == {"code", "criterion", "values"} for m in b["missing"]), b["missing"]
assert all(set(x) == {"code", "criterion", "low", "high"} for x in b["discrepancies"]), b
' || fail "the lock's 409 to the chief is not by code without judges: ${LAST_BODY:0:600}"
as H01 expect_fail 'cannot be locked' jc lock WELD

# ---------------------------------------------------------------- accepting
as H01 expect_fail 'name the value that stands' jc accept WELD "${CODE[W01]}" A2 --reason 复测
as H01 expect_fail 'give --reason' jc accept WELD "${CODE[W01]}" A2 --value 4.2
as H01 expect_fail 'no discrepancy on criterion A1' jc accept WELD "${CODE[W01]}" A1 --reason 复核
as J01 expect_fail 'only a chief judge of the event or an organizer may accept' jc accept WELD "${CODE[W01]}" A2 --reason x --value 4.2
as H01 run_ok "accept W01 A2 at 4.20" jc accept WELD "${CODE[W01]}" A2 --reason "现场复测为4.2" --value 4.2
grep -q "the value that stands: 4.20" <<<"$RUN_OUT" || fail "accept does not confirm the value: $RUN_OUT"
expect_status 200 GET /api/v1/events/WELD/progress -H "Authorization: Bearer $H01_TOKEN"
printf '%s' "$LAST_BODY" | python3 -c '
import json, sys
p = json.load(sys.stdin)
d, = p["discrepancies"]
assert d["accepted"] and d["accepted_value"] == "4.20" and d["reason"] == "现场复测为4.2" and d["accepted_by"] == "judge:H01", d
assert p["summary"]["open_discrepancies"] == 0' || fail "the accepted discrepancy is not shown as accepted: ${LAST_BODY:0:500}"
sc J02 W03 A1 6.5
sc J01 W03 A2 3.5

# ---------------------------------------------------------------- withdrawing J03
run_ok "withdraw J03" jc judge withdraw J03 WELD --reason 身体不适
expect_fail 'withdrawn from event WELD already' jc judge withdraw J03 WELD --reason 再次
expect_fail 'give --reason' jc judge withdraw J02 WELD
# J03 has no other event: logged out. Values entered for J03 are refused.
as J03 expect_fail 'unknown token' jc whoami
printf 'event,contestant,criterion,judge,value\nWELD,W01,A1,J03,9\n' >"$D/j03.csv"
expect_fail 'was withdrawn from event WELD' jc import scores "$D/j03.csv"

# A judge added to the drawn event is required from now on.
printf 'code,name,organization,pin,event,role\nJ05,赵敏,,505050,WELD,judge\n' >"$D/j05.csv"
run_ok "add J05 to the drawn event" jc import judges "$D/j05.csv"
as H01 run_ok "progress with J05" jc progress WELD --format json
[ "$(printf '%s' "$RUN_OUT" | json_get summary.missing)" = 6 ] || fail "J05 owes A1 and B1 of 3 contestants: $RUN_OUT"
as J05 run_ok "login J05" jc login --judge J05 --pin 505050
sc J05 W01 A1 8; sc J05 W01 B1 3
sc J05 W02 A1 7; sc J05 W02 B1 2
sc J05 W03 A1 6.5; sc J05 W03 B1 1

# ---------------------------------------------------------------- the lock
# The deduction A3 has no value for W01 and W03: no deduction, nothing missing.
as H01 run_ok "lock WELD as the chief" jc lock WELD
as J01 expect_fail 'event WELD is locked; scores can no longer change \(an organizer can unlock it: judge-cli unlock WELD --reason R\)' \
	jc score WELD "${CODE[W01]}" A1 7
# After the lock the chief may see who is who.
expect_status 200 GET /api/v1/events/WELD/progress -H "Authorization: Bearer $H01_TOKEN"
[ "$(printf '%s' "$LAST_BODY" | json_get identities)" = true ] || fail "identities stay hidden after the lock"

# W01: A1 mean(8, 8.5, 8) = 8.1666 -> 8.17 (J03's 9 no longer counts);
#      A2 4.20 (accepted); A3 none -> A = 12.37; B1 10 x 9/9 = 10.00; total 22.37
# W02: A1 mean(7, 7) = 7.00; A2 3.00; A3: only withdrawn J03's 1 -> no
#      deduction; A = 10.00; B1 10 x 4/6 = 6.67; total 16.67
# W03: A1 mean(6, 6.5, 6.5) = 6.333 -> 6.33; A2 3.50; A = 9.83;
#      B1 10 x 3/9 = 3.33; total 13.16
# N = 3, 10/20/30: C1 = 0, C2 = round(0.9) = 1, C3 = round(1.8) = 2.
cat >"$T/WELD.expected" <<'EOF'
reg_id,name,organization,members,status,A,B,total,rank,award,award_name,result_status
W01,张伟,第一技师学院,,competed,12.37,10.00,22.37,1,second,二等奖,locked
W02,李娜,第二技师学院,,competed,10.00,6.67,16.67,2,third,三等奖,locked
W03,王芳,第三职业学校,,competed,9.83,3.33,13.16,3,,,locked
EOF
run_ok "results WELD" jc results WELD --format csv --encoding utf-8
printf '%s\n' "$RUN_OUT" | tr -d '\r' | diff -u "$T/WELD.expected" - >&2 || fail "WELD results differ from the hand-computed ones"

# ---------------------------------------------------------------- unlock, correct, lock
as H01 expect_fail 'only an organizer may do this' jc unlock WELD --reason 复核
rc=0; jc unlock WELD >/dev/null 2>"$T/unlock.err" || rc=$?
[ $rc -eq 2 ] && grep -q 'give --reason' "$T/unlock.err" || fail "unlock without --reason: exit $rc, $(cat "$T/unlock.err")"
run_ok "unlock WELD" jc unlock WELD --reason "W03 B1 录入错误"
expect_fail 'only a locked event can be unlocked' jc unlock WELD --reason 再次
# W03 B1: J05 meant 2: 10 x (1 + 1 + 2)/9 = 4.444 -> 4.44; total 9.83 + 4.44 = 14.27
sc J05 W03 B1 2
as H01 run_ok "lock again" jc lock WELD
run_ok "results WELD after the correction" jc results WELD --format csv --encoding utf-8
grep -q '^W03,王芳,第三职业学校,,competed,9.83,4.44,14.27,3,' <<<"$RUN_OUT" || fail "W03 after the correction: $RUN_OUT"

# ---------------------------------------------------------------- statistics
# J05 on B1: W01 3 with 3, 3 -> 0; W02 2 with 2 -> 0; W03 2 with 1, 1 -> +1;
# mean deviation 1/3 = 0.33; highest on W03. J03 (withdrawn) is not listed.
as H01 run_ok "stats" jc stats WELD --format json
printf '%s' "$RUN_OUT" | python3 -c '
import json, sys
s = json.load(sys.stdin)
judges = {j["code"]: j for j in s["judges"]}
assert sorted(judges) == ["J01", "J02", "J05"], sorted(judges)
b1 = {c["criterion"]: c for c in judges["J05"]["criteria"]}["B1"]
assert (b1["n_values"], b1["compared"], b1["mean_deviation"], b1["highest"], b1["lowest"]) == (3, 3, "0.33", 1, 0), b1
a2 = {c["criterion"]: c for c in judges["J01"]["criteria"]}["A2"]
assert (a2["n_values"], a2["discrepancies"], a2["highest"]) == (2, 1, 1), a2' || fail "judge statistics: $RUN_OUT"
as J01 expect_fail 'only a chief judge' jc stats WELD

# ---------------------------------------------------------------- the audit trail
run_ok "audit log WELD" jc audit log --event WELD --format json
printf '%s' "$RUN_OUT" | python3 -c '
import json, sys
r = json.load(sys.stdin)["records"]
acts = [(x["actor"], x["role"], x["action"], x.get("reason")) for x in r if x["action"] in ("accept", "judge.withdraw", "lock", "unlock")]
assert acts == [("judge:H01", "chief", "accept", "现场复测为4.2"),
                ("organizer:admin", "organizer", "judge.withdraw", "身体不适"),
                ("judge:H01", "chief", "lock", None),
                ("organizer:admin", "organizer", "unlock", "W03 B1 录入错误"),
                ("judge:H01", "chief", "lock", None)], acts
un = [x for x in r if x["action"] == "unlock"][0]
assert (un["old"], un["new"], un["object"]) == ("locked", "drawn", "WELD"), un' || fail "audit log: $RUN_OUT"
run_ok "audit log table" jc audit log --actor judge:H01
grep -q 'accept' <<<"$RUN_OUT" && ! grep -q 'organizer:admin' <<<"$RUN_OUT" || fail "audit log --actor judge:H01: $RUN_OUT"
run_ok "audit verify" jc audit verify
grep -q 'audit trail verified' <<<"$RUN_OUT" || fail "audit verify: $RUN_OUT"
# SIGTERM ends contestd cleanly (under ASan: no leak, no error)
stop_contestd
[ "$CONTESTD_EXIT" = 0 ] || fail "contestd exited with status $CONTESTD_EXIT on SIGTERM"
note "ok: progress, 304, accept with a value, withdrawal, a judge added, lock, unlock, correction, stats, audit"
