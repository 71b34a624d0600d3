#!/usr/bin/env bash
# Certificates as the organizers and the public meet them: finalize needs
# the public base URL; it issues one certificate per winner, one for each
# member of a winning team; judge-cli certificates writes the A4 SVGs, the
# QR code PNGs and awards.csv (BOM, formula cells neutralized); each PNG,
# read back by zbarimg (an independent QR reader), verifies offline with
# judge-cli and with tests/integration/cert_oracle.py (an independent
# verifier), and online; one changed character is forged; a mistyped id is
# caught by its check character; a revoked certificate is revoked (online and
# from the signed revocation list, offline); an id never issued is unknown.
. "$(dirname "$0")/lib.sh"

command -v zbarimg >/dev/null || fail "zbarimg is missing (Debian package zbar-tools; scripts/deps.sh)"

# refuted WANT ARGS...: judge-cli verify ARGS must exit 1 with its verdict
# WANT (forged, unknown, revoked) first on standard output; VERIFY_OUT keeps
# what it said.
refuted() {
	local want=$1 rc=0
	shift
	jc verify "$@" >"$T/verify.out" 2>"$T/verify.err" || rc=$?
	VERIFY_OUT=$(cat "$T/verify.out" "$T/verify.err")
	[ $rc = 1 ] || fail "judge-cli verify $*: exit $rc, expected 1: $VERIFY_OUT"
	grep -q "^$want" "$T/verify.out" || fail "judge-cli verify $*: expected $want: $VERIFY_OUT"
}
setup_server --public-rate 1000
D="$T/csv"
mkdir -p "$D"
printf 'code,name,award_ratios\nCNC,数控铣,40/30/30\nTEAM,团体赛,40/30/30\n' >"$D/events.csv"
cat >"$D/criteria.csv" <<'EOF'
event,module,module_name,module_weight,code,description,max,method
CNC,A,实操,,A1,零件加工,100,mean
TEAM,A,实操,,A1,项目完成,100,mean
EOF
# The long organization does not fit the QR code whole: it travels as a
# digest, and the offline verdict still holds.
LONG_ORG='新疆维吾尔自治区乌鲁木齐市职业技术学院（新校区）汽车运用与维修专业教研室联合代表队'
cat >"$D/contestants.csv" <<EOF
reg_id,name,organization,event,id_number,members
C01,欧阳晓明,北京市第一职业技术学院,CNC,110101199001011234,
C02,李娜,=1+2职业学校,CNC,,
C03,热依木·买买提,$LONG_ORG,CNC,,
C04,陈杰,第五技工学校,CNC,,
T01,梦之队,深圳技师学院,TEAM,,张三;李四
T02,星火队,广州市交通运输职业学校,TEAM,,王五;赵六;孙七
T03,远航队,杭州市萧山区第三中等职业学校,TEAM,,周八;吴九
T04,晨光队,中国第一汽车集团有限公司,TEAM,,郑十;冯十一
EOF
cat >"$D/judges.csv" <<'EOF'
code,name,organization,pin,event,role
J01,王建国,市质检院,246810,CNC,judge
J02,孙丽华,市鉴定中心,135790,TEAM,judge
EOF
# N = 4, ratios 40/30/30: C1 = round(1.6) = 2, C2 = round(2.8) = 3,
# C3 = round(4.0) = 4. CNC: C01 and C02 first, C03 second, C04 third.
# TEAM: T01, T02 first, T03 second, T04 third: 2 + 3 + 2 + 2 members.
cat >"$D/scores.csv" <<'EOF'
event,contestant,criterion,judge,value
CNC,C01,A1,J01,95
CNC,C02,A1,J01,90
CNC,C03,A1,J01,80
CNC,C04,A1,J01,70
TEAM,T01,A1,J02,88
TEAM,T02,A1,J02,86
TEAM,T03,A1,J02,75
TEAM,T04,A1,J02,60
EOF
for kind in events criteria contestants judges; do run_ok "import $kind" jc import "$kind" "$D/$kind.csv"; done
for e in CNC TEAM; do run_ok "draw $e" jc draw "$e"; done
run_ok "scores" jc import scores "$D/scores.csv"
for e in CNC TEAM; do
	run_ok "lock $e" jc lock "$e"
	run_ok "publish $e" jc publish "$e"
done

