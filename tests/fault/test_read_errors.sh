#!/usr/bin/env bash
# A read error is never taken for "no more rows" (issue 12 item 12): with a
# read error injected by tests/fault/faultvfs.c at the N-th read of the
# database (N = 1..60) while an event's results, its details and a judge's
# sheet are read after each change, every answer is either the complete
# one (200, the same as without faults) or a 5xx with a JSON error, never a
# 200 built from part of the event (a partial event scored as complete).
. "$(dirname "$0")/../integration/lib.sh"
. "$(dirname "$0")/load.sh"

use_fault_vfs

JUDGES="J01 J02"
setup_server
fault_contest 12 4 "$JUDGES"
J1=$(judge_token J01 "$(pin_of J01)")
J2=$(judge_token J02 "$(pin_of J02)")
curl_worker J01 "$J1" full
curl_worker J02 "$J2" full
[ "$(acks)" = 96 ] || fail "setting up: $(acks) of 96 scores acknowledged"
code=$(head -n 1 "$T/codes")
# set VALUE: J01's K1 of the first contestant, a change that makes contestd
# load the event again
n_set=0
set_value() {
	n_set=$((n_set + 1))
	expect_status 201 POST /api/v1/events/CNC/scores -H "Authorization: Bearer $J1" -H 'Content-Type: application/json' \
		-H "Idempotency-Key: set-$n_set" --data-binary "{\"contestant\":\"$code\",\"criterion\":\"K1\",\"value\":\"$1\"}"
}
# canon: the JSON on standard input, keys sorted, without the times of
# change ("updated": a sheet row's, which set_value moves)
canon() {
	python3 -c '
import json, sys
def strip(v):
    if isinstance(v, dict):
        return {k: strip(x) for k, x in v.items() if k != "updated"}
    if isinstance(v, list):
        return [strip(x) for x in v]
    return v
print(json.dumps(strip(json.load(sys.stdin)), sort_keys=True))'
}
# views NAME WHAT...: GETs the views WHAT into $T/NAME.WHAT as
# "STATUS canonical-body" lines: an event's results, its details and a
# judge's sheet; the audit log of the organizer's records (set_value's are
# the judge's), the organizer accounts and the list of events
views() {
	local name=$1 what
	shift
	for what in "$@"; do
		case $what in
		results) http GET /api/v1/events/CNC/results -H "Authorization: Bearer $ADMIN_TOKEN" ;;
		event) http GET /api/v1/events/CNC -H "Authorization: Bearer $ADMIN_TOKEN" ;;
		sheet) http GET /api/v1/events/CNC/sheet -H "Authorization: Bearer $J1" ;;
		audit) http GET "/api/v1/audit?actor=organizer:admin" -H "Authorization: Bearer $ADMIN_TOKEN" ;;
		organizers) http GET /api/v1/organizers -H "Authorization: Bearer $ADMIN_TOKEN" ;;
		events) http GET /api/v1/events -H "Authorization: Bearer $ADMIN_TOKEN" ;;
		esac
		printf '%s %s\n' "$LAST_STATUS" "$(printf '%s' "$LAST_BODY" | canon 2>/dev/null || printf 'NOT-JSON %s' "$LAST_BODY")" >"$T/$name.$what"
	done
}
VIEWS="results event sheet audit organizers events"
for v in 3.25 7.50; do
	set_value "$v"
	views "want-$v" $VIEWS
	for what in $VIEWS; do
		[ "$(cut -d' ' -f1 "$T/want-$v.$what")" = 200 ] || fail "GET $what without faults: $(head -c 300 "$T/want-$v.$what")"
	done
done
cmp -s "$T/want-3.25.results" "$T/want-7.50.results" && fail "the two values give the same results: the test could not tell"

errors=0 complete=0
# inject: read errors at reads 1..60 after a change while the views $@ are
# read (each group of views on its own, so that every one is reached)
inject() {
	local n v st what
	for n in $(seq 1 60); do
		v=3.25
		[ $((n % 2)) = 0 ] && v=7.50
		set_value "$v"
		arm any read "$n" 1 ioerr
		views "got-$n" "$@"
		arm off
		for what in "$@"; do
			st=$(cut -d' ' -f1 "$T/got-$n.$what")
			case $st in
			200)
				cmp -s "$T/got-$n.$what" "$T/want-$v.$what" ||
					fail "read error at read $n: GET $what answered 200 with other data than without faults:
got:  $(head -c 400 "$T/got-$n.$what")
want: $(head -c 400 "$T/want-$v.$what")"
				complete=$((complete + 1)) ;;
			5??)
				grep -q '"error"' "$T/got-$n.$what" || fail "read error at read $n: GET $what: $st without a JSON error"
				errors=$((errors + 1)) ;;
			*) fail "read error at read $n: GET $what answered $st: $(head -c 300 "$T/got-$n.$what")" ;;
			esac
		done
	done
}
inject results event sheet
inject_1=$errors
inject audit organizers events
[ $((errors - inject_1)) -ge 3 ] || fail "only $((errors - inject_1)) answers of the audit log, organizers and events met a read error: the test proved little"
injected=$(wc -l <"$FLOG")
[ "$errors" -ge 5 ] || fail "only $errors answers met the $injected read errors injected: the test proved little"
# and everything reads whole again
views after $VIEWS
cmp -s "$T/after.results" "$T/want-7.50.results" || fail "results after the faults differ: $(head -c 300 "$T/after.results")"
http GET /healthz
[ "$LAST_STATUS" = 200 ] || fail "/healthz after the read errors: $LAST_STATUS $LAST_BODY"
note "ok: $injected read errors injected (reads 1..60 after a change, twice): $errors answers 5xx ($((errors - inject_1)) of the audit log, organizers and events) with a JSON error, $complete complete 200s, no partial answer"
