#!/usr/bin/env bash
# A small contest day run with the real judge-cli: import two events from CSV,
# draw, judges log in and score anonymous codes, check-in, lock, results.
# The expected results below are computed by hand (SPEC section 4), in the
# comments, never by the code under test.
. "$(dirname "$0")/lib.sh"

setup_server
D="$T/csv"
mkdir -p "$D"

# WELD: weighted 30/70, ratios 20/30/30, minimum award score 85.31 (W01's
# total exactly: not below it, so W01 keeps its award),
# tie-break module B then time. TOUR: unweighted, default ratios,
# tie-break criterion Q1 then time.
cat >"$D/events.csv" <<'EOF'
code,name,award_ratios,min_award_score,tiebreak,discrepancy_pct
WELD,焊接,20/30/30,85.31,module:B;time,
TOUR,导游服务,,,criterion:Q1;time,20
EOF
# WELD module A max = 10 + 5 = 15 (A3 is a deduction); module B max = 40.
# TOUR module P max = 50; module Q max = 50.
cat >"$D/criteria.csv" <<'EOF'
event,module,module_name,module_weight,code,description,max,method
WELD,A,实操准备,30,A1,工位整理,10,mean
WELD,A,实操准备,30,A2,坡口尺寸,5,measurement
WELD,A,,,A3,安全违规,5,deduction
WELD,B,焊接质量,70,B1,焊缝外观,20,trimmed
WELD,B,焊接质量,,B2,工艺规范,10,judgement
WELD,B,焊接质量,,B3,无损检测,10,median
TOUR,P,讲解,,P1,讲解内容,50,mean
TOUR,P,讲解,,P2,超时扣分,60,deduction
TOUR,Q,问答,,Q1,现场问答,50,median
EOF
cat >"$D/contestants.csv" <<'EOF'
reg_id,name,organization,event,id_number,members
W01,张伟,第一技师学院,WELD,110101200001011234,
W02,李娜,第一技师学院,WELD,,
W03,王芳,第二技师学院,WELD,,
W04,刘强,第三职业学校,WELD,,
W05,陈静,第三职业学校,WELD,,
W06,杨磊,第三职业学校,WELD,,
W07,赵敏,第一技师学院,WELD,,
T10,孙丽,旅游职业学校,TOUR,,
T2,周杰,第一技师学院,TOUR,,
T9,吴涛,第一技师学院,TOUR,,
EOF
# J02 shares 第二技师学院 with W03 (recused); J04 shares 旅游职业学校 with T10.
cat >"$D/judges.csv" <<'EOF'
code,name,organization,pin,event,role
J01,王建国,市质检院,246810,WELD,judge
J02,李秀英,第二技师学院,135790,WELD,judge
J03,张志红,,112200,WELD,judge
J03,张志红,,112200,TOUR,judge
J04,刘海波,旅游职业学校,998877,TOUR,judge
C01,陈明,市焊接协会,555555,WELD,chief
EOF

for kind in events criteria contestants judges; do
	run_ok "import $kind" jc import "$kind" "$D/$kind.csv"
done

run_ok "event list" jc event list
for e in WELD TOUR 焊接 导游服务; do
	printf '%s\n' "$RUN_OUT" | grep -q -- "$e" || fail "event list does not show $e: $RUN_OUT"
done
run_ok "event show" jc event show WELD
for w in A1 B3 trimmed judgement; do
	printf '%s\n' "$RUN_OUT" | grep -q -- "$w" || fail "event show WELD does not show $w: $RUN_OUT"
done

run_ok "draw WELD" jc draw WELD
run_ok "draw TOUR" jc draw TOUR

# Anonymous codes: from the admin API, and judge-cli's list must agree.
declare -A CODE
while read -r reg code; do CODE[$reg]=$code; done < <(anon_codes WELD; anon_codes TOUR)
[ "${#CODE[@]}" -eq 10 ] || fail "expected 10 anonymous codes, got ${#CODE[@]}"
run_ok "contestants WELD --format csv" jc contestants WELD --format csv
for reg in W01 W02 W03 W04 W05 W06 W07; do
	[ "${CODE[$reg]}" != - ] || fail "$reg has no anonymous code after the draw"
	printf '%s\n' "$RUN_OUT" | grep "^$reg," | grep -q -- "${CODE[$reg]}" ||
		fail "judge-cli contestants WELD does not show $reg with code ${CODE[$reg]}: $RUN_OUT"
