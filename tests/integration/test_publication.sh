#!/usr/bin/env bash
# Publication as a user meets it: unpublished results are 404 to the
# public; publish freezes version 1 (no registration id, no id number);
# finalize is refused during the notice period and while an appeal is open;
# a correction (unlock of the published event, re-score, lock, publish)
# makes version 2, whose document says who moved and why, while version 1
# stays byte for byte what it was; finalize issues the certificates; the
# database refuses to change a published version; audit verify replays
# publish and finalize and catches a published document altered behind its
# back. Expected ranks and awards are worked out by hand below.
. "$(dirname "$0")/lib.sh"

setup_server --public-rate 1000
D="$T/csv"
mkdir -p "$D"
printf 'code,name\nWELD,焊接\n' >"$D/events.csv"
cat >"$D/criteria.csv" <<'EOF'
event,module,module_name,module_weight,code,description,max,method
WELD,A,实操,,A1,焊缝质量,100,mean
EOF
cat >"$D/contestants.csv" <<'EOF'
reg_id,name,organization,event,id_number
W01,张伟,第一技师学院,WELD,110101199001011234
W02,李娜,第二技师学院,WELD,110101199202025678
W03,王芳,第三职业学校,WELD,
W04,刘洋,第四职业学校,WELD,
W05,陈杰,第五技工学校,WELD,
W06,赵磊,第六技工学校,WELD,
EOF
cat >"$D/judges.csv" <<'EOF'
code,name,organization,pin,event,role
J01,王建国,市质检院,246810,WELD,judge
EOF
# One judge, one criterion: the totals are the marks. N = 5 ranked (W06 is
# absent), ratios 10/20/30: C1 = round(0.5) = 1, C2 = round(1.5) = 2,
# C3 = round(3.0) = 3.
cat >"$D/scores.csv" <<'EOF'
event,contestant,criterion,judge,value
WELD,W01,A1,J01,90
WELD,W02,A1,J01,80
WELD,W03,A1,J01,70
WELD,W04,A1,J01,60
WELD,W05,A1,J01,50
EOF
printf 'reg_id,status,elapsed_s,reason\nW06,absent,,未到场\n' >"$D/checkin.csv"
for kind in events criteria contestants judges; do run_ok "import $kind" jc import "$kind" "$D/$kind.csv"; done
run_ok "draw" jc draw WELD
run_ok "checkin" jc import checkin "$D/checkin.csv"
run_ok "scores" jc import scores "$D/scores.csv"

# ---- nothing is public before publication ----
expect_error 404 not_found GET /api/v1/public/events/WELD/results
body_matches 'no published results for event WELD' "unpublished results"
expect_error 404 not_found GET /api/v1/public/events/NOSUCH/results
body_matches 'no published results for event NOSUCH' "an unknown event looks the same as an unpublished one"
expect_status 200 GET /api/v1/public/events
[ "$(printf '%s' "$LAST_BODY" | json_get 'length(events)')" = 0 ] || fail "events listed before publication: $LAST_BODY"
expect_fail 'event WELD is drawn; only locked results are published' jc publish WELD
run_ok "lock" jc lock WELD

# ---- version 1, with a notice period ----
notice=$(date -u -d '+4 seconds' +%Y-%m-%dT%H:%M:%SZ)
expect_fail 'notice_until: .* is not in the future' jc publish WELD --notice-until 2020-01-01
expect_fail 'notice_until: "tomorrow" is not a time' jc publish WELD --notice-until tomorrow
run_ok "publish v1" jc publish WELD --notice-until "$notice"
grep -q "published WELD version 1" <<<"$RUN_OUT" || fail "publish said: $RUN_OUT"
grep -q "public page: http://127.0.0.1/results/WELD" <<<"$RUN_OUT" || fail "publish names no public page: $RUN_OUT"
expect_status 200 GET /api/v1/public/events/WELD/results
V1=$LAST_BODY
printf '%s' "$V1" >"$T/v1.json"
python3 - "$T/v1.json" "$notice" <<'PY' || fail "version 1 is not what was published: $V1"
import json, sys
d = json.load(open(sys.argv[1], encoding="utf-8"))
assert d["version"] == 1 and d["notice_until"] == sys.argv[2] and d["correction"] is None, d
got = [(r["name"], r["organization"], r["rank"], r["total"], r["award"], r["award_name"], r["status"])
       for r in d["results"]]
