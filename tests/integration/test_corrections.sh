#!/usr/bin/env bash
# An organizer's corrections through the real judge-cli and curl (issue 8,
# item 1). While an event is in setup: its settings, modules, criteria and
# whole score sheet (import criteria --replace, all or nothing across the
# file), contestants, judges and assignments are changed or deleted, each
# sheet change checked again (errors refuse it, warnings printed as `event
# show` prints them). After the draw and the lock: a contestant's identity
# is corrected; an organization change that makes a judge recused is
# reported, the judge's values stop counting (results computed by hand in
# the comments), and once the event is locked it needs an unlock. Judges
# and the chief never see names. Every correction is in the audit trail and
# `audit verify` passes after all of them.
. "$(dirname "$0")/lib.sh"

setup_server
D="$T/csv"
mkdir -p "$D"

cat >"$D/events.csv" <<'EOF'
code,name,tiebreak
CNC,数控铣,module:B;time
TOUR,导游服务,
WELD,焊接,
EOF
# CNC, weighted 60/40: A = A1 (mean, 10) + A2 (measurement, 10); B = B1 (mean, 10).
cat >"$D/criteria.csv" <<'EOF'
event,module,module_name,module_weight,code,description,max,method
CNC,A,铣削,60,A1,尺寸精度,10,mean
CNC,A,,,A2,表面质量,10,measurement
CNC,B,工艺,40,B1,工艺规范,10,mean
TOUR,P,讲解,,P1,讲解内容,10,mean
WELD,W,实操,,W1,焊缝,10,mean
EOF
cat >"$D/contestants.csv" <<'EOF'
reg_id,name,organization,event,id_number
C01,张三,第一中学,CNC,110101200001011234
C02,李四,第一中学,CNC,
C03,王五,第二中学,CNC,
C09,错报,第九中学,CNC,
T01,孙丽,旅游职业学校,TOUR,
W01,周军,焊接学校,WELD,
EOF
# J01 is of 第二中学 (recused from C03); J02 of 市质检院; H01 CNC's chief.
cat >"$D/judges.csv" <<'EOF'
code,name,organization,pin,event,role
J01,周裁判,第二中学,246810,CNC,judge
J02,吴裁判,市质检院,135790,CNC,judge
H01,郑裁判长,组委会,555555,CNC,chief
J07,错派,,777777,CNC,judge
J07,错派,,777777,TOUR,judge
J04,刘海波,,998877,TOUR,judge
J05,陈焊,,121212,WELD,judge
EOF
for kind in events criteria contestants judges; do run_ok "import $kind" jc import "$kind" "$D/$kind.csv"; done
run_ok "draw WELD" jc draw WELD

# audit_has ACTION OBJECT OLD NEW: the audit trail holds that record.
audit_has() {
	api_admin GET "/api/v1/audit?limit=10000"
	printf '%s' "$LAST_BODY" | python3 -c '
import json, sys
action, obj, old, new = sys.argv[1:5]
recs = json.load(sys.stdin)["records"]
norm = lambda v: "-" if v is None else v
if not any(r["action"] == action and r["object"] == obj and norm(r["old"]) == old and norm(r["new"]) == new
           for r in recs):
    sys.exit("no audit record %s %s %s -> %s; records of that object: %s" % (action, obj, old, new,
             [(r["action"], r["old"], r["new"]) for r in recs if r["object"] == obj]))' "$@" ||
		fail "audit record missing: $*"
}
event_json() { api_admin GET "/api/v1/events/$1"; [ "$LAST_STATUS" = 200 ] || fail "GET event $1: $LAST_STATUS"; }

# ------------------------------------------------------------ event set
run_ok "event set" jc event set CNC --name 数控铣削 --award-ratios 15/25/30 --tiebreak 'module:Z;time'
grep -qx 'changed event CNC: name, award_ratios, tiebreak' <<<"$RUN_OUT" || fail "event set said: $RUN_OUT"
# the sheet is checked again: a tie-break naming no module is a warning, as event show prints it
grep -qx 'warning: tie-break key module:Z names an unknown module "Z"' <<<"$RUN_OUT" ||
	fail "event set does not print the sheet's warning: $RUN_OUT"
event_json CNC
[ "$(json_get name <<<"$LAST_BODY")|$(json_get award_ratios <<<"$LAST_BODY")|$(json_get tiebreak <<<"$LAST_BODY")" = \
	'数控铣削|15/25/30|module:Z;time' ] || fail "event after event set: $LAST_BODY"