done
printf '%s\n' "$RUN_OUT" | grep -q '110101200001011234' && fail "the national id is shown in full: $RUN_OUT"
api_admin GET /api/v1/events/WELD/contestants
[ "$(printf '%s' "$LAST_BODY" | python3 -c 'import json,sys; print([c["id_number"] for c in json.load(sys.stdin)["contestants"] if c["reg_id"] == "W01"][0])')" = '1101**********1234' ] ||
	fail "W01's national id is not masked as 1101**********1234: ${LAST_BODY:0:400}"

# The draw: workstations are a permutation of 1..n, codes are six
# characters and unique across the contest.
api_admin GET /api/v1/events/WELD/contestants
printf '%s' "$LAST_BODY" | python3 -c '
import json, sys
cs = json.load(sys.stdin)["contestants"]
ws = sorted(c["workstation"] for c in cs)
assert ws == list(range(1, len(cs) + 1)), ws
assert all(c["status"] == "competed" for c in cs), [c["status"] for c in cs]' ||
	fail "after the draw, WELD's workstations are not a permutation of 1..7 or not all are competed: ${LAST_BODY:0:600}"
printf '%s\n' "${CODE[@]}" | awk 'length($0) != 6 {bad = 1} END {exit bad}' || fail "anonymous codes are not 6 characters: ${CODE[*]}"
[ "$(printf '%s\n' "${CODE[@]}" | sort -u | wc -l)" = 10 ] || fail "anonymous codes are not unique: ${CODE[*]}"

# Judges log in with their own token files.
login_judge() {
	JUDGE_CLI_TOKEN_FILE="$T/token-$1" run_ok "login --judge $1" jc login --judge "$1" --pin "$2"
}
login_judge J01 246810
login_judge J02 135790
login_judge J03 112200
login_judge J04 998877

N_SCORES=0
# sc JUDGE EVENT REG CRITERION VALUE: the judge scores the contestant's code.
sc() {
	JUDGE_CLI_TOKEN_FILE="$T/token-$1" run_ok "$1 scores $3 $4=$5" jc score "$2" "${CODE[$3]}" "$4" "$5"
	N_SCORES=$((N_SCORES + 1))
}
# sc3 EVENT REG CRIT V(J01) V(J02) V(J03): the three WELD judges.
sc3() {
	sc J01 "$1" "$2" "$3" "$4"
	sc J02 "$1" "$2" "$3" "$5"
	sc J03 "$1" "$2" "$3" "$6"
}

# W01: A1 mean(8, 8.5, 9) = 8.50; A2 4.5; A3 0 -> A = 13.00
#      B1 trimmed(16, 18, 17) = 17.00; B2 10*(3+3+2)/9 = 8.888.. -> 8.89;
#      B3 median(7, 8, 9) = 8.00 (spread 2 = 20% of 10: at the limit, allowed)
#      -> B = 33.89; total = 13/15*30 + 33.89/40*70 = 26 + 59.3075 = 85.3075 -> 85.31
sc3 WELD W01 A1 8 8.5 9
sc J01 WELD W01 A2 4.5
sc J01 WELD W01 A3 0
sc3 WELD W01 B1 16 18 17
sc3 WELD W01 B2 3 3 2
sc3 WELD W01 B3 7 8 9
# W02: A1 mean(7, 7, 8) = 7.333.. -> 7.33; A2 5; A3 1.5 -> A = 7.33 + 5 - 1.5 = 10.83
#      B1 trimmed(15, 15, 19) = 15.00 (spread 4 = 20% of 20, allowed);
#      B2 10*(2+2+3)/9 = 7.777.. -> 7.78; B3 median(6, 7.5, 8) = 7.50 -> B = 30.28
#      total = 10.83/15*30 + 30.28/40*70 = 21.66 + 52.99 = 74.65
sc3 WELD W02 A1 7 7 8
sc J02 WELD W02 A2 5
sc J03 WELD W02 A3 1.5
sc3 WELD W02 B1 15 15 19
sc3 WELD W02 B2 2 2 3
sc3 WELD W02 B3 6 7.5 8
# W03 (J02 recused: only J01 and J03):
#      A1 mean(2.67, 2.68) = 2.675 -> 2.68; A2 3 (both agree); A3 0 -> A = 5.68
#      B1 trimmed with 2 values = mean(12, 13) = 12.50; B2 10*(1+2)/6 = 5.00;
#      B3 median(5, 6.25) = 5.625 -> 5.63 -> B = 23.13
#      total = 5.68/15*30 + 23.13/40*70 = 11.36 + 40.4775 = 51.8375 -> 51.84
sc J01 WELD W03 A1 2.67
sc J03 WELD W03 A1 2.68
sc J01 WELD W03 A2 3
sc J03 WELD W03 A2 3.00
sc J03 WELD W03 A3 0
sc J01 WELD W03 B1 12
sc J03 WELD W03 B1 13
sc J01 WELD W03 B2 1
sc J03 WELD W03 B2 2
sc J01 WELD W03 B3 5
sc J03 WELD W03 B3 6.25
# W04 and W05, identical: A1 mean(9, 9, 9.5) = 9.1666.. -> 9.17; A2 5; A3 2
#      -> A = 12.17; B1 trimmed(18, 20, 19) = 19.00; B2 10*9/9 = 10.00;
#      B3 median(9, 9.5, 10) = 9.50 -> B = 38.50
#      total = 12.17/15*30 + 38.5/40*70 = 24.34 + 67.375 = 91.715 -> 91.72
for reg in W04 W05; do
	sc3 WELD $reg A1 9 9 9.5
	sc J01 WELD $reg A2 5
	sc J02 WELD $reg A3 2
	sc3 WELD $reg B1 18 20 19
	sc3 WELD $reg B2 3 3 3
	sc3 WELD $reg B3 9 9.5 10
