#!/usr/bin/env bash
# Score sheets are checked as they are registered, by the same rules as the
# draw: a tie-break key that could never name anything is refused with the
# event; a module of deductions only is refused with the criteria file (line
# and column); weights short of 100 and tie-break keys naming modules not
# registered yet are warnings that GET /api/v1/events/{e} and `judge-cli
# event show` give at once and the draw refuses in the same words. Then a
# weighted sheet whose maxima have no common denominator within 128 bits
# scores exactly, end to end, against totals computed here with fractions.
. "$(dirname "$0")/lib.sh"

setup_server
D="$T/csv"
mkdir -p "$D"

# ------------------------------------------------------- tie-break syntax
for tb in 'module:%s%n' 'module:B%n' 'time;time' 'module:模块一' 'criterion:A 1'; do
	body=$(python3 -c 'import json,sys; print(json.dumps({"code": "TB", "name": "坏键", "tiebreak": sys.argv[1]}))' "$tb")
	expect_error 400 invalid POST /api/v1/events -H "Authorization: Bearer $ADMIN_TOKEN" \
		-H 'Content-Type: application/json' --data-binary "$body"
	[ "$(printf '%s' "$LAST_BODY" | json_get error.field)" = tiebreak ] ||
		soft_fail "tie-break \"$tb\": error does not name the field tiebreak: $LAST_BODY"
done
expect_error 404 not_found GET /api/v1/events/TB -H "Authorization: Bearer $ADMIN_TOKEN"
printf 'code,name,tiebreak\nOK1,好,time\nTB,坏键,module:%%s%%n\n' >"$D/bad_events.csv"
expect_fail 'bad_events\.csv:3:3.*module:%s%n' jc import events "$D/bad_events.csv"
expect_error 404 not_found GET /api/v1/events/OK1 -H "Authorization: Bearer $ADMIN_TOKEN"

# ------------------------------------------------- a sheet being registered
printf 'code,name,tiebreak\nWELD,焊接,module:C;time\n' >"$D/events.csv"
run_ok "import events" jc import events "$D/events.csv"
cat >"$D/criteria1.csv" <<'EOF'
event,module,module_name,module_weight,code,description,max,method
WELD,A,实操,70,A1,焊缝外观,40,mean
WELD,A,,,A2,焊缝尺寸,30,measurement
EOF
run_ok "import criteria (module A only)" jc import criteria "$D/criteria1.csv"
api_admin GET /api/v1/events/WELD
[ "$LAST_STATUS" = 200 ] || fail "GET /api/v1/events/WELD: HTTP $LAST_STATUS"
[ "$(printf '%s' "$LAST_BODY" | json_get warnings)" = '["module weights add up to 70, not 100", "tie-break key module:C names an unknown module \"C\""]' ] ||
	fail "warnings of a half-registered sheet: $(printf '%s' "$LAST_BODY" | json_get warnings)"
[ "$(printf '%s' "$LAST_BODY" | json_get modules.0.max)" = 70.00 ] ||
	fail "module A max: $(printf '%s' "$LAST_BODY" | json_get modules.0.max)"
run_ok "event show" jc event show WELD
grep -qx 'warning: module weights add up to 70, not 100' <<<"$RUN_OUT" ||
	fail "event show does not print the weights warning: $RUN_OUT"
grep -qx 'warning: tie-break key module:C names an unknown module "C"' <<<"$RUN_OUT" ||
	fail "event show does not print the tie-break warning: $RUN_OUT"

printf 'reg_id,name,organization,event\nW01,张三,一中,WELD\nW02,李四,二中,WELD\n' >"$D/contestants.csv"
printf 'code,name,organization,pin,event,role\nJ1,王裁判,,135790,WELD,judge\n' >"$D/judges.csv"
run_ok "import contestants" jc import contestants "$D/contestants.csv"
run_ok "import judges" jc import judges "$D/judges.csv"
expect_fail 'event WELD cannot be drawn: module weights add up to 70, not 100' jc draw WELD

# A module of deductions only: refused, naming line and column; nothing kept.
cat >"$D/deductions_only.csv" <<'EOF'
event,module,module_name,module_weight,code,description,max,method
WELD,C,安全,30,C1,安全扣分,5,deduction
EOF
expect_fail 'deductions_only\.csv:2:2.*module C has no criterion that gives marks' \
	jc import criteria "$D/deductions_only.csv"
api_admin GET /api/v1/events/WELD
[ "$(printf '%s' "$LAST_BODY" | json_get 'length(modules)')" = 1 ] || fail "the refused module C was stored: $LAST_BODY"

# The same deduction followed by a criterion that gives module C marks.
cat >"$D/criteria2.csv" <<'EOF'
event,module,module_name,module_weight,code,description,max,method
WELD,C,安全,30,C1,安全扣分,5,deduction
WELD,C,,,C2,安全操作,20,judgement
EOF
run_ok "import criteria (module C)" jc import criteria "$D/criteria2.csv"
api_admin GET /api/v1/events/WELD
[ "$(printf '%s' "$LAST_BODY" | json_get warnings)" = '[]' ] ||
	fail "a complete sheet still has warnings: $(printf '%s' "$LAST_BODY" | json_get warnings)"
