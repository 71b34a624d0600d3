#!/usr/bin/env bash
# The authorization matrix: every endpoint called as every role (anonymous,
# a judge of the event, a judge of another event, a judge recused from the
# contestant, the event's chief judge, another event's chief judge, an
# organizer, a disabled organizer), each status asserted. Requests an
# authorized caller makes are chosen so they are refused for their content
# (409, 400, 404) where a success would change the contest.
. "$(dirname "$0")/lib.sh"

# (the public pages' rate limit off: the matrix calls them 8 times a row)
setup_server --public-rate 0
D="$T/csv"
mkdir -p "$D"
printf 'code,name\nWELD,焊接\nTOUR,导游服务\n' >"$D/events.csv"
cat >"$D/criteria.csv" <<'EOF'
event,module,module_name,module_weight,code,description,max,method
WELD,A,实操,,A1,工位整理,10,mean
TOUR,P,讲解,,P1,讲解内容,10,mean
EOF
cat >"$D/contestants.csv" <<'EOF'
reg_id,name,organization,event
W01,张伟,第一技师学院,WELD
W02,李娜,第二技师学院,WELD
W03,王芳,第三职业学校,WELD
T01,孙丽,旅游职业学校,TOUR
EOF
cat >"$D/judges.csv" <<'EOF'
code,name,organization,pin,event,role
J01,王建国,第二技师学院,246810,WELD,judge
J02,李秀英,市质检院,135790,WELD,judge
H01,陈明,市焊接协会,555555,WELD,chief
J04,刘海波,,998877,TOUR,judge
H02,周海涛,,777777,TOUR,chief
EOF
for kind in events criteria contestants judges; do run_ok "import $kind" jc import "$kind" "$D/$kind.csv"; done
run_ok "draw WELD" jc draw WELD
run_ok "draw TOUR" jc draw TOUR
declare -A CODE
while read -r reg code; do CODE[$reg]=$code; done < <(anon_codes WELD)

# The roles and their tokens ("" for anonymous).
ROLES=(anon judge other_judge recused chief other_chief organizer disabled)
declare -A TOK
TOK[anon]=
TOK[judge]=$(judge_token J02 135790)
TOK[other_judge]=$(judge_token J04 998877)
TOK[recused]=$(judge_token J01 246810)     # J01 shares 第二技师学院 with W02
TOK[chief]=$(judge_token H01 555555)
TOK[other_chief]=$(judge_token H02 777777)
TOK[organizer]=$ADMIN_TOKEN
api_admin POST /api/v1/organizers '{"name":"bob"}'
[ "$LAST_STATUS" = 201 ] || fail "organizer add bob: $LAST_STATUS $LAST_BODY"
bob_secret=$(printf '%s' "$LAST_BODY" | json_get secret)
expect_status 200 POST /api/v1/login -H 'Content-Type: application/json' \
	--data-binary "{\"organizer\":\"bob\",\"secret\":\"$bob_secret\"}"
TOK[disabled]=$(printf '%s' "$LAST_BODY" | json_get token)
expect_status 200 GET /api/v1/whoami -H "Authorization: Bearer ${TOK[disabled]}"
api_admin POST /api/v1/organizers/bob/disable
[ "$LAST_STATUS" = 200 ] || fail "organizer disable bob: $LAST_STATUS $LAST_BODY"
# a disabled account cannot log in again either (with the right secret)
expect_error 401 unauthorized POST /api/v1/login -H 'Content-Type: application/json' \
	--data-binary "{\"organizer\":\"bob\",\"secret\":\"$bob_secret\"}"
body_matches 'organizer account bob is disabled' "login of a disabled organizer"

declare -A BODY=(
	[login_bad]='{}'
	[empty]='{}'
	[event_dup]='{"code":"WELD","name":"又一个"}'
	[crit_weld]='{"event":"WELD","module":"A","code":"A9","description":"x","max":"1","method":"mean"}'
	[contestant_weld]='{"reg_id":"W99","name":"新人","event":"WELD"}'
	[patch_bad]='{"status":"bogus"}'
	[judge_dup]='{"code":"J02","name":"李秀英","organization":"市质检院","event":"WELD","role":"judge"}'
	[checkin_bad]='{"reg_id":"W01","status":"bogus"}'
	[import_bad]='{"event":"WELD","contestant":"W01","criterion":"A1","judge":"J02","value":"x"}'
	[organizer_dup]='{"name":"admin"}'
	[reason]='{"reason":"测试"}'
	[accept_w03]="{\"contestant\":\"${CODE[W03]}\",\"criterion\":\"A1\",\"reason\":\"测试\"}"
	[score_w02]="{\"contestant\":\"${CODE[W02]}\",\"criterion\":\"A1\",\"value\":\"5\"}"
	[rename]='{"name":"改名"}'
	[weight]='{"weight":50}'
	[max]='{"max":"5"}'
	[name_empty]='{"name":""}'
	[appeal]='{"appellant":"张伟","text":"测试"}'
	[resolve]='{"outcome":"rejected","resolution":"测试"}'
)