# ---- finalize needs the public base URL (none stored, as contestd stores
# none when it listens on a wildcard address) ----
stop_contestd
sqlite3 "$DB" "UPDATE contest SET public_url = ''"
CONTESTD_DEFAULTS=(--contest-code TEST --public-rate 1000)
start_contestd
login_admin
expect_fail 'contest TEST has no public base URL.*restart contestd with --public-url URL' jc finalize CNC
[ "$(sqlite3 "$DB" "SELECT state FROM events WHERE code = 'CNC'")" = published ] || fail "a refused finalize changed CNC"
[ "$(sqlite3 "$DB" 'SELECT count(*) FROM certificates')" = 0 ] || fail "a refused finalize issued certificates"
stop_contestd
CONTESTD_DEFAULTS=(--public-url "http://127.0.0.1:8080/" --contest-code TEST --public-rate 1000)
start_contestd
login_admin

run_ok "finalize CNC" jc finalize CNC
grep -q '4 certificates issued' <<<"$RUN_OUT" || fail "finalize CNC: $RUN_OUT"
run_ok "finalize TEAM" jc finalize TEAM
grep -q '9 certificates issued' <<<"$RUN_OUT" || fail "finalize TEAM: $RUN_OUT"
run_ok "pubkey" jc pubkey --out "$T/key.json"
PK=$(json_get public_key "$T/key.json")
[ ${#PK} = 64 ] || fail "pubkey gave no key: $(cat "$T/key.json")"

# ---- the files for the ceremony ----
for e in CNC TEAM; do run_ok "certificates $e" jc certificates "$e" --out "$T/$e"; done
[ "$(find "$T/CNC" -name '*.svg' | wc -l)" = 4 ] && [ "$(find "$T/CNC" -name '*.qr.png' | wc -l)" = 4 ] ||
	fail "CNC: expected 4 SVGs and 4 PNGs: $(ls "$T/CNC")"
[ "$(find "$T/TEAM" -name '*.svg' | wc -l)" = 9 ] || fail "TEAM: expected 9 certificates: $(ls "$T/TEAM")"
[ "$(head -c 3 "$T/CNC/awards.csv" | od -An -tx1 | tr -d ' ')" = efbbbf ] || fail "awards.csv has no byte order mark"
python3 - "$T/CNC/awards.csv" "$T/TEAM/awards.csv" <<'PY' || fail "awards.csv is wrong: $(cat "$T/CNC/awards.csv" "$T/TEAM/awards.csv")"
import csv, sys
cnc = list(csv.DictReader(open(sys.argv[1], encoding="utf-8-sig")))
team = list(csv.DictReader(open(sys.argv[2], encoding="utf-8-sig")))
assert [(r["award"], r["rank"], r["name"], r["organization"]) for r in cnc] == [
    ("一等奖", "1", "欧阳晓明", "北京市第一职业技术学院"),
    ("一等奖", "2", "李娜", "'=1+2职业学校"),          # a formula cell neutralized
    ("二等奖", "3", "热依木·买买提", "新疆维吾尔自治区乌鲁木齐市职业技术学院（新校区）汽车运用与维修专业教研室联合代表队"),
    ("三等奖", "4", "陈杰", "第五技工学校")], cnc
got = sorted((r["award"], r["team"], r["name"]) for r in team)
want = sorted([("一等奖", "梦之队", "张三"), ("一等奖", "梦之队", "李四"), ("一等奖", "星火队", "王五"),
               ("一等奖", "星火队", "赵六"), ("一等奖", "星火队", "孙七"), ("二等奖", "远航队", "周八"),
               ("二等奖", "远航队", "吴九"), ("三等奖", "晨光队", "郑十"), ("三等奖", "晨光队", "冯十一")])
assert got == want, got
for r in cnc + team:
    assert len(r["certificate_id"]) == 21 and r["svg"] == r["certificate_id"] + ".svg", r
PY
grep -q '<svg' "$T/CNC/$(sed -n 2p "$T/CNC/awards.csv" | awk -F, '{print $7}').svg" || fail "the certificate is not an SVG"
grep -q '欧阳晓明' "$T/CNC/"*.svg || fail "no certificate names 欧阳晓明"
grep -q '110101199001011234' "$T/CNC/"*.svg && fail "a certificate shows an id number"

# ---- every QR code read back by zbarimg verifies, offline and online ----
n=0
for png in "$T/CNC/"*.qr.png "$T/TEAM/"*.qr.png; do
	url=$(timeout 30 zbarimg -q --raw "$png" 2>/dev/null) || fail "zbarimg cannot read $png"
	id=$(basename "$png" .qr.png)
	case $url in http://127.0.0.1:8080/V/* | HTTP://127.0.0.1:8080/V/*) ;; *) fail "$png holds $url" ;; esac
	run_ok "verify $id offline" jc verify "$url" --key "$T/key.json"
	grep -q "^genuine: certificate $id" <<<"$RUN_OUT" || fail "offline verify of $id: $RUN_OUT"
	printf '%s' "$url" >"$T/url"
	oracle=$(python3 "$IT_DIR/cert_oracle.py" "$T/url" "$PK" TEST)
	[ "$(printf '%s' "$oracle" | json_get verdict)" = genuine ] && [ "$(printf '%s' "$oracle" | json_get id)" = "$id" ] ||
		fail "the independent verifier says of $id: $oracle"
	expect_status 200 GET "/api/v1/verify/${url#*/V/}"
	[ "$(printf '%s' "$LAST_BODY" | json_get verdict)" = genuine ] && [ "$(printf '%s' "$LAST_BODY" | json_get certificate.id)" = "$id" ] ||
		fail "online verify of $id: $LAST_BODY"
	n=$((n + 1))
done
[ $n = 13 ] || fail "read $n QR codes, not 13"
# the first prize of 欧阳晓明, in the fields the verifier prints
first=$(sed -n 2p "$T/CNC/awards.csv" | awk -F, '{print $7}')
url=$(timeout 30 zbarimg -q --raw "$T/CNC/$first.qr.png" 2>/dev/null)
run_ok "verify with fields" jc verify "$url" --key "$T/key.json"
grep -q 'holder        欧阳晓明' <<<"$RUN_OUT" && grep -q 'award         一等奖' <<<"$RUN_OUT" ||
	fail "verify does not show the holder and the award: $RUN_OUT"
expect_status 200 GET "/api/v1/verify/${url#*/V/}"
[ "$(printf '%s' "$LAST_BODY" | json_get certificate.holder)" = 欧阳晓明 ] &&
	[ "$(printf '%s' "$LAST_BODY" | json_get certificate.award_name)" = 一等奖 ] || fail "online verify: $LAST_BODY"
# the long organization travelled as a digest: offline says so, online shows it
long=$(sed -n 4p "$T/CNC/awards.csv" | awk -F, '{print $7}')
lurl=$(timeout 30 zbarimg -q --raw "$T/CNC/$long.qr.png" 2>/dev/null)
run_ok "verify the long organization" jc verify "$lurl" --key "$T/key.json"
grep -q '^genuine' <<<"$RUN_OUT" || fail "verify of $long: $RUN_OUT"
expect_status 200 GET "/api/v1/verify/${lurl#*/V/}"
[ "$(printf '%s' "$LAST_BODY" | json_get certificate.organization)" = "$LONG_ORG" ] || fail "online: $LAST_BODY"

# offline really is offline: the key saved, the server stopped
run_ok "pubkey --save" jc pubkey --save
stop_contestd
run_ok "verify with the server down" jc verify "$url"
grep -q "^genuine: certificate $first" <<<"$RUN_OUT" || fail "offline verify without the server: $RUN_OUT"
start_contestd
login_admin

# ---- one changed character is forged ----
payload=${url#*/V/}
for pos in 20 60 $((${#payload} - 3)); do
	c=${payload:$pos:1}
	[ "$c" = 7 ] && r=8 || r=7
	bad="${url%%/V/*}/V/${payload:0:$pos}$r${payload:$((pos + 1))}"
	refuted forged "$bad" --key "$T/key.json"
	expect_status 200 GET "/api/v1/verify/${bad#*/V/}"
	[ "$(printf '%s' "$LAST_BODY" | json_get verdict)" = forged ] || fail "online, changed at $pos: $LAST_BODY"
done
# a damaged payload (cut short) is forged too, not an error
expect_status 200 GET "/api/v1/verify/${payload:0:100}"
[ "$(printf '%s' "$LAST_BODY" | json_get verdict)" = forged ] && [ "$(printf '%s' "$LAST_BODY" | json_get problem)" = damaged ] ||
	fail "a damaged payload: $LAST_BODY"

# ---- ids: mistyped, unknown, looked up ----
sub=$( [ "${first:3:1}" = 7 ] && echo 8 || echo 7 )
typo="${first:0:3}$sub${first:4}"
expect_fail 'mistyped' jc verify "$typo"
expect_error 400 invalid GET "/api/v1/verify/$typo"
body_matches 'is mistyped: its check character does not match' "a mistyped id"
swapped="${first:1:1}${first:0:1}${first:2}"
if [ "$swapped" != "$first" ]; then
	expect_error 400 invalid GET "/api/v1/verify/$swapped"
fi
expect_error 400 invalid GET "/api/v1/verify/ABCU-0000-0000-0000-0"
body_matches 'holds a character no certificate id has' "a malformed id"
lower=$(tr 'A-Z' 'a-z' <<<"$first")
run_ok "verify by id in lower case" jc verify "$lower"
grep -q "^genuine (online" <<<"$RUN_OUT" && grep -q '欧阳晓明' <<<"$RUN_OUT" || fail "verify by id: $RUN_OUT"
never=$(python3 -c 'import os, sys; sys.path.insert(0, sys.argv[1]); import cert_oracle; print(cert_oracle.cert_id_text(os.urandom(10)))' "$IT_DIR")
expect_status 200 GET "/api/v1/verify/$never"
[ "$(printf '%s' "$LAST_BODY" | json_get verdict)" = unknown ] || fail "an id never issued: $LAST_BODY"
refuted unknown "$never"

# ---- revocation ----
second=$(sed -n 3p "$T/CNC/awards.csv" | awk -F, '{print $7}')
surl=$(timeout 30 zbarimg -q --raw "$T/CNC/$second.qr.png" 2>/dev/null)
expect_fail 'give --reason R' jc revoke "$second"
# another check character than its own (X, unless it is X)
expect_fail 'a mistyped certificate id' jc revoke "${second:0:20}$( [ "${second:20:1}" = X ] && echo Y || echo X)"
run_ok "revoke" jc revoke "$second" --reason "成绩更正后不再获此奖项"
expect_fail 'was revoked already' jc revoke "$second" --reason again
expect_status 200 GET "/api/v1/verify/$second"
[ "$(printf '%s' "$LAST_BODY" | json_get verdict)" = revoked ] &&
	[ "$(printf '%s' "$LAST_BODY" | json_get revoked.reason)" = 成绩更正后不再获此奖项 ] || fail "verify of a revoked id: $LAST_BODY"
expect_status 200 GET "/api/v1/verify/${surl#*/V/}"
[ "$(printf '%s' "$LAST_BODY" | json_get verdict)" = revoked ] || fail "verify of a revoked QR code: $LAST_BODY"
refuted genuine "$surl" --key "$T/key.json" --online # the signature holds; the server says:
grep -q '^revoked (online' <<<"$VERIFY_OUT" || fail "verify --online of a revoked one: $VERIFY_OUT"
# offline, from the signed revocation list
expect_status 200 GET /api/v1/public/revocations
printf '%s' "$LAST_BODY" >"$T/revocations.json"
refuted "revoked: certificate $second was revoked on" "$surl" --key "$T/key.json" --revocations "$T/revocations.json"
run_ok "a certificate not in the list" jc verify "$url" --key "$T/key.json" --revocations "$T/revocations.json"
grep -q 'not in the revocation list' <<<"$RUN_OUT" || fail "$RUN_OUT"
# a list altered after signing is refused
sed 's/成绩更正后不再获此奖项/另一个原因/' "$T/revocations.json" >"$T/bad-revocations.json"
expect_fail 'is not a revocation list signed by a key judge-cli knows' \
	jc verify "$url" --key "$T/key.json" --revocations "$T/bad-revocations.json"
# the revoked certificate is left out of the ceremony's files
run_ok "certificates again" jc certificates CNC --out "$T/CNC2"
grep -q 'left out 1 revoked certificate' <<<"$RUN_OUT" || fail "$RUN_OUT"
grep -q "$second" "$T/CNC2/awards.csv" && fail "awards.csv lists the revoked certificate"

run_ok "audit verify" jc audit verify
run_ok "audit log" jc audit log --event CNC --format csv
[ "$(grep -c ',certificate.issue,CNC/' <<<"$RUN_OUT")" = 4 ] || fail "4 certificate.issue records expected: $RUN_OUT"
grep -q ",certificate.revoke,CNC/$second,issued,revoked,成绩更正后不再获此奖项" <<<"$RUN_OUT" || fail "no revoke record: $RUN_OUT"
# a revocation undone behind the trail's back is caught
stop_contestd
sqlite3 "$DB" "UPDATE certificates SET revoked_at = NULL, revoke_reason = NULL WHERE id = '$second'"
start_contestd
login_admin
expect_fail "certificate $second is issued .* but the audit trail says revoked" jc audit verify
stop_contestd
[ "$CONTESTD_EXIT" = 0 ] || fail "contestd exited with status $CONTESTD_EXIT on SIGTERM"
note "ok: 13 certificates (team members each), every QR read by zbarimg verified offline, by the oracle and online; forged, mistyped, unknown, revoked as they should be"