audit_has event.set CNC 'name 数控铣' 'name 数控铣削'
audit_has event.set CNC 'award_ratios 10/20/30' 'award_ratios 15/25/30'
audit_has event.set CNC 'tiebreak module:B;time' 'tiebreak module:Z;time'
# a tie-break that could never name anything is refused, nothing changed
expect_fail 'tiebreak.*module:%s' jc event set CNC --tiebreak 'module:%s' --name 不该改
event_json CNC
[ "$(json_get name <<<"$LAST_BODY")" = 数控铣削 ] || fail "a refused event set changed the name"
run_ok "event set back" jc event set CNC --tiebreak 'module:B;time' --min-award-score 30
if grep -q '^warning:' <<<"$RUN_OUT"; then fail "warnings for a whole sheet: $RUN_OUT"; fi
run_ok "event set --min-award-score none" jc event set CNC --min-award-score none
audit_has event.set CNC 'min_award_score 30.00' 'min_award_score none'
expect_fail 'nothing to change' jc event set CNC
[ "$(jc event set CNC >/dev/null 2>&1; echo $?)" = 2 ] || fail "event set without options: not a usage error (2)"

# ----------------------------------------------------- modules, criteria
run_ok "module set A 50" jc module set CNC A --weight 50 --name 铣削加工
grep -qx 'warning: module weights add up to 90, not 100' <<<"$RUN_OUT" || fail "module set warning: $RUN_OUT"
audit_has module.set CNC/A 'weight 60' 'weight 50'
audit_has module.set CNC/A 'name 铣削' 'name 铣削加工'
# a weight taken from one module of a weighted sheet: refused by the sheet check
expect_fail 'module.*(weight|without)' jc module set CNC B --weight none
event_json CNC
[ "$(json_get modules.1.weight <<<"$LAST_BODY")" = 40 ] || fail "a refused module set changed B's weight"
run_ok "module set B 50" jc module set CNC B --weight 50
if grep -q '^warning:' <<<"$RUN_OUT"; then fail "warnings after weights 50/50: $RUN_OUT"; fi

run_ok "criterion set" jc criterion set CNC A1 --max 15 --description 尺寸 --method trimmed
grep -qx 'changed criterion A1 of event CNC: description, max, method' <<<"$RUN_OUT" || fail "criterion set: $RUN_OUT"
audit_has criterion.set CNC/A/A1 'max 10.00' 'max 15.00'
audit_has criterion.set CNC/A/A1 'method mean' 'method trimmed'
event_json CNC
[ "$(json_get modules.0.max <<<"$LAST_BODY")" = 25.00 ] || fail "module A max after A1 max 15: $LAST_BODY"
# B1 is module B's only criterion that gives marks: a deduction would leave none
expect_fail 'module B has no criterion that gives marks' jc criterion set CNC B1 --method deduction
expect_fail 'no criterion A9 in event CNC' jc criterion set CNC A9 --max 1
expect_fail 'must be above 0|max' jc criterion set CNC A1 --max 0

# a module of its own, then its last criterion deleted: the module goes too
printf 'event,module,module_name,module_weight,code,description,max,method\nCNC,X,多余,0,X1,多余项,5,mean\n' >"$D/extra.csv"
run_ok "import extra module" jc import criteria "$D/extra.csv"
run_ok "criterion delete X1" jc criterion delete CNC X1
grep -q 'deleted criterion X1 of event CNC, and its module' <<<"$RUN_OUT" || fail "criterion delete: $RUN_OUT"
audit_has criterion.delete CNC/X/X1 'mean max 5.00' -
audit_has module.delete CNC/X '多余, weight 0, 0 criteria' -
event_json CNC
[ "$(json_get 'length(modules)' <<<"$LAST_BODY")" = 2 ] || fail "module X still there: $LAST_BODY"
run_ok "import extra module again" jc import criteria "$D/extra.csv"
run_ok "module delete X" jc module delete CNC X
grep -qx 'deleted module X of event CNC with its 1 criteria' <<<"$RUN_OUT" || fail "module delete: $RUN_OUT"
# a new module goes last, after deletions
printf 'event,module,module_name,module_weight,code,description,max,method\nCNC,Y,新增,0,Y1,新增项,5,mean\n' >"$D/y.csv"
run_ok "import module Y" jc import criteria "$D/y.csv"
event_json CNC
[ "$(json_get modules.2.code <<<"$LAST_BODY")" = Y ] || fail "module Y is not last: $LAST_BODY"
run_ok "module delete Y" jc module delete CNC Y

