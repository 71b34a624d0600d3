#!/usr/bin/env bash
# The web terminal as HTTP sees it: every file of contestd/web/ served at /
# and /static/NAME byte for byte with its content type, an ETag and a 304 for
# a conditional GET, the security headers on pages and API answers alike, no
# inline script or style; and the judge's sheet that the terminal reads: the
# competed, not recused contestants in workstation order with the judge's
# own values and when they were entered, the modules with their max, and no name,
# organization or registration id.
. "$(dirname "$0")/lib.sh"

WEB="$SOURCE_DIR/contestd/web"
[ -f "$WEB/index.html" ] || fail "no $WEB/index.html"
setup_server

# fetch PATH [curl args...]: headers to $T/h, body to $T/b, status in LAST_STATUS
fetch() {
	local p=$1
	shift
	rm -f "$T/h" "$T/b"
	touch "$T/b"   # curl writes no file for an answer without a body
	LAST_STATUS=$(curl -s -D "$T/h" -o "$T/b" -w '%{http_code}' --max-time 10 "$@" "$S$p") || LAST_STATUS=000
}
# header NAME: the value of a header of the last fetch (case-insensitive)
header() { tr -d '\r' <"$T/h" | sed -n "s/^$1: //Ip" | head -n 1; }

# ---- the files ----
for f in "$WEB"/*; do
	name=$(basename "$f")
	fetch "/static/$name"
	[ "$LAST_STATUS" = 200 ] || fail "GET /static/$name: HTTP $LAST_STATUS"
	cmp -s "$f" "$T/b" || fail "GET /static/$name is not the file contestd/web/$name"
	case $name in
	*.html) want='text/html; charset=utf-8' ;;
	*.js) want='text/javascript; charset=utf-8' ;;
	*.css) want='text/css; charset=utf-8' ;;
	*) want='' ;;
	esac
	[ -z "$want" ] || [ "$(header Content-Type)" = "$want" ] ||
		soft_fail "/static/$name: Content-Type $(header Content-Type), expected $want"
	[ "$(header Cache-Control)" = no-cache ] || soft_fail "/static/$name: Cache-Control $(header Cache-Control)"
	[ -n "$(header ETag)" ] || soft_fail "/static/$name has no ETag"
done
note "every file of contestd/web is served as it is, with its type and an ETag"

fetch /
[ "$LAST_STATUS" = 200 ] || fail "GET /: HTTP $LAST_STATUS"
cmp -s "$WEB/index.html" "$T/b" || fail "GET / is not contestd/web/index.html"
etag=$(header ETag)
csp=$(header Content-Security-Policy)
for part in "default-src 'self'" "script-src 'self'" "style-src 'self'" "connect-src 'self'" "frame-ancestors 'none'" "object-src 'none'"; do
	case $csp in *"$part"*) ;; *) soft_fail "GET /: the Content-Security-Policy lacks $part: $csp" ;; esac
done
case $csp in *unsafe-inline* | *unsafe-eval* | *http:* | *https:*) soft_fail "GET /: the CSP allows too much: $csp" ;; esac
[ "$(header X-Frame-Options)" = DENY ] || soft_fail "GET /: X-Frame-Options $(header X-Frame-Options)"
[ "$(header X-Content-Type-Options)" = nosniff ] || soft_fail "GET /: X-Content-Type-Options $(header X-Content-Type-Options)"
[ "$(header Referrer-Policy)" = no-referrer ] || soft_fail "GET /: Referrer-Policy $(header Referrer-Policy)"

# a conditional GET of an unchanged file: 304 without a body
fetch / -H "If-None-Match: $etag"
[ "$LAST_STATUS" = 304 ] || fail "GET / with If-None-Match $etag: HTTP $LAST_STATUS, expected 304"
[ ! -s "$T/b" ] || fail "the 304 has a body: $(head -c 200 "$T/b")"
[ "$(header ETag)" = "$etag" ] || soft_fail "the 304 does not repeat the ETag"
fetch / -H 'If-None-Match: "something-else"'
[ "$LAST_STATUS" = 200 ] || fail "GET / with another ETag: HTTP $LAST_STATUS, expected 200"
other=$(curl -s -D - -o /dev/null "$S/static/app.js" | tr -d '\r' | sed -n 's/^ETag: //Ip')
[ -n "$other" ] && [ "$other" != "$etag" ] || fail "index.html and app.js have the same ETag $etag"
head=$(curl -s -I -o /dev/null -w '%{http_code} %{size_download}' --max-time 10 "$S/")
[ "$head" = "200 0" ] || fail "HEAD /: status and body bytes '$head', expected '200 0'"
fetch /static/sw.js
[ "$(header Service-Worker-Allowed)" = / ] || fail "the service worker may not serve /: Service-Worker-Allowed '$(header Service-Worker-Allowed)'"

expect_error 404 not_found GET /static/nothing.js
expect_error 404 not_found GET /static/../index.html --path-as-is
expect_error 404 not_found GET /static/%2e%2e%2findex.html
expect_error 404 not_found GET /static/
expect_error 405 method_not_allowed POST / -H 'Content-Type: application/json' --data-binary '{}'

# no inline script or style anywhere (the CSP would block it), and the
# pages build their DOM from text, never from HTML strings
grep -nE '<script>|<script [^>]*>[^<]|<style|style=' "$WEB/index.html" && fail "index.html has inline script or style"
grep -nE 'innerHTML|outerHTML|insertAdjacentHTML|document\.write|eval\(|new Function' "$WEB"/*.js &&
	fail "the web terminal builds HTML from strings or evaluates code"
note "headers, ETag/304, HEAD, 404/405, no inline code: ok"

# ---- API answers carry the headers too, and no-store ----
fetch /api/v1/events -H "Authorization: Bearer $ADMIN_TOKEN"
[ "$LAST_STATUS" = 200 ] || fail "GET /api/v1/events: HTTP $LAST_STATUS"
[ "$(header Cache-Control)" = no-store ] || soft_fail "an authenticated answer is not no-store: $(header Cache-Control)"
[ "$(header X-Frame-Options)" = DENY ] && [ "$(header X-Content-Type-Options)" = nosniff ] &&
	[ "$(header Referrer-Policy)" = no-referrer ] || soft_fail "API answers lack the security headers"
case $(header Content-Security-Policy) in *"default-src 'none'"*) ;; *) soft_fail "API answers: CSP $(header Content-Security-Policy)" ;; esac

# ---- the judge's sheet ----
D="$T/csv"
mkdir -p "$D"
printf 'code,name\nCNC,数控铣\n' >"$D/events.csv"
cat >"$D/criteria.csv" <<'CSV'
event,module,module_name,module_weight,code,description,max,method
CNC,A,编程与工艺,40,A1,数控程序编制,10,mean
CNC,A,编程与工艺,40,A2,工艺规范,20,judgement
CNC,B,零件加工,60,B1,尺寸精度,30,measurement
CNC,B,零件加工,60,B2,安全文明生产,5,deduction
CSV
{
	echo 'reg_id,name,organization,event'
	for i in $(seq 1 12); do
		org="学校$((i % 4))"
		[ "$i" = 7 ] && org=市质检院
		echo "R$i,选手甲$i,$org,CNC"
	done
} >"$D/contestants.csv"
cat >"$D/judges.csv" <<'CSV'
code,name,organization,pin,event,role
J01,王建国,市质检院,246810,CNC,judge
J02,孙丽华,,135790,CNC,judge
J09,吴振华,市数控协会,909090,CNC,chief
CSV
for kind in events criteria contestants judges; do
	run_ok "import $kind" jc import "$kind" "$D/$kind.csv"
done
J01=$(judge_token J01 246810)
http GET /api/v1/events/CNC/sheet -H "Authorization: Bearer $J01"
[ "$LAST_STATUS" = 200 ] || fail "J01's sheet before the draw: HTTP $LAST_STATUS $LAST_BODY"
[ "$(printf '%s' "$LAST_BODY" | json_get 'length(contestants)')" = 0 ] || fail "a sheet before the draw lists contestants: $LAST_BODY"
run_ok "draw" jc draw CNC
printf 'reg_id,status,elapsed_s,reason\nR3,absent,,未到场\nR9,withdrawn,,退赛\n' >"$D/checkin.csv"
run_ok "checkin" jc import checkin "$D/checkin.csv"
J02=$(judge_token J02 135790)
J09=$(judge_token J09 909090)

# expected: competed, not of J01's organization (R7), by workstation
api_admin GET /api/v1/events/CNC/contestants
printf '%s' "$LAST_BODY" >"$T/contestants.json"
want=$(python3 -c '
import json, sys
cs = json.load(open(sys.argv[1]))["contestants"]
cs = [c for c in cs if c["status"] == "competed" and c["reg_id"] != "R7"]
print(" ".join("%d:%s" % (c["workstation"], c["code"]) for c in sorted(cs, key=lambda c: c["workstation"])))' "$T/contestants.json")
[ "$(wc -w <<<"$want")" = 9 ] || fail "expected 9 contestants on J01's sheet, computed: $want"
code_of() { python3 -c 'import json,sys; print([c["code"] for c in json.load(open(sys.argv[1]))["contestants"] if c["reg_id"] == sys.argv[2]][0])' "$T/contestants.json" "$1"; }
c1=$(code_of R1) c2=$(code_of R2)

# J01 scores two cells, J02 one more: J01's sheet shows J01's own only
score() {   # score TOKEN KEY CODE CRITERION VALUE
	http POST /api/v1/events/CNC/scores -H "Authorization: Bearer $1" -H 'Content-Type: application/json' \
		-H "Idempotency-Key: $2" --data-binary "{\"contestant\":\"$3\",\"criterion\":\"$4\",\"value\":\"$5\"}"
	[ "$LAST_STATUS" = 201 ] || fail "score $3 $4 $5: HTTP $LAST_STATUS $LAST_BODY"
}
score "$J01" k1 "$c1" A1 7.5
score "$J01" k2 "$c2" A2 3
score "$J02" k3 "$c1" B1 12
http GET /api/v1/events/CNC/sheet -H "Authorization: Bearer $J01"
[ "$LAST_STATUS" = 200 ] || fail "J01's sheet: HTTP $LAST_STATUS $LAST_BODY"
printf '%s' "$LAST_BODY" >"$T/sheet.json"
# names 选手甲N, organizations 学校N and 市质检院, reg_ids "RN"
for s in 选手甲 学校 市质检院; do
	grep -qF -- "$s" "$T/sheet.json" && fail "J01's sheet contains $s (a name or an organization)"
done
grep -qE '"R[0-9]+"' "$T/sheet.json" && fail "J01's sheet contains a registration id"
python3 - "$T/sheet.json" "$want" "$c1" "$c2" <<'PY' || fail "J01's sheet is not as expected: $(head -c 1500 "$T/sheet.json")"
import json, re, sys
sheet = json.load(open(sys.argv[1]))
want, c1, c2 = sys.argv[2].split(), sys.argv[3], sys.argv[4]
bad = []
def check(cond, what):
    if not cond:
        bad.append(what)
got = ["%d:%s" % (c["workstation"], c["code"]) for c in sheet["contestants"]]
check(got == want, "rows %s, expected %s" % (got, want))
check(sheet["event"] == "CNC" and sheet["name"] == "数控铣" and sheet["state"] == "drawn", "event fields")
check(sheet["judge"] == "J01" and sheet["judge_name"] == "王建国", "judge fields")
check(sheet["modules"] == [{"code": "A", "name": "编程与工艺", "max": "30.00"},
                           {"code": "B", "name": "零件加工", "max": "30.00"}], "modules %s" % sheet["modules"])
check([(k["code"], k["module"], k["max"], k["method"]) for k in sheet["criteria"]] ==
      [("A1", "A", "10.00", "mean"), ("A2", "A", "20.00", "judgement"), ("B1", "B", "30.00", "measurement"),
       ("B2", "B", "5.00", "deduction")], "criteria %s" % sheet["criteria"])
vals = {c["code"]: c["values"] for c in sheet["contestants"]}
check(vals[c1] == {"A1": "7.50"}, "J01's values of %s: %s (J02's B1 must not show)" % (c1, vals[c1]))
check(vals[c2] == {"A2": "3.00"}, "J01's values of %s: %s" % (c2, vals[c2]))
check(all(v == {} for k, v in vals.items() if k not in (c1, c2)), "values on other rows")
upd = {c["code"]: c["updated"] for c in sheet["contestants"]}
check(re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", upd[c1] or "") and upd[c2], "updated %s" % upd)
check(all(v is None for k, v in upd.items() if k not in (c1, c2)), "updated on rows without values: %s" % upd)
for b in bad:
    print("sheet: " + b, file=sys.stderr)
sys.exit(1 if bad else 0)
PY
# judge-cli shows the same rows, with workstations
run_ok "judge-cli sheet" env JUDGE_CLI_TOKEN_FILE="$T/token-j01" sh -c "'$JUDGE_CLI' login --judge J01 --pin 246810 >/dev/null && '$JUDGE_CLI' sheet CNC"
rows=$(printf '%s\n' "$RUN_OUT" | awk '$1 ~ /^[0-9]+$/ && $2 != "of" {print $1 ":" $2}' | tr '\n' ' ')
[ "$rows" = "$want " ] || fail "judge-cli sheet rows '$rows', expected '$want ': $RUN_OUT"
printf '%s\n' "$RUN_OUT" | grep -q '2 of 36 values entered' || fail "judge-cli sheet count: $RUN_OUT"

expect_error 403 forbidden GET /api/v1/events/CNC/sheet -H "Authorization: Bearer $J09"
body_matches 'chief judges do not score' "the chief's sheet"
expect_error 404 not_found GET /api/v1/events/NOPE/sheet -H "Authorization: Bearer $J01"
expect_error 403 forbidden GET /api/v1/events/CNC/sheet -H "Authorization: Bearer $ADMIN_TOKEN"
note "the sheet: workstation order, own values and times, modules, no names; judge-cli agrees"
