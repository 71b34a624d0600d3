#!/usr/bin/env bash
# Blind marking: before the lock, no response a judge or a chief judge can
# get holds a contestant's name, organization, registration id or id
# number; codes come in code order, never registration order; and nothing a
# chief gets says which judge owes a value for which code (that would show
# whom a judge is recused from). After the lock the chief may see them.
. "$(dirname "$0")/lib.sh"

setup_server
D="$T/csv"
mkdir -p "$D"
printf 'code,name\nWELD,焊接\n' >"$D/events.csv"
cat >"$D/criteria.csv" <<'EOF'
event,module,module_name,module_weight,code,description,max,method
WELD,A,实操,,A1,工位整理,10,mean
WELD,A,,,A2,坡口尺寸,5,measurement
WELD,A,,,A3,安全违规,5,deduction
EOF
cat >"$D/contestants.csv" <<'EOF'
reg_id,name,organization,event,id_number
R2026001,欧阳明,东方技师学院,WELD,110101200001011234
R2026002,司马青,西山职业学校,WELD,220102199912125678
R2026003,诸葛兰,南湖技工学校,WELD,
R2026004,上官雪,北岭高级技校,WELD,
R2026005,慕容秋,东方技师学院,WELD,
R2026006,皇甫云,中原焊接公司,WELD,
R2026007,令狐静,西山职业学校,WELD,
R2026008,夏侯晴,南湖技工学校,WELD,
EOF
# J09 is a colleague of two contestants (东方技师学院): recused from them.
cat >"$D/judges.csv" <<'EOF'
code,name,organization,pin,event,role
J01,王建国,市质检院,246810,WELD,judge
J09,赵红,东方技师学院,909090,WELD,judge
H01,陈明,市焊接协会,555555,WELD,chief
EOF
for kind in events criteria contestants judges; do run_ok "import $kind" jc import "$kind" "$D/$kind.csv"; done
run_ok "draw" jc draw WELD
declare -A CODE
REGS=()
while read -r reg code; do CODE[$reg]=$code; REGS+=("$reg"); done < <(anon_codes WELD)
J01=$(judge_token J01 246810)
J09=$(judge_token J09 909090)
H01=$(judge_token H01 555555)

# What must never appear: every name, organization, registration id and
# id number (and its parts), and the judges' organizations' contestants.
SECRETS=(R2026 欧阳明 司马青 诸葛兰 上官雪 慕容秋 皇甫云 令狐静 夏侯晴 东方技师学院 西山职业学校 南湖技工学校
	北岭高级技校 中原焊接公司 110101 1234 220102 5678)
