#!/usr/bin/env bash
# Issue 11 items 2, 3 and 6: answers kept in memory stay true. A judge's
# sheet is kept per (event, judge): another judge's score leaves it (and its
# ETag) as it is, the judge's own score is taken in without reading the
# event again, a check-in change rebuilds it; results are encoded once per
# change and answered with 304 to If-None-Match; tokens are looked up in
# memory, yet a logout, a new PIN, a withdrawal or a disabled organizer
# account refuses the token at once. /metrics counts what happened, in the
# Prometheus text format. Expected values are counted by hand.
. "$(dirname "$0")/lib.sh"

setup_server
D="$T/csv"
mkdir -p "$D"
printf 'code,name\nCNC,数控铣\nOTHER,其他\n' >"$D/events.csv"
printf 'event,module,module_name,module_weight,code,description,max,method\nCNC,A,实操,,K1,一,10,mean\nCNC,A,实操,,K2,二,10,mean\n' >"$D/criteria.csv"
printf 'reg_id,name,organization,event\nR1,甲,一中,CNC\nR2,乙,二中,CNC\nR3,丙,三中,CNC\n' >"$D/contestants.csv"
printf 'code,name,organization,pin,event,role\nJ1,裁判一,,111111,CNC,judge\nJ2,裁判二,,222222,CNC,judge\nJ3,裁判三,,333333,CNC,judge\n' >"$D/judges.csv"
for kind in events criteria contestants judges; do run_ok "import $kind" jc import "$kind" "$D/$kind.csv"; done
run_ok "draw" jc draw CNC
read -r R1 C1 < <(anon_codes CNC | awk '$1 == "R1"')
read -r R2 C2 < <(anon_codes CNC | awk '$1 == "R2"')
J1=$(judge_token J1 111111)
J2=$(judge_token J2 222222)
J3=$(judge_token J3 333333)

metric() { # NAME: its value in /metrics
	http GET /metrics
	printf '%s\n' "$LAST_BODY" | awk -v n="contestd_$1" '$1 == n {print $2}'
}
score() { # TOKEN KEY CODE CRITERION VALUE
	expect_status 201 POST /api/v1/events/CNC/scores -H "Authorization: Bearer $1" -H "Idempotency-Key: $2" \
		-H 'Content-Type: application/json' --data-binary "{\"contestant\":\"$3\",\"criterion\":\"$4\",\"value\":\"$5\"}"
}
etag_of() { # the ETag of the last answer's headers in $T/h
	tr -d '\r' <"$T/h" | awk -F': ' 'tolower($1) == "etag" {print $2}'
}
sheet() { # TOKEN [curl args]: GET the sheet, headers to $T/h
	local tok=$1
	shift
	http GET /api/v1/events/CNC/sheet -H "Authorization: Bearer $tok" -D "$T/h" "$@"
}