want = [("张伟", "第一技师学院", 1, "90.00", "first", "一等奖", "competed"),
        ("李娜", "第二技师学院", 2, "80.00", "second", "二等奖", "competed"),
        ("王芳", "第三职业学校", 3, "70.00", "third", "三等奖", "competed"),
        ("刘洋", "第四职业学校", 4, "60.00", None, None, "competed"),
        ("陈杰", "第五技工学校", 5, "50.00", None, None, "competed"),
        ("赵磊", "第六技工学校", None, None, None, None, "absent")]
assert got == want, got
assert d["n_ranked"] == 5 and d["cutoffs"] == [1, 2, 3], d
PY
# never an id number, never a registration id
for secret in 110101199001011234 1101 W01 W02 reg_id id_number; do
	grep -q -- "$secret" "$T/v1.json" && fail "the public results contain \"$secret\": $V1"
done
etag1=$(curl -s -D - -o /dev/null "$S/api/v1/public/events/WELD/results?version=1" | tr -d '\r' | sed -n 's/^ETag: //p')
[ -n "$etag1" ] || fail "the published results have no ETag"
expect_status 304 GET "/api/v1/public/events/WELD/results?version=1" -H "If-None-Match: $etag1"
expect_error 404 not_found GET "/api/v1/public/events/WELD/results?version=2"
body_matches 'event WELD has no published version 2' "a version not published yet"
expect_error 400 invalid GET "/api/v1/public/events/WELD/results?version=0"
expect_error 400 invalid GET "/api/v1/public/events/WELD/results?verison=1"
expect_status 200 GET /api/v1/public/events
[ "$(printf '%s' "$LAST_BODY" | json_get events.0.state)" = published ] || fail "public list after v1: $LAST_BODY"

# finalize waits for the notice period
expect_fail "event WELD cannot be finalized: its notice period runs until $notice" jc finalize WELD

# ---- an appeal, and the correction it leads to ----
expect_fail 'give --by' jc appeal add WELD --text 成绩有误
expect_fail 'contestant: event WELD has no contestant X99' jc appeal add WELD --by 刘洋 --text 成绩有误 --contestant X99
run_ok "appeal add" jc appeal add WELD --by "刘洋（第四职业学校）" --text "A1 成绩录入错误，应为 95 分" --contestant W04
grep -q 'recorded appeal 1 against WELD' <<<"$RUN_OUT" || fail "appeal add: $RUN_OUT"
run_ok "appeal list" jc appeal list WELD
grep -q '1 appeal, 1 open' <<<"$RUN_OUT" && grep -q 'W04' <<<"$RUN_OUT" || fail "appeal list: $RUN_OUT"

run_ok "unlock the published event" jc unlock WELD --reason "申诉成立：W04 成绩录入错误"
expect_status 200 GET /api/v1/public/events
[ "$(printf '%s' "$LAST_BODY" | json_get events.0.state)" = correcting ] || fail "public list while correcting: $LAST_BODY"
expect_status 200 GET /api/v1/public/events/WELD/results
[ "$LAST_BODY" = "$V1" ] || fail "while the correction is made the public still sees version 1"
printf 'event,contestant,criterion,judge,value\nWELD,W04,A1,J01,95\n' >"$D/fix.csv"
run_ok "the corrected score" jc import scores "$D/fix.csv"
run_ok "lock again" jc lock WELD
notice2=$(date -u -d '+3 seconds' +%Y-%m-%dT%H:%M:%SZ)
run_ok "publish v2" jc publish WELD --notice-until "$notice2"
grep -q 'published WELD version 2' <<<"$RUN_OUT" && grep -q 'correction: 申诉成立：W04 成绩录入错误' <<<"$RUN_OUT" ||
	fail "publish v2 said: $RUN_OUT"
expect_status 200 GET /api/v1/public/events/WELD/results
printf '%s' "$LAST_BODY" >"$T/v2.json"
# W04 95 first (C1 = 1), W01 90 second, W02 80 third, W03 70 no prize.
python3 - "$T/v2.json" <<'PY' || fail "version 2 is wrong: $(cat "$T/v2.json")"
import json, sys
d = json.load(open(sys.argv[1], encoding="utf-8"))
assert d["version"] == 2, d["version"]
c = d["correction"]
assert c["previous"] == 1 and c["reason"] == "申诉成立：W04 成绩录入错误", c
moved = {x["name"]: ((x["before"]["rank"], x["before"]["total"], x["before"]["award"]),
                     (x["after"]["rank"], x["after"]["total"], x["after"]["award"])) for x in c["changes"]}