ALL="$T/all-responses"
: >"$ALL"
# get_as TOKEN METHOD PATH [BODY]: one request; its status and body are kept.
get_as() {
	local tok=$1 method=$2 path=$3
	local args=(-H "Authorization: Bearer $tok" -H "Idempotency-Key: blind-$RANDOM$RANDOM")
	[ $# -ge 4 ] && args+=(-H 'Content-Type: application/json' --data-binary "$4")
	http "$method" "$path" "${args[@]}"
	printf '%s %s %s\n%s\n' "$LAST_STATUS" "$method" "$path" "$LAST_BODY" >>"$ALL"
}

# Judges score part of the sheet, so there is progress, a discrepancy,
# missing values and statistics to show.
for reg in "${REGS[@]}"; do
	get_as "$J01" POST /api/v1/events/WELD/scores "{\"contestant\":\"${CODE[$reg]}\",\"criterion\":\"A1\",\"value\":\"7\"}"
	[ "$LAST_STATUS" = 201 ] || fail "J01 scores $reg: $LAST_STATUS $LAST_BODY"
done
get_as "$J01" POST /api/v1/events/WELD/scores "{\"contestant\":\"${CODE[R2026002]}\",\"criterion\":\"A2\",\"value\":\"4\"}"
get_as "$J09" POST /api/v1/events/WELD/scores "{\"contestant\":\"${CODE[R2026002]}\",\"criterion\":\"A2\",\"value\":\"3\"}"
get_as "$J09" POST /api/v1/events/WELD/scores "{\"contestant\":\"${CODE[R2026002]}\",\"criterion\":\"A1\",\"value\":\"9\"}"
# refusals a judge sees: recused, unknown code, bad value, chief scoring
get_as "$J09" POST /api/v1/events/WELD/scores "{\"contestant\":\"${CODE[R2026001]}\",\"criterion\":\"A1\",\"value\":\"9\"}"
# A recused code is answered exactly as an unknown one: nothing tells the
# judge that the code is a colleague's.
[ "$LAST_STATUS" = 404 ] || fail "J09 scoring a colleague: $LAST_STATUS $LAST_BODY"
recused_body=$(printf '%s' "$LAST_BODY" | sed "s/${CODE[R2026001]}/CODE/")
get_as "$J09" POST /api/v1/events/WELD/scores '{"contestant":"ZZZZZZ","criterion":"A1","value":"9"}'
[ "$LAST_STATUS" = 404 ] && [ "$(printf '%s' "$LAST_BODY" | sed "s/ZZZZZZ/CODE/")" = "$recused_body" ] ||
	fail "a recused code and an unknown code get different answers: $recused_body / $LAST_STATUS $LAST_BODY"
get_as "$J09" POST /api/v1/events/WELD/scores "{\"contestant\":\"${CODE[R2026003]}\",\"criterion\":\"A1\",\"value\":\"99\"}"
get_as "$H01" POST /api/v1/events/WELD/scores "{\"contestant\":\"${CODE[R2026003]}\",\"criterion\":\"A1\",\"value\":\"9\"}"

for tok in "$J01" "$J09" "$H01"; do
	for path in /api/v1/events /api/v1/events/WELD /api/v1/events/WELD/sheet /api/v1/events/WELD/progress \
		/api/v1/events/WELD/scores /api/v1/events/WELD/judges/stats /api/v1/whoami /api/v1/events/WELD/results \
		/api/v1/events/WELD/contestants /api/v1/audit; do
		get_as "$tok" GET "$path"
	done
	get_as "$tok" POST /api/v1/events/WELD/lock
	get_as "$tok" POST /api/v1/events/WELD/accept "{\"contestant\":\"${CODE[R2026003]}\",\"criterion\":\"A1\",\"reason\":\"x\"}"
done
# The chief's own tools, as judge-cli prints them.
for cmd in "progress WELD" "scores WELD" "stats WELD" "progress WELD --format csv" "scores WELD --format csv"; do
	# shellcheck disable=SC2086
	CONTEST_TOKEN=$H01 jc $cmd >>"$ALL" 2>&1 || true
done
CONTEST_TOKEN=$H01 jc lock WELD >>"$ALL" 2>&1 || true

n=$(grep -c '^[0-9][0-9][0-9] ' "$ALL")
for s in "${SECRETS[@]}"; do
	if grep -n -- "$s" "$ALL" >"$T/leak"; then
		fail "\"$s\" reaches a judge or the chief before the lock: $(head -c 400 "$T/leak")"
	fi
done

# Codes in code order, no judge named per code, in the chief's progress,
# scores and the lock's refusal.
http GET /api/v1/events/WELD/progress -H "Authorization: Bearer $H01"
printf '%s' "$LAST_BODY" >"$T/progress.json"
http GET /api/v1/events/WELD/scores -H "Authorization: Bearer $H01"
printf '%s' "$LAST_BODY" >"$T/scores.json"
http POST /api/v1/events/WELD/lock -H "Authorization: Bearer $H01"
printf '%s' "$LAST_BODY" >"$T/lock.json"
python3 - "$T" "${CODE[R2026002]}" <<'PY' || fail "the chief's lists are not in code order, name a judge per code, or give recusals away"
import json, os, sys
t, scored_by_j09 = sys.argv[1], sys.argv[2]
p = json.load(open(os.path.join(t, "progress.json")))
s = json.load(open(os.path.join(t, "scores.json")))
l = json.load(open(os.path.join(t, "lock.json")))["error"]["blockers"]
def in_order(codes, what):
    assert codes == sorted(codes), (what, codes)
in_order([c["code"] for c in p["contestants"]], "progress contestants")
assert len(p["contestants"]) >= 6, p["contestants"]
in_order([d["code"] for d in p["discrepancies"]], "progress discrepancies")
in_order([x["code"] for x in s["scores"]], "scores")
in_order([m["code"] for m in l["missing"]], "lock missing")
assert all("judge" not in m and "contestant" not in m for m in l["missing"]), l["missing"]
assert all("judge" not in c for c in p["contestants"])
assert all("missing_values" not in j for j in p["judges"])
# J09 gave A1 for one code only. Its two colleagues need no A1 from J09, but
# while J09 lags they must look like every other code, or the chief could
# tell them apart: every code but the one J09 scored shows A1 missing.
all_codes = sorted(x["code"] for x in s["scores"] if x["judge"] == "J01" and x["criterion"] == "A1")
assert len(all_codes) == 8, all_codes
want = [c for c in all_codes if c != scored_by_j09]
assert [c["code"] for c in p["contestants"] if "A1" in c["missing_by_criterion"]] == want, p["contestants"]
assert [m["code"] for m in l["missing"] if m["criterion"] == "A1"] == want, l["missing"]
PY
# The registration order is not the code order (8 random codes): the test
# would not notice registration order otherwise.
reg_order=$(for r in "${REGS[@]}"; do printf '%s\n' "${CODE[$r]}"; done)
[ "$reg_order" != "$(sort <<<"$reg_order")" ] || note "(the draw happened to give codes in registration order)"

# After the lock the chief may see who is who.
for reg in "${REGS[@]}"; do
	[ "$reg" = R2026001 ] || [ "$reg" = R2026005 ] || get_as "$J09" POST /api/v1/events/WELD/scores \
		"{\"contestant\":\"${CODE[$reg]}\",\"criterion\":\"A1\",\"value\":\"7\"}"
done
get_as "$J09" POST /api/v1/events/WELD/scores "{\"contestant\":\"${CODE[R2026002]}\",\"criterion\":\"A2\",\"value\":\"4\"}"
for reg in "${REGS[@]}"; do
	[ "$reg" = R2026002 ] || get_as "$J01" POST /api/v1/events/WELD/scores \
		"{\"contestant\":\"${CODE[$reg]}\",\"criterion\":\"A2\",\"value\":\"4\"}"
done
expect_status 200 POST /api/v1/events/WELD/lock -H "Authorization: Bearer $H01"
expect_status 200 GET /api/v1/events/WELD/scores -H "Authorization: Bearer $H01"
body_matches '"reg_id":"R2026001"' "the chief's scores after the lock"
# SIGTERM ends contestd cleanly (under ASan: no leak, no error)
stop_contestd
[ "$CONTESTD_EXIT" = 0 ] || fail "contestd exited with status $CONTESTD_EXIT on SIGTERM"
note "ok: $n responses to judges and the chief before the lock, none with a name, organization, registration or id number"