# METHOD PATH BODY: expected status for anon judge other_judge recused chief other_chief organizer disabled
MATRIX=$(cat <<'EOF'
GET  /healthz                                   -               200 200 200 200 200 200 200 200
POST /api/v1/login                              login_bad       400 400 400 400 400 400 400 400
GET  /api/v1/events                             -               401 200 200 200 200 200 200 401
POST /api/v1/events                             event_dup       401 403 403 403 403 403 409 401
GET  /api/v1/events/WELD                        -               401 200 403 200 200 403 200 401
POST /api/v1/criteria                           crit_weld       401 403 403 403 403 403 409 401
POST /api/v1/contestants                        contestant_weld 401 403 403 403 403 403 409 401
GET  /api/v1/events/WELD/contestants            -               401 403 403 403 403 403 200 401
PATCH /api/v1/contestants/W01                   patch_bad       401 403 403 403 403 403 400 401
POST /api/v1/judges                             judge_dup       401 403 403 403 403 403 409 401
POST /api/v1/events/WELD/draw                   -               401 403 403 403 403 403 409 401
POST /api/v1/checkin                            checkin_bad     401 403 403 403 403 403 400 401
POST /api/v1/events/WELD/lock                   -               401 403 403 403 409 403 409 401
POST /api/v1/events/WELD/scores                 score_w02       401 201 403 404 403 403 403 401
GET  /api/v1/events/WELD/sheet                  -               401 200 403 200 403 403 403 401
POST /api/v1/scores/import                      import_bad      401 403 403 403 403 403 400 401
GET  /api/v1/events/WELD/results                -               401 403 403 403 403 403 200 401
GET  /api/v1/whoami                             -               401 200 200 200 200 200 200 401
GET  /api/v1/organizers                         -               401 403 403 403 403 403 200 401
POST /api/v1/organizers                         organizer_dup   401 403 403 403 403 403 409 401
POST /api/v1/organizers/nobody/disable          -               401 403 403 403 403 403 404 401
POST /api/v1/organizers/nobody/unlock-login     -               401 403 403 403 403 403 404 401
POST /api/v1/judges/J02/unlock-login            -               401 403 403 403 403 403 200 401
POST /api/v1/events/WELD/judges/NOONE/withdraw  reason          401 403 403 403 403 403 404 401
GET  /api/v1/events/WELD/progress               -               401 403 403 403 200 403 200 401
GET  /api/v1/events/WELD/scores                 -               401 403 403 403 200 403 200 401
POST /api/v1/events/WELD/accept                 accept_w03      401 403 403 403 409 403 409 401
GET  /api/v1/events/WELD/judges/stats           -               401 403 403 403 200 403 200 401
POST /api/v1/events/WELD/unlock                 reason          401 403 403 403 403 403 409 401
GET  /api/v1/audit                              -               401 403 403 403 403 403 200 401
POST /api/v1/audit/verify                       empty           401 403 403 403 403 403 200 401
POST /api/v1/audit/checkpoint                   -               401 403 403 403 403 403 201 401
POST /api/v1/backup                             -               401 403 403 403 403 403 200 401
PATCH /api/v1/events/WELD                       rename          401 403 403 403 403 403 409 401
DELETE /api/v1/events/WELD                      -               401 403 403 403 403 403 409 401
PATCH /api/v1/events/WELD/modules/A             weight          401 403 403 403 403 403 409 401
DELETE /api/v1/events/WELD/modules/A            -               401 403 403 403 403 403 409 401
PATCH /api/v1/events/WELD/criteria/A1           max             401 403 403 403 403 403 409 401
DELETE /api/v1/events/WELD/criteria/A1          -               401 403 403 403 403 403 409 401
PUT  /api/v1/criteria                           crit_weld       401 403 403 403 403 403 409 401
PATCH /api/v1/contestants/W01                   name_empty      401 403 403 403 403 403 400 401
DELETE /api/v1/contestants/W01                  -               401 403 403 403 403 403 409 401
PATCH /api/v1/judges/NOONE                      rename          401 403 403 403 403 403 404 401
DELETE /api/v1/judges/J02                       -               401 403 403 403 403 403 409 401
DELETE /api/v1/events/WELD/judges/J02           -               401 403 403 403 403 403 409 401
POST /api/v1/events/WELD/publish                empty           401 403 403 403 403 403 409 401
GET  /api/v1/events/WELD/appeals                -               401 403 403 403 403 403 200 401
POST /api/v1/events/WELD/appeals                appeal          401 403 403 403 403 403 409 401
POST /api/v1/appeals/1/resolve                  resolve         401 403 403 403 403 403 404 401
POST /api/v1/events/WELD/finalize               -               401 403 403 403 403 403 409 401
GET  /api/v1/events/WELD/certificates           -               401 403 403 403 403 403 200 401
POST /api/v1/certificates/0000-0000-0000-0000-0/revoke reason   401 403 403 403 403 403 404 401
GET  /api/v1/public/events                      -               200 200 200 200 200 200 200 200
GET  /api/v1/public/events/WELD/results         -               404 404 404 404 404 404 404 404
GET  /api/v1/public/revocations                 -               200 200 200 200 200 200 200 200
GET  /api/v1/public/key                         -               200 200 200 200 200 200 200 200
GET  /api/v1/verify/0000-0000-0000-0000-0       -               200 200 200 200 200 200 200 200
GET  /api/v1/verify/0000-0000-0000-0000-1       -               400 400 400 400 400 400 400 400
GET  /results                                   -               200 200 200 200 200 200 200 200
GET  /results/WELD                              -               200 200 200 200 200 200 200 200
GET  /v                                         -               200 200 200 200 200 200 200 200
GET  /v/0000-0000-0000-0000-0                   -               200 200 200 200 200 200 200 200
GET  /V/0000-0000-0000-0000-0                   -               200 200 200 200 200 200 200 200
EOF
)

