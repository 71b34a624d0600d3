#!/usr/bin/env bash
# What an organizer gets when results and lists go to Excel (issue 8 item
# 10; issue 12 item 8):
#  - CSV to a file (--out FILE, or standard output redirected to a file) is
#    UTF-8 with a byte order mark by default, plain UTF-8 to a pipe;
#    --encoding utf-8|utf-8-bom|gbk chooses; a character GBK lacks is named;
#  - awards as 一等奖/二等奖/三等奖 beside the English code; team members in
#    the table and the CSV; provisional results marked (a result_status
#    column, a header line in the table);
#  - a cell that starts like a formula (= + - @) is written with a "'" in
#    front, in every CSV judge-cli writes (TAB and CR: tests/unit/test_csv.c;
#    judge-cli shows them as spaces anyway).
# Expected files are written out by hand below.
. "$(dirname "$0")/lib.sh"
setup_server

D="$T/csv"
mkdir -p "$D"
cat >"$D/events.csv" <<'EOF'
code,name,award_ratios
TEAM,团体赛,34/33/33
EOF
cat >"$D/criteria.csv" <<'EOF'
event,module,module_name,module_weight,code,description,max,method
TEAM,A,操作,,A1,操作,10,mean
EOF
# formula-like names and organizations; team members
cat >"$D/contestants.csv" <<'EOF'
reg_id,name,organization,event,members
T1,"=HYPERLINK(""http://x"")",第一学院,TEAM,张三;李四
T2,-1+2,+86 学院,TEAM,王五;赵六
T3,@SUM(A1),第三学院,TEAM,钱七;孙八
EOF
printf 'T4,-,第四学院,TEAM,周九\n' >>"$D/contestants.csv"
cat >"$D/judges.csv" <<'EOF'
code,name,organization,pin,event,role
J01,周裁判,,246810,TEAM,judge
EOF
for kind in events criteria contestants judges; do
	run_ok "import $kind" jc import "$kind" "$D/$kind.csv"
done
run_ok "draw TEAM" jc draw TEAM
# T1 9, T2 8, T3 7, T4 6: N = 4, 34/33/33 -> C1 = round(1.36) = 1,
# C2 = round(2.68) = 3, C3 = round(4.0) = 4: T1 first, T2 and T3 second,
# T4 third
cat >"$D/scores.csv" <<'EOF'
event,contestant,criterion,judge,value
TEAM,T1,A1,J01,9
TEAM,T2,A1,J01,8
TEAM,T3,A1,J01,7
TEAM,T4,A1,J01,6
EOF
run_ok "import scores" jc import scores "$D/scores.csv"

# ---------------------------------------------------------------- provisional
cat >"$D/provisional.expected" <<'EOF'
reg_id,name,organization,members,status,A,total,rank,award,award_name,result_status
T1,"'=HYPERLINK(""http://x"")",第一学院,张三;李四,competed,9.00,9.00,1,first,一等奖,provisional
T2,"'-1+2","'+86 学院",王五;赵六,competed,8.00,8.00,2,second,二等奖,provisional
T3,"'@SUM(A1)",第三学院,钱七;孙八,competed,7.00,7.00,3,second,二等奖,provisional
T4,"'-",第四学院,周九,competed,6.00,6.00,4,third,三等奖,provisional
EOF
# to a pipe: plain UTF-8
jc results TEAM --format csv | cat >"$D/pipe.csv"
cmp -s "$D/provisional.expected" "$D/pipe.csv" || {
	diff -u "$D/provisional.expected" "$D/pipe.csv" >&2
	fail "results TEAM --format csv (to a pipe) differ from the expected file (diff above)"
}
# to a file: a byte order mark first
jc results TEAM --format csv >"$D/redirected.csv"
{ printf '\xef\xbb\xbf'; cat "$D/provisional.expected"; } >"$D/provisional-bom.expected"
cmp -s "$D/provisional-bom.expected" "$D/redirected.csv" ||
	fail "results --format csv > FILE does not start with a byte order mark: $(head -c 40 "$D/redirected.csv" | od -c | head -n 2)"
