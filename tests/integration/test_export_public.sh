#!/usr/bin/env bash
# judge-cli export-public: the published results (every version, as the API
# served them), one verification record per certificate, the signed
# revocation list and the public key, and the page, as static files; served
# by nginx with docs/nginx-public.conf after contestd has stopped; the
# certificates verify offline from the exported key and revocation list.
. "$(dirname "$0")/lib.sh"

NGINX=${NGINX:-/usr/sbin/nginx}
[ -x "$NGINX" ] || fail "nginx is missing (Debian package nginx-light; scripts/deps.sh)"
command -v zbarimg >/dev/null || fail "zbarimg is missing (Debian package zbar-tools; scripts/deps.sh)"
setup_server --public-rate 0
D="$T/csv"
mkdir -p "$D"
printf 'code,name,award_ratios\nCNC,数控铣,40/30/30\nWELD,焊接,\n' >"$D/events.csv"
cat >"$D/criteria.csv" <<'EOF'
event,module,module_name,module_weight,code,description,max,method
CNC,A,实操,,A1,零件加工,100,mean
WELD,A,实操,,A1,焊缝,100,mean
EOF
cat >"$D/contestants.csv" <<'EOF'
reg_id,name,organization,event,id_number
C01,欧阳晓明,北京市第一职业技术学院,CNC,110101199001011234
C02,李娜,第二技师学院,CNC,
C03,王芳,第三职业学校,CNC,
W01,刘洋,第四职业学校,WELD,
EOF
cat >"$D/judges.csv" <<'EOF'
code,name,organization,pin,event,role
J01,王建国,市质检院,246810,CNC,judge
J02,孙丽华,市鉴定中心,135790,WELD,judge
EOF
printf 'event,contestant,criterion,judge,value\nCNC,C01,A1,J01,95\nCNC,C02,A1,J01,90\nCNC,C03,A1,J01,80\nWELD,W01,A1,J02,60\n' >"$D/scores.csv"
for kind in events criteria contestants judges; do run_ok "import $kind" jc import "$kind" "$D/$kind.csv"; done
for e in CNC WELD; do run_ok "draw $e" jc draw "$e"; done
run_ok "scores" jc import scores "$D/scores.csv"
for e in CNC WELD; do run_ok "lock $e" jc lock "$e"; run_ok "publish $e" jc publish "$e"; done
# CNC: a correction (version 2), then final
run_ok "unlock CNC" jc unlock CNC --reason 复核
printf 'event,contestant,criterion,judge,value\nCNC,C03,A1,J01,85\n' >"$D/fix.csv"
run_ok "fix" jc import scores "$D/fix.csv"
run_ok "lock CNC" jc lock CNC
run_ok "publish CNC v2" jc publish CNC
run_ok "finalize CNC" jc finalize CNC
run_ok "certificates" jc certificates CNC --out "$T/certs"
ids=$(sed 1d "$T/certs/awards.csv" | awk -F, '{print $7}')
[ "$(wc -w <<<"$ids")" = 3 ] || fail "3 certificates expected: $ids"
revoked_id=$(sed -n 4p "$T/certs/awards.csv" | awk -F, '{print $7}')
run_ok "revoke" jc revoke "$revoked_id" --reason 撤销测试
expect_status 200 GET "/api/v1/public/events/CNC/results?version=1"
V1=$LAST_BODY

SITE="$T/site"
run_ok "export-public" jc export-public "$SITE"
grep -q '2 events (3 published versions), 3 certificate records' <<<"$RUN_OUT" || fail "export-public: $RUN_OUT"
for f in public.html static/public.js static/public.css static/style.css static/ui.js data/events.json \
	data/events/CNC/v1.json data/events/CNC/v2.json data/events/CNC/latest.json data/events/WELD/v1.json \
	data/revocations.json data/key.json; do
	[ -s "$SITE/$f" ] || fail "the export lacks $f"
done
[ "$(cat "$SITE/data/events/CNC/v1.json")" = "$V1" ] || fail "the exported version 1 is not what the API served"
cmp -s "$SITE/data/events/CNC/v2.json" "$SITE/data/events/CNC/latest.json" || fail "latest.json is not version 2"
grep -q 'data-source="static"' "$SITE/public.html" && grep -q '<base href="/">' "$SITE/public.html" ||
	fail "the exported page does not read the static files: $(head -5 "$SITE/public.html")"
[ "$(find "$SITE/data/certificates" -name '*.json' | wc -l)" = 3 ] || fail "3 certificate records expected"
for id in $ids; do
	rec="$SITE/data/certificates/$id.json"
	[ "$(json_get id "$rec")" = "$id" ] || fail "$rec: $(cat "$rec")"
	grep -q 'revoked' "$rec" && fail "$rec carries revocation (the signed list does): $(cat "$rec")"
	grep -q '110101199001011234' "$rec" && fail "$rec carries an id number"