[ "$(printf '%s' "$LAST_BODY" | json_get modules.1.max)" = 20.00 ] ||
	fail "module C max (the deduction does not count): $(printf '%s' "$LAST_BODY" | json_get modules.1.max)"
run_ok "event show" jc event show WELD
if grep -q '^warning:' <<<"$RUN_OUT"; then fail "event show prints a warning for a complete sheet: $RUN_OUT"; fi
run_ok "draw WELD" jc draw WELD

# ----------------------------------- exact weights past 128 bits, end to end
# Five modules whose maxima are primes of hundredths near 1,000,000.00: their
# common denominator is about 10^40, past what 128-bit integers can weight.
python3 - "$D" <<'EOF'
import sys
d = sys.argv[1]
primes = [99999989, 99999971, 99999959, 99999941, 99999931]
weights = [20, 20, 20, 20, 20]
def fmt(c): return "%d.%02d" % (c // 100, c % 100)
with open(d + "/p_events.csv", "w") as f:
    f.write("code,name\nPRIME,素数\n")
with open(d + "/p_criteria.csv", "w") as f:
    f.write("event,module,module_name,module_weight,code,description,max,method\n")
    for i, (p, w) in enumerate(zip(primes, weights)):
        f.write("PRIME,M%d,模块%d,%d,K%d,评分项%d,%s,mean\n" % (i, i, w, i, i, fmt(p)))
with open(d + "/p_contestants.csv", "w") as f:
    f.write("reg_id,name,organization,event\nP01,甲,,PRIME\nP02,乙,,PRIME\nP03,丙,,PRIME\n")
with open(d + "/p_judges.csv", "w") as f:
    f.write("code,name,organization,pin,event,role\nJP1,裁判一,,246810,PRIME,judge\nJP2,裁判二,,246810,PRIME,judge\n")
EOF
for kind in events criteria contestants judges; do
	run_ok "import $kind (PRIME)" jc import "$kind" "$D/p_$kind.csv"
done
run_ok "draw PRIME" jc draw PRIME
# Two judges' values per cell; each mark is their mean, rounded once.
python3 - "$D" <<'EOF'
import random, sys
d = sys.argv[1]
primes = [99999989, 99999971, 99999959, 99999941, 99999931]
rng = random.Random(2026)
def fmt(c): return "%d.%02d" % (c // 100, c % 100)
with open(d + "/p_scores.csv", "w") as f:
    f.write("event,contestant,criterion,judge,value\n")
    for c in ["P01", "P02", "P03"]:
        for i, p in enumerate(primes):
            base = p if c == "P01" else rng.randrange(p + 1)
            for j in ["JP1", "JP2"]:
                v = base if c == "P01" else min(p, base + rng.randrange(3))
                f.write("PRIME,%s,K%d,%s,%s\n" % (c, i, j, fmt(v)))
EOF
run_ok "import scores (PRIME)" jc import scores "$D/p_scores.csv"
run_ok "lock PRIME" jc lock PRIME
run_ok "results PRIME" jc results PRIME --format json
printf '%s' "$RUN_OUT" >"$T/prime.json"
python3 - "$D/p_scores.csv" "$T/prime.json" <<'EOF'
import csv, json, sys
from fractions import Fraction
primes = [99999989, 99999971, 99999959, 99999941, 99999931]
def hundredths(s):
    whole, _, frac = s.partition(".")
    return int(whole) * 100 + int((frac + "00")[:2])
def half_up(q):  # q >= 0
    return (q.numerator * 2 + q.denominator) // (q.denominator * 2)
values = {}
for r in csv.DictReader(open(sys.argv[1], encoding="utf-8")):
    values.setdefault((r["contestant"], int(r["criterion"][1:])), []).append(hundredths(r["value"]))
want = {}
for c in ["P01", "P02", "P03"]:
    total = Fraction(0)
    for i, p in enumerate(primes):
        vals = values[(c, i)]
        mark = half_up(Fraction(sum(vals), len(vals)))      # rounded once per criterion
        total += Fraction(mark * 20 * 100, p)               # weight 20 per cent, in hundredths
    want[c] = half_up(total)                                 # and once for the total
got = {}
doc = json.load(open(sys.argv[2], encoding="utf-8"))
for row in doc["results"]:
    got[row["reg_id"]] = hundredths(row["total"])
bad = [(c, want[c], got.get(c)) for c in want if got.get(c) != want[c]]
if bad or want["P01"] != 10000:
    print("exact weighted totals differ (reg_id, want, got):", bad, file=sys.stderr)
    sys.exit(1)
print("totals", {c: "%d.%02d" % (want[c] // 100, want[c] % 100) for c in sorted(want)})
EOF
note "ok: sheet checks at registration and draw; exact weighted totals past 128 bits"