# ---------------------------------------------------------------- a judge's sheet
sheet "$J1"
[ "$LAST_STATUS" = 200 ] || fail "J1's sheet: HTTP $LAST_STATUS"
E1=$(etag_of)
[ -n "$E1" ] || fail "the sheet has no ETag"
sheet "$J1" -H "If-None-Match: $E1"
[ "$LAST_STATUS" = 304 ] || fail "J1's sheet with its ETag: expected 304, got $LAST_STATUS"
reads=$(metric sheet_reads_total)
# another judge's score does not touch J1's sheet
score "$J2" j2-a "$C1" K1 8
sheet "$J1" -H "If-None-Match: $E1"
[ "$LAST_STATUS" = 304 ] || fail "J2's score changed J1's sheet (HTTP $LAST_STATUS)"
# J1's own score is in the next answer, without reading the event again
score "$J1" j1-a "$C1" K2 6.5
sheet "$J1" -H "If-None-Match: $E1"
[ "$LAST_STATUS" = 200 ] || fail "J1's own score left J1's sheet unchanged (HTTP $LAST_STATUS)"
E2=$(etag_of)
[ "$E2" != "$E1" ] || fail "J1's sheet kept its ETag after J1's score"
got=$(printf '%s' "$LAST_BODY" | python3 -c '
import json, sys
d = json.load(sys.stdin)
print([(c["code"], c["values"]) for c in d["contestants"] if c["values"]])')
[ "$got" = "[('$C1', {'K2': '6.50'})]" ] || fail "J1's sheet after J1's score shows $got"
[ "$(metric sheet_reads_total)" = "$reads" ] || fail "J1's own score made the sheet be read from the database again"
# a change of the event (R2 absent) is seen: R2 leaves the sheet
printf 'reg_id,status\nR2,absent\n' >"$D/checkin.csv"
run_ok "check-in" jc import checkin "$D/checkin.csv"
sheet "$J1" -H "If-None-Match: $E2"
[ "$LAST_STATUS" = 200 ] || fail "a check-in change left J1's sheet unchanged (HTTP $LAST_STATUS)"
printf '%s' "$LAST_BODY" | grep -q "\"$C2\"" && fail "R2 is absent yet still on J1's sheet"
[ "$(metric results_computations_total)" = 0 ] || fail "sheets scored the event: $(metric results_computations_total) computations"

# ---------------------------------------------------------------- results
api_admin GET /api/v1/events/CNC/results
R_ETAG=$(curl -s -D - -o /dev/null "$S/api/v1/events/CNC/results" -H "Authorization: Bearer $ADMIN_TOKEN" |
	tr -d '\r' | awk -F': ' 'tolower($1) == "etag" {print $2}')
[ -n "$R_ETAG" ] || fail "results have no ETag"
expect_status 304 GET /api/v1/events/CNC/results -H "Authorization: Bearer $ADMIN_TOKEN" -H "If-None-Match: $R_ETAG"
hits=$(metric answers_kept_hits_total)
computed=$(metric results_computations_total)
api_admin GET /api/v1/events/CNC/results
[ "$(metric answers_kept_hits_total)" -gt "$hits" ] || fail "an unchanged event's results were encoded again"
[ "$(metric results_computations_total)" = "$computed" ] || fail "an unchanged event was scored again"
score "$J3" j3-a "$C1" K1 9
expect_status 200 GET /api/v1/events/CNC/results -H "Authorization: Bearer $ADMIN_TOKEN" -H "If-None-Match: $R_ETAG"
[ "$(metric results_computations_total)" = "$((computed + 1))" ] || fail "a score did not make the results be computed again"

# ---------------------------------------------------------------- tokens
expect_status 200 GET /api/v1/whoami -H "Authorization: Bearer $J2"   # J2's token now in memory
expect_status 200 POST /api/v1/logout -H "Authorization: Bearer $J2"
expect_error 401 unauthorized GET /api/v1/whoami -H "Authorization: Bearer $J2"
expect_status 200 GET /api/v1/whoami -H "Authorization: Bearer $J3"
# a new PIN comes with J3's assignment to another event
printf 'code,name,organization,pin,event,role\nJ3,裁判三,,393939,OTHER,judge\n' >"$D/pin.csv"
run_ok "a new PIN for J3" jc import judges "$D/pin.csv"
expect_error 401 unauthorized GET /api/v1/whoami -H "Authorization: Bearer $J3"
expect_status 200 GET /api/v1/whoami -H "Authorization: Bearer $J1"
run_ok "withdraw J1" jc judge withdraw J1 CNC --reason 回避
expect_error 401 unauthorized GET /api/v1/whoami -H "Authorization: Bearer $J1"
api_admin POST /api/v1/organizers '{"name":"ops"}'
secret=$(printf '%s' "$LAST_BODY" | json_get secret)
http POST /api/v1/login -H 'Content-Type: application/json' --data-binary "{\"organizer\":\"ops\",\"secret\":\"$secret\"}"
OPS=$(printf '%s' "$LAST_BODY" | json_get token)
expect_status 200 GET /api/v1/whoami -H "Authorization: Bearer $OPS"
api_admin POST /api/v1/organizers/ops/disable
expect_error 401 unauthorized GET /api/v1/whoami -H "Authorization: Bearer $OPS"
[ "$(metric token_cache_hits_total)" -gt 0 ] || fail "no token was found in memory"

# ---------------------------------------------------------------- /metrics
http GET /metrics -D "$T/h"
grep -qi '^content-type: text/plain; version=0.0.4' "$T/h" || fail "/metrics is not Prometheus text: $(cat "$T/h")"
printf '%s\n' "$LAST_BODY" | python3 -c '
import re, sys
text = sys.stdin.read()
samples, types = {}, {}
for line in text.splitlines():
    if line.startswith("# TYPE "):
        _, _, name, kind = line.split(" ", 3)
        types[name] = kind
    elif line and not line.startswith("#"):
        m = re.fullmatch(r"([a-z_]+)(\{.*\})? (\S+)", line)
        assert m, "not a sample line: %r" % line
        samples[m.group(1) + (m.group(2) or "")] = float(m.group(3))
def want(key, value):
    assert samples.get(key) == value, "%s is %s, want %s" % (key, samples.get(key), value)
want("contestd_requests_total{route=\"POST /api/v1/events/{}/scores\",status=\"201\"}", 3)
want("contestd_submission_seconds_count", 3)
want("contestd_commit_batch_size_sum", 3)
assert samples["contestd_fdatasync_seconds_count"] > 0, "no fdatasync counted"
assert samples["contestd_connections_open"] >= 1
for name in ("contestd_submission_seconds", "contestd_commit_seconds", "contestd_fdatasync_seconds", "contestd_commit_batch_size"):
    assert types.get(name) == "histogram", name
    buckets = [v for k, v in samples.items() if k.startswith(name + "_bucket")]
    assert buckets == sorted(buckets), "buckets of %s not cumulative" % name
    assert samples[name + "_bucket{le=\"+Inf\"}"] == samples[name + "_count"]
assert types.get("contestd_commit_queue_length") == "gauge"
' || fail "/metrics does not count what happened: ${LAST_BODY:0:400}"
stop_contestd
[ "$CONTESTD_EXIT" = 0 ] || fail "contestd exited with status $CONTESTD_EXIT on SIGTERM"
note "ok: sheets kept per judge and patched, results kept per change, revocations at once, metrics"