done
# A revision: J01 first gave W05 A1 6, then corrected it to 9 (the latest counts).
sc J01 WELD W05 A1 6
sc J01 WELD W05 A1 9

# TOUR, unweighted. T10 (J04 recused): P = 40 - 0 = 40; Q = 45 -> 85.00
sc J03 TOUR T10 P1 40
sc J03 TOUR T10 P2 0
sc J03 TOUR T10 Q1 45
# T2: P1 mean(30, 31) = 30.50; P2 35 -> P = max(0, 30.5 - 35) = 0.00;
#     Q1 median(40, 41.5) = 40.75 -> total 40.75
sc J03 TOUR T2 P1 30
sc J04 TOUR T2 P1 31
sc J04 TOUR T2 P2 35
sc J03 TOUR T2 Q1 40
sc J04 TOUR T2 Q1 41.5
# T9: P1 mean(41, 39) = 40.00; P2 0 (both agree); Q1 median(44, 46) = 45.00 -> 85.00
sc J03 TOUR T9 P1 41
sc J04 TOUR T9 P1 39
sc J03 TOUR T9 P2 0
sc J04 TOUR T9 P2 0
sc J03 TOUR T9 Q1 44
sc J04 TOUR T9 Q1 46
note "$N_SCORES scores submitted by judges"
# one log line per request: every judge submission is in contestd's log
n_logged=$(grep -cE 'POST /api/v1/events/(WELD|TOUR)/scores.* 201 ' "$LOG" || true)
[ "$n_logged" = "$N_SCORES" ] || fail "contestd logged $n_logged score submissions with 201, $N_SCORES were made"

# W06 and W07 did not compete yet count as competed since the draw, so the
# lock must be refused and name what blocks it.
expect_fail 'W06' jc lock WELD
grep -q 'W07' <<<"$FAIL_ERR" || fail "lock WELD does not list W07 among the blockers: $FAIL_ERR"
note "lock refused as expected: $(head -n 3 <<<"$FAIL_ERR" | tr '\n' ' ')"
# W06, W07: 6 criteria; A2 (measurement) needs one value, A3 (a deduction)
# none (no value is no deduction), the others one per judge:
# (3 + 1 + 0 + 3 + 3 + 3) x 2 = 26 missing values, 2 incomplete contestants
api_admin POST /api/v1/events/WELD/lock
[ "$LAST_STATUS" = 409 ] || fail "lock WELD via the API: expected 409, got $LAST_STATUS $LAST_BODY"
[ "$(printf '%s' "$LAST_BODY" | json_get error.blockers.n_missing)" = 26 ] &&
	[ "$(printf '%s' "$LAST_BODY" | json_get error.blockers.n_incomplete)" = 2 ] ||
	fail "lock WELD blockers: expected 26 missing values for 2 contestants: ${LAST_BODY:0:400}"
api_admin GET /api/v1/events/WELD
[ "$(printf '%s' "$LAST_BODY" | json_get state)" = drawn ] || fail "WELD left 'drawn' after a refused lock: $LAST_BODY"

cat >"$D/checkin.csv" <<'EOF'
reg_id,status,elapsed_s,reason
W01,competed,3700,
W03,competed,3650,
W04,competed,3600,
W05,competed,3500,
W06,withdrawn,,伤病退赛
W07,absent,,未到场
EOF
run_ok "import checkin" jc import checkin "$D/checkin.csv"
run_ok "lock WELD" jc lock WELD
run_ok "lock TOUR" jc lock TOUR