assert moved == {
    "刘洋": ((4, "60.00", None), (1, "95.00", "first")),
    "张伟": ((1, "90.00", "first"), (2, "90.00", "second")),
    "李娜": ((2, "80.00", "second"), (3, "80.00", "third")),
    "王芳": ((3, "70.00", "third"), (4, "70.00", None)),
}, moved
assert [r["name"] for r in d["results"]] == ["刘洋", "张伟", "李娜", "王芳", "陈杰", "赵磊"], d["results"]
PY
# version 1 is what it was, byte for byte, with the same ETag
expect_status 200 GET "/api/v1/public/events/WELD/results?version=1"
[ "$LAST_BODY" = "$V1" ] || fail "version 1 changed after the correction"
expect_status 304 GET "/api/v1/public/events/WELD/results?version=1" -H "If-None-Match: $etag1"

expect_fail 'event WELD cannot be finalized: (its notice period runs until|1 appeal is still open)' jc finalize WELD
expect_fail 'give --outcome upheld or --outcome rejected' jc appeal resolve 1 --outcome maybe --reason x
run_ok "resolve" jc appeal resolve 1 --outcome upheld --reason "复核属实，已在第 2 版更正"
expect_fail 'appeal 1 was resolved already' jc appeal resolve 1 --outcome rejected --reason again
# the notice period of version 2 still runs (3 s), then finalize goes through
for i in $(seq 1 50); do
	[ "$(date -u +%Y-%m-%dT%H:%M:%SZ)" \> "$notice2" ] && break
	sleep 0.2
done
run_ok "finalize" jc finalize WELD
# W04 first, W01 second, W02 third: three certificates
grep -q 'finalized WELD (version 2 is final): 3 certificates issued' <<<"$RUN_OUT" || fail "finalize: $RUN_OUT"
expect_fail 'event WELD is final; it is final already' jc finalize WELD
expect_fail 'event WELD is final; final results are not reopened' jc unlock WELD --reason 再改
expect_fail 'event WELD is final; the results are final' jc appeal add WELD --by 某人 --text 太晚了
expect_status 200 GET /api/v1/public/events
[ "$(printf '%s' "$LAST_BODY" | json_get events.0.state)" = final ] || fail "public list after finalize: $LAST_BODY"
expect_status 200 GET "/api/v1/public/events/WELD/results?version=1"
[ "$LAST_BODY" = "$V1" ] || fail "version 1 changed after finalize"

# ---- the database itself refuses to change a published version ----
out=$(sqlite3 "$DB" "UPDATE publications SET results = '{}' WHERE version = 1" 2>&1) &&
	fail "the database let a published version be changed"
grep -q 'a published version never changes' <<<"$out" || fail "UPDATE of a publication: $out"
out=$(sqlite3 "$DB" "DELETE FROM publications" 2>&1) && fail "the database let published versions be deleted"

# ---- the audit trail replays all of it ----
run_ok "audit verify" jc audit verify
run_ok "audit log" jc audit log --event WELD --format csv
for want in ',publish,WELD,locked,"version 1, results ' ',unlock,WELD,published,drawn,申诉成立：W04 成绩录入错误' \
	',appeal.add,WELD/appeal/1,,open,' ',appeal.resolve,WELD/appeal/1,open,upheld,' ',finalize,WELD,published,"final, 3 certificates"'; do
	grep -qF -- "$want" <<<"$RUN_OUT" || fail "the audit log lacks $want: $RUN_OUT"
done
# A document altered behind the database's back (its trigger dropped) is
# caught: the publish record names the digest of what was published.
stop_contestd
sqlite3 "$DB" "DROP TRIGGER publications_never_change; UPDATE publications SET results = replace(results, '95.00', '96.00') WHERE version = 2"
start_contestd --public-rate 1000
login_admin
expect_fail 'published version 2 of event WELD is not the document its audit record [0-9]+ names' jc audit verify
stop_contestd
[ "$CONTESTD_EXIT" = 0 ] || fail "contestd exited with status $CONTESTD_EXIT on SIGTERM"
note "ok: 404 before publication, v1 frozen, notice period and appeal block finalize, v2 shows 4 moves, v1 unchanged, 3 certificates, audit replays and catches tampering"