n_calls=0
key=0
while read -r method path body want_list; do
	[ -n "$method" ] || continue
	read -r -a want <<<"$want_list"
	[ ${#want[@]} -eq ${#ROLES[@]} ] || fail "matrix row $method $path has ${#want[@]} statuses, not ${#ROLES[@]}"
	for i in "${!ROLES[@]}"; do
		role=${ROLES[$i]}
		args=()
		[ -n "${TOK[$role]}" ] && args+=(-H "Authorization: Bearer ${TOK[$role]}")
		key=$((key + 1))
		args+=(-H "Idempotency-Key: matrix-$key")
		[ "$body" != - ] && args+=(-H 'Content-Type: application/json' --data-binary "${BODY[$body]}")
		http "$method" "$path" "${args[@]}"
		n_calls=$((n_calls + 1))
		if [ "$LAST_STATUS" != "${want[$i]}" ]; then
			soft_fail "$method $path as $role: expected ${want[$i]}, got $LAST_STATUS: ${LAST_BODY:0:200}"
		elif [ "${LAST_STATUS:0:1}" = 4 ] && [[ $LAST_BODY != '{"error":{"code":"'* ]]; then
			soft_fail "$method $path as $role: $LAST_STATUS without the JSON error body: ${LAST_BODY:0:200}"
		fi
	done
done <<<"$MATRIX"

# Logout ends each session; the token is refused afterwards.
expect_error 401 unauthorized POST /api/v1/logout
for role in judge other_judge recused chief other_chief organizer; do
	expect_status 200 POST /api/v1/logout -H "Authorization: Bearer ${TOK[$role]}"
	expect_error 401 unauthorized GET /api/v1/whoami -H "Authorization: Bearer ${TOK[$role]}"
	n_calls=$((n_calls + 2))
done
expect_error 401 unauthorized POST /api/v1/logout -H "Authorization: Bearer ${TOK[disabled]}"
# SIGTERM ends contestd cleanly (under ASan: no leak, no error)
stop_contestd
[ "$CONTESTD_EXIT" = 0 ] || fail "contestd exited with status $CONTESTD_EXIT on SIGTERM"
[ ${#SOFT_FAILS[@]} -gt 0 ] || note "ok: $n_calls calls, every status as the matrix says"