# Scores after the lock are refused.
JUDGE_CLI_TOKEN_FILE="$T/token-J01" expect_fail 'locked' jc score WELD "${CODE[W01]}" A1 9

# WELD: N = 5, ratios 20/30/30 -> C1 = round(1.0) = 1, C2 = round(2.5) = 3,
# C3 = round(4.0) = 4. W04 and W05 tie on total and module B; W05 has the
# lower time (3500 < 3600). W01 (85.31) equals the minimum award score and
# keeps second prize; W02 (rank 4, third prize by rank, 74.65) is below it
# and gets none. Unranked: absent before withdrawn, without scores.
cat >"$T/WELD.expected" <<'EOF'
reg_id,name,organization,members,status,A,B,total,rank,award,award_name,result_status
W05,陈静,第三职业学校,,competed,12.17,38.50,91.72,1,first,一等奖,locked
W04,刘强,第三职业学校,,competed,12.17,38.50,91.72,2,second,二等奖,locked
W01,张伟,第一技师学院,,competed,13.00,33.89,85.31,3,second,二等奖,locked
W02,李娜,第一技师学院,,competed,10.83,30.28,74.65,4,,,locked
W03,王芳,第二技师学院,,competed,5.68,23.13,51.84,5,,,locked
W07,赵敏,第一技师学院,,absent,,,,,,,locked
W06,杨磊,第三职业学校,,withdrawn,,,,,,,locked
EOF
# TOUR: N = 3, 10/20/30 -> C1 = round(0.3) = 0, C2 = round(0.9) = 1,
# C3 = round(1.8) = 2. T10 and T9 tie on total, Q1 and (unknown) time: both
# rank 1, second prize, shown in reg_id byte order (T10 before T9); T2 rank 3.
cat >"$T/TOUR.expected" <<'EOF'
reg_id,name,organization,members,status,P,Q,total,rank,award,award_name,result_status
T10,孙丽,旅游职业学校,,competed,40.00,45.00,85.00,1,second,二等奖,locked
T9,吴涛,第一技师学院,,competed,40.00,45.00,85.00,1,second,二等奖,locked
T2,周杰,第一技师学院,,competed,0.00,40.75,40.75,3,,,locked
EOF

for e in WELD TOUR; do
	run_ok "results $e csv" jc results "$e" --format csv --encoding utf-8
	printf '%s\n' "$RUN_OUT" | tr -d '\r' >"$T/$e.got"
	diff -u "$T/$e.expected" "$T/$e.got" >&2 || fail "results $e --format csv differ from the hand-computed results (diff above)"
	run_ok "results $e json" jc results "$e" --format json
	printf '%s\n' "$RUN_OUT" >"$T/$e.json"
	python3 "$IT_DIR/oracle.py" check-json --expected "$T/$e.expected" --json "$T/$e.json" ||
		fail "results $e --format json disagree with the hand-computed results"
	run_ok "results $e table" jc results "$e"
	printf '%s\n' "$RUN_OUT" | grep -q '陈静\|孙丽' || fail "results $e table shows no names: $RUN_OUT"
done

# The API agrees: state, N and the cut-offs.
api_admin GET /api/v1/events/WELD/results
[ "$LAST_STATUS" = 200 ] || fail "GET results: HTTP $LAST_STATUS"
[ "$(printf '%s' "$LAST_BODY" | json_get state)" = locked ] || fail "WELD is not locked: ${LAST_BODY:0:300}"
[ "$(printf '%s' "$LAST_BODY" | json_get n_ranked)" = 5 ] || fail "WELD n_ranked != 5: ${LAST_BODY:0:300}"
[ "$(printf '%s' "$LAST_BODY" | json_get cutoffs)" = "[1, 3, 4]" ] || fail "WELD cutoffs != [1,3,4]: ${LAST_BODY:0:300}"
api_admin GET /api/v1/events/TOUR/results
[ "$(printf '%s' "$LAST_BODY" | json_get cutoffs)" = "[0, 1, 2]" ] || fail "TOUR cutoffs != [0,1,2]: ${LAST_BODY:0:300}"

# /healthz, and SIGTERM ends contestd cleanly with exit status 0
http GET /healthz
[ "$LAST_STATUS" = 200 ] && [ "$(printf '%s' "$LAST_BODY" | json_get status)" = ok ] ||
	fail "/healthz: HTTP $LAST_STATUS $LAST_BODY"
stop_contestd
[ "$CONTESTD_EXIT" = 0 ] || fail "contestd exited with status $CONTESTD_EXIT on SIGTERM (expected 0)"
note "ok: 2 events, 10 contestants, $N_SCORES judge scores, results as computed by hand"