# ------------------------------------------- import criteria --replace
# CNC's sheet as it will be scored: A = A1 (mean, 10), 60 %; B = B1 (mean, 10), 40 %.
cat >"$D/sheet.csv" <<'EOF'
event,module,module_name,module_weight,code,description,max,method
CNC,A,铣削,60,A1,尺寸精度,10,mean
CNC,B,工艺,40,B1,工艺规范,10,mean
TOUR,P,讲解,,P1,讲解内容,20,mean
EOF
# with a row of the drawn WELD: nothing of the file is stored (CNC unchanged)
cp "$D/sheet.csv" "$D/sheet_bad.csv"
printf 'WELD,W,实操,,W2,焊缝,10,mean\n' >>"$D/sheet_bad.csv"
expect_fail 'sheet_bad\.csv:5:1: .*event WELD is drawn' jc import criteria --replace "$D/sheet_bad.csv"
event_json CNC
[ "$(json_get modules.0.criteria.1.code <<<"$LAST_BODY")" = A2 ] || fail "a refused replacement changed CNC: $LAST_BODY"
expect_fail '--replace goes with import criteria' jc import contestants --replace "$D/contestants.csv"
run_ok "import criteria --replace" jc import criteria --replace "$D/sheet.csv"
grep -qx "replaced the score sheet of event CNC from $D/sheet.csv: 2 modules, 2 criteria" <<<"$RUN_OUT" ||
	fail "replace said: $RUN_OUT"
grep -qx "replaced the score sheet of event TOUR from $D/sheet.csv: 1 modules, 1 criteria" <<<"$RUN_OUT" ||
	fail "replace said: $RUN_OUT"
event_json CNC
[ "$(python3 -c 'import json,sys; d=json.load(sys.stdin); print(" ".join(m["code"]+":"+",".join(c["code"]+"/"+c["max"] for c in m["criteria"]) for m in d["modules"]))' <<<"$LAST_BODY")" = \
	'A:A1/10.00 B:B1/10.00' ] || fail "CNC's sheet after the replacement: $LAST_BODY"
audit_has sheet.replace TOUR 'P 讲解: P1 mean 10.00' 'P 讲解: P1 mean 20.00'
# a replacement that leaves the tie-break without its module: printed as a warning
printf 'event,module,module_name,module_weight,code,description,max,method\nCNC,A,铣削,100,A1,尺寸精度,10,mean\n' >"$D/oneA.csv"
run_ok "replace with module A only" jc import criteria --replace "$D/oneA.csv"
grep -qx 'warning: CNC: tie-break key module:B names an unknown module "B"' <<<"$RUN_OUT" || fail "replace warning: $RUN_OUT"
run_ok "import criteria --replace (again)" jc import criteria --replace "$D/sheet.csv"

# ------------------------------------------------ contestants in setup
run_ok "contestant set identity" jc contestant set C02 --name 李思 --members '李思;李想' --id-number 110101200202022222
api_admin GET /api/v1/events/CNC/contestants
row=$(python3 -c 'import json,sys; c=[c for c in json.load(sys.stdin)["contestants"] if c["reg_id"]=="C02"][0]; print(c["name"], c["members"], c["id_number"])' <<<"$LAST_BODY")
[ "$row" = '李思 李思;李想 1101**********2222' ] || fail "C02 after contestant set: $row"
audit_has contestant.identity CNC/C02 'name 李四' 'name 李思'
audit_has contestant.identity CNC/C02 'id_number none' 'id_number 1101**********2222'
# the full id number is never in the trail or an answer
api_admin GET "/api/v1/audit?limit=10000"
if grep -q 110101200202022222 <<<"$LAST_BODY"; then fail "the audit log shows an id number in full"; fi
run_ok "contestant set --members ''" jc contestant set C02 --members ''
audit_has contestant.identity CNC/C02 'members 李思;李想' 'members none'
run_ok "contestant delete C09" jc contestant delete C09
grep -qx 'deleted contestant C09 of event CNC' <<<"$RUN_OUT" || fail "contestant delete: $RUN_OUT"
audit_has contestant.delete CNC/C09 错报 -
expect_fail 'no contestant C09' jc contestant delete C09
expect_fail 'event WELD is drawn; a contestant is deleted only before the draw.*--status withdrawn' \
	jc contestant delete W01

