#!/usr/bin/env bash
# The public pages over HTTP: /results, /results/EVENT, /v, /v/X and /V/X
# answer the one page, which loads nothing from outside the server and runs
# no inline code (its Content-Security-Policy says so and the files agree);
# the public endpoints are limited per client address (429 with
# Retry-After, then served again), while /healthz, the static files and the
# organizers' API are not.
. "$(dirname "$0")/lib.sh"

WEB="${SOURCE_DIR:-$TESTS_DIR/..}/contestd/web"
# A rate of 1 a second, bursts of 3.
setup_server --public-rate 1

for path in /results /results/WELD /v /v/0000-0000-0000-0000-0 /V/ABC; do
	http GET "$path" -D "$T/headers"
	[ "$LAST_STATUS" = 200 ] || fail "GET $path: HTTP $LAST_STATUS"
	[ "$LAST_BODY" = "$(cat "$WEB/public.html")" ] || fail "GET $path is not public.html"
	grep -qi '^Content-Type: text/html' "$T/headers" || fail "GET $path: $(cat "$T/headers")"
	csp=$(tr -d '\r' <"$T/headers" | sed -n 's/^Content-Security-Policy: //Ip')
	for want in "default-src 'self'" "script-src 'self'" "style-src 'self'" "connect-src 'self'" "frame-ancestors 'none'"; do
		[[ $csp == *"$want"* ]] || fail "GET $path: the policy lacks $want: $csp"
	done
	[[ $csp != *unsafe-inline* && $csp != *unsafe-eval* && $csp != *http* ]] || fail "GET $path allows too much: $csp"
	sleep 1 # within the rate
done
# what the policy promises, the files keep: no inline script or style, no
# address outside the server
for f in public.html public.js public.css ui.js style.css; do
	grep -Eq 'https?://' "$WEB/$f" && fail "$f names an outside address: $(grep -E 'https?://' "$WEB/$f")"
	grep -Eiq ' on[a-z]+=|style=|javascript:' "$WEB/$f" && fail "$f has inline code or style"
done
grep -q '<script>' "$WEB/public.html" && fail "public.html has an inline script"
grep -q '<style' "$WEB/public.html" && fail "public.html has an inline style"

# ---- the rate limit ----
sleep 3.2 # a full bucket
codes=()
for i in $(seq 1 10); do
	http GET /api/v1/public/events -D "$T/h.$i"
	codes+=("$LAST_STATUS")
done
[ "${codes[*]}" = "200 200 200 429 429 429 429 429 429 429" ] || fail "10 requests at once got: ${codes[*]}"
grep -qi '^Retry-After: 1' "$T/h.4" || fail "a 429 without Retry-After: $(cat "$T/h.4")"
http GET /api/v1/public/events
body_matches '"code":"rate_limited"' "the 429 body"
body_matches 'too many requests from this address; try again in 1 s' "the 429 message"
# others go on: health, static files, the organizers' API
expect_status 200 GET /healthz
expect_status 200 GET /static/public.js
api_admin GET /api/v1/events
[ "$LAST_STATUS" = 200 ] || fail "the organizers' API was limited: $LAST_STATUS"
sleep 1.1
expect_status 200 GET /api/v1/public/key
# the pages themselves count too
for i in $(seq 1 8); do http GET /results; done
[ "$LAST_STATUS" = 429 ] || fail "the pages are not limited: $LAST_STATUS"
stop_contestd
[ "$CONTESTD_EXIT" = 0 ] || fail "contestd exited with status $CONTESTD_EXIT on SIGTERM"
note "ok: one page for /results and /v, a strict policy kept by the files, 3 requests a burst then 429 with Retry-After"