run_ok "results --out" jc results TEAM --format csv --out "$D/out.csv"
case $RUN_OUT in *"wrote $D/out.csv"*"UTF-8 with BOM"*) ;; *) fail "results --out says: $RUN_OUT" ;; esac
cmp -s "$D/provisional-bom.expected" "$D/out.csv" || fail "results --out FILE is not the expected UTF-8 with BOM"
[ "$(stat -c %a "$D/out.csv")" = 600 ] || fail "--out FILE has mode $(stat -c %a "$D/out.csv"), expected 600"
run_ok "results --out --encoding utf-8" jc results TEAM --format csv --out "$D/plain.csv" --encoding utf-8
cmp -s "$D/provisional.expected" "$D/plain.csv" || fail "--encoding utf-8 to a file is not plain UTF-8"
# GBK: the same text in GBK bytes
run_ok "results --encoding gbk" jc results TEAM --format csv --encoding gbk --out "$D/gbk.csv"
iconv -f GBK -t UTF-8 "$D/gbk.csv" >"$D/gbk-back.csv" || fail "the --encoding gbk file is not GBK"
cmp -s "$D/provisional.expected" "$D/gbk-back.csv" || fail "the --encoding gbk file does not say the same"
grep -q '第一学院' "$D/gbk.csv" && fail "the --encoding gbk file holds UTF-8"

# the table: a header line, awards in Chinese, the members
run_ok "results TEAM (table)" jc results TEAM
head -n 1 <<<"$RUN_OUT" | grep -q '^PROVISIONAL RESULTS' || fail "the provisional table has no header line saying so: $RUN_OUT"
grep -q 'MEMBERS' <<<"$RUN_OUT" || fail "the table of a team event has no MEMBERS column: $RUN_OUT"
grep -E -q "^ +1 +T1 .*张三;李四 +competed +9.00 +9.00 +一等奖$" <<<"$RUN_OUT" ||
	fail "the table row of T1 (members, 一等奖): $RUN_OUT"
grep -E -q "^ +4 +T4 .*三等奖$" <<<"$RUN_OUT" || fail "the table row of T4 (三等奖): $RUN_OUT"
run_ok "results --format json" jc results TEAM --format json
[ "$(printf '%s' "$RUN_OUT" | json_get provisional)" = true ] || fail "the JSON does not say provisional: ${RUN_OUT:0:300}"

# ---------------------------------------------------------------- after the lock
run_ok "lock TEAM" jc lock TEAM
jc results TEAM --format csv --encoding utf-8 >"$D/locked.csv"
sed 's/,provisional$/,locked/' "$D/provisional.expected" >"$D/locked.expected"
cmp -s "$D/locked.expected" "$D/locked.csv" || {
	diff -u "$D/locked.expected" "$D/locked.csv" >&2
	fail "results after the lock differ (diff above)"
}
run_ok "results TEAM (table)" jc results TEAM
grep -q 'PROVISIONAL' <<<"$RUN_OUT" && fail "the locked results are still marked provisional: $RUN_OUT"

# ---------------------------------------------------------------- contestants
jc contestants TEAM --format csv --encoding utf-8 >"$D/list.csv"
grep -q "^T1,\"'=HYPERLINK(\"\"http://x\"\")\",第一学院," "$D/list.csv" &&
	grep -q "^T2,\"'-1+2\",\"'+86 学院\"," "$D/list.csv" &&
	grep -q "^T3,\"'@SUM(A1)\"," "$D/list.csv" || fail "contestants --format csv writes formulas as they are: $(cat "$D/list.csv")"
run_ok "contestants --out" jc contestants TEAM --format csv --out "$D/list-bom.csv"
[ "$(head -c 3 "$D/list-bom.csv" | od -An -tx1 | tr -d ' ')" = efbbbf ] || fail "contestants --out has no byte order mark"

# ---------------------------------------------------------------- refusals
# a character GBK does not have: named, nothing written
api_admin POST /api/v1/events '[{"code":"RARE","name":"生僻字"}]'
api_admin POST /api/v1/contestants '[{"reg_id":"R1","name":"𠀀先生","organization":"","event":"RARE"}]'
[ "$LAST_STATUS" = 201 ] || fail "registering R1: HTTP $LAST_STATUS $LAST_BODY"
expect_fail 'U\+20000.*cannot be written in GBK; use --encoding utf-8-bom' \
	jc contestants RARE --format csv --encoding gbk --out "$D/rare.csv"
[ -e "$D/rare.csv" ] && fail "a refused GBK export left a file"
expect_fail 'unknown encoding "latin1"' jc results TEAM --format csv --encoding latin1
expect_fail '--encoding goes with --format csv' jc results TEAM --encoding gbk
expect_fail '--out goes with --format csv' jc contestants TEAM --out "$D/x.csv"
note "ok: BOM to files, GBK, 一等奖 with award codes, members, provisional marked, formulas neutralized"