# ---------------------------------------------------------------- judges
J07_TOKEN=$(judge_token J07 777777)
run_ok "judge unassign J07 TOUR" jc judge unassign J07 TOUR
grep -qx 'removed judge J07 (judge) from event TOUR' <<<"$RUN_OUT" || fail "judge unassign: $RUN_OUT"
expect_status 200 GET /api/v1/whoami -H "Authorization: Bearer $J07_TOKEN" # still assigned to CNC
expect_fail 'judge J07 is not assigned to event TOUR' jc judge unassign J07 TOUR
expect_fail 'event WELD is drawn; a judge.s assignment is removed only before the draw' jc judge unassign J05 WELD
expect_fail 'judge J05 cannot be deleted: event WELD is drawn' jc judge delete J05
run_ok "judge delete J07" jc judge delete J07
grep -qx 'deleted judge J07 and the judge.s 1 assignments' <<<"$RUN_OUT" || fail "judge delete: $RUN_OUT"
expect_error 401 unauthorized GET /api/v1/whoami -H "Authorization: Bearer $J07_TOKEN"
audit_has judge.delete J07 '错派 (no organization); assigned: CNC judge' -
# a new PIN ends the judge's logins; the same PIN again does not
J04_TOKEN=$(judge_token J04 998877)
run_ok "judge set --pin (same)" jc judge set J04 --pin 998877
grep -qx 'changed judge J04: PIN (unchanged)' <<<"$RUN_OUT" || fail "judge set same PIN: $RUN_OUT"
expect_status 200 GET /api/v1/whoami -H "Authorization: Bearer $J04_TOKEN"
run_ok "judge set --pin --name" jc judge set J04 --pin 24682468 --name 刘海涛
grep -qx "changed judge J04: name, PIN (the judge's logins were ended)" <<<"$RUN_OUT" || fail "judge set: $RUN_OUT"
expect_error 401 unauthorized GET /api/v1/whoami -H "Authorization: Bearer $J04_TOKEN"
judge_token J04 24682468 >/dev/null
audit_has judge.set J04 'name 刘海波' 'name 刘海涛'
audit_has judge.pin J04 - -
expect_fail 'pin: must be 6 to 32 digits' jc judge set J04 --pin 12
# --pin - reads the new PIN from standard input (never on the command line)
printf '13572468\n' | jc judge set J04 --pin - >"$T/pin.out" || fail "judge set --pin -: $(cat "$T/pin.out")"
judge_token J04 13572468 >/dev/null

# ---------------------------------------------- an event deleted and again
# TOUR's provisional results and progress are computed (results cached, the
# progress with an ETag a console polls with), then TOUR is deleted and
# registered anew with another contestant: neither its results nor a
# conditional GET with the old ETag may answer for the deleted event.
api_admin GET /api/v1/events/TOUR/results
[ "$(json_get results.0.reg_id <<<"$LAST_BODY")" = T01 ] || fail "TOUR results before: $LAST_BODY"
expect_status 200 GET /api/v1/events/TOUR/progress -H "Authorization: Bearer $ADMIN_TOKEN"
old_version=$(json_get data_version <<<"$LAST_BODY")
old_etag="\"$old_version.i\""
run_ok "event delete TOUR" jc event delete TOUR
grep -qx 'deleted event TOUR: 1 modules, 1 criteria, 1 contestants, 1 judge assignments' <<<"$RUN_OUT" ||
	fail "event delete: $RUN_OUT"
expect_error 404 not_found GET /api/v1/events/TOUR -H "Authorization: Bearer $ADMIN_TOKEN"
audit_has event.delete TOUR '导游服务: 1 modules, 1 criteria, 1 contestants, 1 judge assignments' -
printf 'code,name\nTOUR,导游\n' >"$D/tour.csv"
printf 'event,module,module_name,module_weight,code,description,max,method\nTOUR,P,讲解,,P1,讲解,10,mean\n' >"$D/tour_c.csv"
printf 'reg_id,name,organization,event\nT02,钱七,旅游学校,TOUR\n' >"$D/tour_p.csv"
run_ok "import TOUR again" jc import events "$D/tour.csv"
run_ok "import TOUR criteria" jc import criteria "$D/tour_c.csv"
run_ok "import TOUR contestants" jc import contestants "$D/tour_p.csv"
# changed until its data_version reaches the deleted TOUR's, polled with
# the old ETag all the while: it must never be "not modified"
for _ in $(seq 1 20); do
	http GET /api/v1/events/TOUR/progress -H "Authorization: Bearer $ADMIN_TOKEN" -H "If-None-Match: $old_etag"
	[ "$LAST_STATUS" = 200 ] || fail "the new TOUR answered $LAST_STATUS to the deleted TOUR's ETag $old_etag"
	v=$(json_get data_version <<<"$LAST_BODY")
	[ "$v" -lt "$old_version" ] || break
	run_ok "change TOUR" jc event set TOUR --discrepancy-pct $((20 + v % 2))