done
# a copy to be served under a path
run_ok "export-public under a path" jc export-public "$T/site2" --base /contest2026
grep -q '<base href="/contest2026/">' "$T/site2/public.html" || fail "--base: $(head -8 "$T/site2/public.html")"
expect_fail "--base must be a path starting with '/'" jc export-public "$T/site3" --base contest2026
expect_fail "has characters a page's base cannot take" jc export-public "$T/site3" --base '/a"><x'

stop_contestd # from here on, only the files

# ---- nginx serves them with the documented configuration ----
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
N="$T/nginx"
mkdir -p "$N/tmp"
sed -e "s|listen 80;|listen 127.0.0.1:$port;|" -e "s|root /srv/contest-public;|root $SITE;|" \
	"${SOURCE_DIR:-$TESTS_DIR/..}/docs/nginx-public.conf" >"$N/site.conf"
cat >"$N/nginx.conf" <<EOF
# (as root, nginx's workers would change to nobody, who cannot read the
# private temporary directory; as anyone else the line is ignored)
user $(id -un) $(id -gn);
worker_processes 1;
daemon off;
pid $N/nginx.pid;
error_log $N/error.log;
events { worker_connections 64; }
http {
    access_log off;
    client_body_temp_path $N/tmp/body;
    proxy_temp_path $N/tmp/proxy;
    fastcgi_temp_path $N/tmp/fastcgi;
    uwsgi_temp_path $N/tmp/uwsgi;
    scgi_temp_path $N/tmp/scgi;
    types { text/html html; text/css css; text/javascript js; application/json json; image/png png; }
    default_type application/octet-stream;
    include $N/site.conf;
}
EOF
"$NGINX" -p "$N" -c "$N/nginx.conf" -e "$N/error.log" 2>>"$N/error.log" &
NGINX_PID=$!
for i in $(seq 1 50); do
	curl -s -o /dev/null --max-time 2 "http://127.0.0.1:$port/results" && break
	kill -0 "$NGINX_PID" 2>/dev/null || fail "nginx did not start: $(cat "$N/error.log")"
	sleep 0.1
done
S="http://127.0.0.1:$port"
first=$(sed -n 2p "$T/certs/awards.csv" | awk -F, '{print $7}')
url=$(timeout 30 zbarimg -q --raw "$T/certs/$first.qr.png" 2>/dev/null)
for path in /results /results/CNC "/results/CNC?version=1" /v "/V/${url#*/V/}" "/v/$first"; do
	http GET "$path" -D "$T/h"
	[ "$LAST_STATUS" = 200 ] || fail "nginx: GET $path: $LAST_STATUS"
	[ "$LAST_BODY" = "$(cat "$SITE/public.html")" ] || fail "nginx: GET $path is not the page"
	grep -qi "^Content-Security-Policy: default-src 'self'; script-src 'self'" "$T/h" || fail "nginx: no policy on $path"
done
expect_status 200 GET /data/events.json
[ "$(printf '%s' "$LAST_BODY" | json_get events.0.code)" = CNC ] || fail "nginx: events.json: $LAST_BODY"
expect_status 200 GET "/data/certificates/$first.json"
[ "$(printf '%s' "$LAST_BODY" | json_get payload)" = "${url#*/V/}" ] || fail "the record's payload is not the QR code's"
expect_status 200 GET /static/public.js
http GET /public.html
[ "$LAST_STATUS" = 404 ] || fail "nginx serves public.html at its own name: $LAST_STATUS"

# ---- verification from the exported key and revocation list alone ----
run_ok "verify from the export" jc verify "$url" --key "$SITE/data/key.json" --revocations "$SITE/data/revocations.json"
grep -q "^genuine: certificate $first" <<<"$RUN_OUT" || fail "verify from the export: $RUN_OUT"
rurl=$(timeout 30 zbarimg -q --raw "$T/certs/$revoked_id.qr.png" 2>/dev/null)
rc=0
jc verify "$rurl" --key "$SITE/data/key.json" --revocations "$SITE/data/revocations.json" >"$T/v.out" 2>&1 || rc=$?
[ $rc = 1 ] && grep -q "^revoked: certificate $revoked_id" "$T/v.out" || fail "the revoked one from the export: $(cat "$T/v.out")"
kill "$NGINX_PID"
wait "$NGINX_PID" 2>/dev/null || true
note "ok: 2 events, 3 versions, 3 certificate records exported; nginx serves the page and the data; offline verification from the export"