done
[ "$v" -gt "$old_version" ] || fail "the new TOUR's data_version $v is not past the deleted one's $old_version"
api_admin GET /api/v1/events/TOUR/results
[ "$(json_get results.0.reg_id <<<"$LAST_BODY")|$(json_get 'length(results)' <<<"$LAST_BODY")" = 'T02|1' ] ||
	fail "TOUR results after it was deleted and registered again: $LAST_BODY"
# T01 went with the event; its reg_id is free again
expect_fail 'no contestant T01' jc contestant set T01 --name x
expect_fail 'event WELD is drawn; an event is deleted only before its draw' jc event delete WELD

# ------------------------------------------------------------- the draw
run_ok "draw CNC" jc draw CNC
declare -A CODE
while read -r reg code; do CODE[$reg]=$code; done < <(anon_codes CNC)
expect_fail 'event CNC is drawn; its score sheet is fixed by the draw' jc criterion set CNC A1 --max 5
expect_fail 'event CNC is drawn; its score sheet is fixed by the draw' jc event set CNC --name x
expect_fail 'event CNC is drawn; its score sheet is fixed by the draw' jc import criteria --replace "$D/sheet.csv"
J01_TOKEN=$(judge_token J01 246810)
J02_TOKEN=$(judge_token J02 135790)
H01_TOKEN=$(judge_token H01 555555)
score() { # TOKEN REG CRITERION VALUE
	expect_status 201 POST /api/v1/events/CNC/scores -H "Authorization: Bearer $1" -H 'Content-Type: application/json' \
		-H "Idempotency-Key: corr-$2-$3-$RANDOM$RANDOM" \
		--data-binary "{\"contestant\":\"${CODE[$2]}\",\"criterion\":\"$3\",\"value\":\"$4\"}"
}
# C01: A1 8 (J01), 6 (J02); B1 9 (J01), 7 (J02). C02: A1 5, 5; B1 5, 5.
# C03 (J01 recused): A1 7 (J02); B1 8 (J02).
score "$J01_TOKEN" C01 A1 8; score "$J02_TOKEN" C01 A1 6; score "$J01_TOKEN" C01 B1 9; score "$J02_TOKEN" C01 B1 7
score "$J01_TOKEN" C02 A1 5; score "$J02_TOKEN" C02 A1 5; score "$J01_TOKEN" C02 B1 5; score "$J02_TOKEN" C02 B1 5
score "$J02_TOKEN" C03 A1 7; score "$J02_TOKEN" C03 B1 8

# A name corrected after the draw: the organizers' list has it; a judge's
# sheet and the chief's views never show a name or an organization.
run_ok "contestant set --name after the draw" jc contestant set C01 --name 张叁
for tok in "$J01_TOKEN" "$H01_TOKEN"; do
	for path in /api/v1/events/CNC/sheet /api/v1/events/CNC/progress /api/v1/events/CNC/scores; do
		http GET "$path" -H "Authorization: Bearer $tok"
		[ "$LAST_STATUS" = 200 ] || [ "$LAST_STATUS" = 403 ] || fail "GET $path: $LAST_STATUS"
		if grep -Eq '张叁|张三|第一中学|市质检院|C01' <<<"$LAST_BODY"; then fail "$path shows a name or organization before the lock"; fi
	done
done
audit_has contestant.identity CNC/C01 'name 张三' 'name 张叁'

# C01's organization corrected to 市质检院, J02's: J02 is now recused from
# C01 and J02's two values on it no longer count. C01's marks then come
# from J01 alone: A1 8.00, B1 9.00; total 8/10*60 + 9/10*40 = 84.00 (it was
# A1 7.00, B1 8.00: 42 + 32 = 74.00).
api_admin GET /api/v1/events/CNC/results
[ "$(python3 -c 'import json,sys; print([r["total"] for r in json.load(sys.stdin)["results"] if r["reg_id"]=="C01"][0])' <<<"$LAST_BODY")" = 74.00 ] ||
	fail "C01's total before the correction: $LAST_BODY"
run_ok "contestant set --organization" jc contestant set C01 --organization 市质检院
grep -qx "warning: CNC: judge J02 吴裁判 is now of the same organization as contestant C01 (${CODE[C01]}): the judge's 2 values on it no longer count (results leave out the values of a recused judge; they stay in the history and the audit trail)" <<<"$RUN_OUT" ||
	fail "contestant set --organization does not report J02's values: $RUN_OUT"
api_admin GET /api/v1/events/CNC/results
[ "$(python3 -c 'import json,sys; r=[r for r in json.load(sys.stdin)["results"] if r["reg_id"]=="C01"][0]; print(r["organization"], r["modules"], r["total"])' <<<"$LAST_BODY")" = \
	"市质检院 ['8.00', '9.00'] 84.00" ] || fail "C01 after the organization correction: $LAST_BODY"
audit_has contestant.identity CNC/C01 'organization 第一中学' 'organization 市质检院'
# J02's sheet no longer lists C01; the chief's list of values leaves J02's out;
# an organizer sees them, marked as not counting
http GET /api/v1/events/CNC/sheet -H "Authorization: Bearer $J02_TOKEN"
if grep -q "${CODE[C01]}" <<<"$LAST_BODY"; then fail "J02's sheet still lists C01"; fi
http GET /api/v1/events/CNC/scores -H "Authorization: Bearer $H01_TOKEN"
[ "$(python3 -c 'import json,sys; print(sorted(s["judge"] for s in json.load(sys.stdin)["scores"] if s["code"]==sys.argv[1]))' "${CODE[C01]}" <<<"$LAST_BODY")" = \
	"['J01', 'J01']" ] || fail "the chief's scores of C01 after the correction: $LAST_BODY"
api_admin GET /api/v1/events/CNC/scores
[ "$(python3 -c 'import json,sys; print(sorted((s["judge"], s["counts"]) for s in json.load(sys.stdin)["scores"] if s["code"]==sys.argv[1]))' "${CODE[C01]}" <<<"$LAST_BODY")" = \
	"[('J01', True), ('J01', True), ('J02', False), ('J02', False)]" ] || fail "the organizer's scores of C01: $LAST_BODY"
# the answer of the API names the same
api_admin PATCH /api/v1/contestants/C03 '{"organization":"第一中学"}'
[ "$LAST_STATUS" = 200 ] || fail "PATCH C03 organization: $LAST_STATUS $LAST_BODY"
[ "$(json_get recusal <<<"$LAST_BODY")" = "[{\"event\": \"CNC\", \"contestant\": \"C03\", \"code\": \"${CODE[C03]}\", \"judge\": \"J01\", \"judge_name\": \"周裁判\", \"recused\": false, \"values\": 0}]" ] ||
	fail "PATCH C03 recusal: $LAST_BODY"
# C03 is no longer J01's colleague: J01 now owes A1 and B1 on it
score "$J01_TOKEN" C03 A1 7; score "$J01_TOKEN" C03 B1 8

# ---------------------------------------------------------- after the lock
run_ok "lock CNC" jc lock CNC
run_ok "contestant set --name when locked" jc contestant set C02 --name 李斯
# a locked event's values no longer change: an organization change that
# would make J01 recused from C02 needs the event unlocked
expect_fail 'event CNC is locked; an organization change that alters whose values count needs the scores open \(an organizer can unlock it: judge-cli unlock CNC --reason R\)' \
	jc contestant set C02 --organization 第二中学
expect_fail 'event CNC is locked; contestant statuses can no longer change' jc contestant set C02 --status absent
# an organization no judge belongs to changes nobody's recusal
run_ok "contestant set --organization (no judge's)" jc contestant set C02 --organization 第三中学
grep -q '^warning\|^note' <<<"$RUN_OUT" && fail "an organization no judge belongs to reported recusals: $RUN_OUT"
expect_fail 'event CNC is locked; an organization change that alters whose values count' jc judge set J02 --organization 第三中学
run_ok "judge set --name when locked" jc judge set J02 --name 吴判

# ------------------------------------------------------------ the trail
run_ok "audit verify" jc audit verify
grep -q 'audit trail verified' <<<"$RUN_OUT" || fail "audit verify after the corrections: $RUN_OUT"
note "ok: every correction made, audited, and audit verify passes"
