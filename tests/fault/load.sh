# Shared part of the fault tests (sourced after tests/integration/lib.sh, not
# run by ctest): a contest of one event for judges to score, workers that
# submit concurrently and record every acknowledged score, and the check
# that every acknowledged score is stored.

# pin_of J: a judge's six-digit PIN: J01 -> 800001.
pin_of() { printf '%06d\n' "$((800000 + 10#${1#J}))"; }

# use_fault_vfs: contestd from here on runs with the fault-injecting VFS
# (tests/fault/faultvfs.c, $FAULT_VFS) preloaded, driven by the control
# file $CTL (off until armed); each injected fault is a line of $FLOG,
# counts go to $FSTATS. ASan's runtime then is not first in the list of
# libraries, which it is told to accept.
use_fault_vfs() {
	: "${FAULT_VFS:?FAULT_VFS must name the fault-injecting VFS library (tests/fault/faultvfs.c)}"
	[ -f "$FAULT_VFS" ] || fail "the fault VFS library $FAULT_VFS is missing"
	PLAIN_CONTESTD=$CONTESTD
	CTL="$T/fault.ctl" FLOG="$T/faults" FSTATS="$T/fault.stats"
	: >"$FLOG"
	echo off >"$CTL"
	cat >"$T/contestd-faulty" <<EOS
#!/bin/sh
ASAN_OPTIONS="\${ASAN_OPTIONS:+\$ASAN_OPTIONS:}verify_asan_link_order=0" \
LD_PRELOAD="$FAULT_VFS" FAULT_CTL="$CTL" FAULT_LOG="$FLOG" FAULT_STATS="$FSTATS" exec "$PLAIN_CONTESTD" "\$@"
EOS
	chmod +x "$T/contestd-faulty"
	CONTESTD="$T/contestd-faulty"
}

# arm TARGET OP N COUNT ERR: a new control file, renamed into place
arm() { echo "$*" >"$CTL.new"; mv "$CTL.new" "$CTL"; }

# fault_contest CONTESTANTS CRITERIA "J01 J02...": imports event CNC with
# its criteria, contestants and judges, draws, and writes the anonymous
# codes to $T/codes and each judge's work list (work_lists 0).
fault_contest() {
	local n_contestants=$1 n_criteria=$2 judges=$3 D="$T/csv" j k i
	mkdir -p "$D"
	printf 'code,name\nCNC,数控铣\n' >"$D/events.csv"
	{
		echo 'event,module,module_name,module_weight,code,description,max,method'
		for k in $(seq 1 "$n_criteria"); do echo "CNC,A,实操,,K$k,评分项$k,10,mean"; done
	} >"$D/criteria.csv"
	{
		echo 'reg_id,name,organization,event'
		for i in $(seq 1 "$n_contestants"); do echo "R$i,选手$i,学校$((i % 5)),CNC"; done
	} >"$D/contestants.csv"
	{
		echo 'code,name,organization,pin,event,role'
		for j in $judges; do echo "$j,裁判$j,,$(pin_of "$j"),CNC,judge"; done
	} >"$D/judges.csv"
	for kind in events criteria contestants judges; do
		run_ok "import $kind" jc import "$kind" "$D/$kind.csv"
	done
	run_ok "draw" jc draw CNC
	anon_codes CNC | awk '{print $2}' >"$T/codes"
	[ "$(wc -l <"$T/codes")" = "$n_contestants" ] || fail "expected $n_contestants anonymous codes"
	N_CRITERIA=$n_criteria
	work_lists 0 "$judges"
}

# work_lists SALT "J01...": each judge's work list ("code criterion value",
# values from a hash of the salt, so that every run of a test sends the
# same and each phase of it other values) in $T/work.J, also added to
# $T/sent (every value ever sent); empties $T/acks.J.
work_lists() {
	local salt=$1 judges=$2 j code k
	for j in $judges; do
		while read -r code; do
			for k in $(seq 1 "$N_CRITERIA"); do echo "$code K$k"; done
		done <"$T/codes" | python3 -c '
import sys, zlib
j, salt = sys.argv[1], sys.argv[2]
for line in sys.stdin:
    code, k = line.split()
    h = zlib.crc32(f"{salt} {j} {code} {k}".encode()) % 1001
    print(code, k, "%d.%02d" % (h // 100, h % 100))' "$j" "$salt" >"$T/work.$j"
		awk -v j="$j" '{ split($3, p, "."); print j, $1, $2, p[1] * 100 + p[2] }' "$T/work.$j" >>"$T/sent"
		: >"$T/acks.$j"
	done
	sort -u -o "$T/sent" "$T/sent"
}

# curl_worker J TOKEN TAG: submits J's work list with curl (Idempotency-Key
# TAG-J-N), records "code criterion value" in $T/acks.J on 2xx. A 503 is
# retried with the same key (as the terminals do) up to RETRY_503 times
# (default 0: given up and recorded in $T/refused.J); other statuses go to
# $T/errors.J. Stops after 3 failed connections in a row.
curl_worker() {
	local j=$1 tok=$2 tag=$3 n=0 fails=0 code crit val st try
	while read -r code crit val; do
		n=$((n + 1))
		try=0
		while :; do
			st=$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 -X POST "$S/api/v1/events/CNC/scores" \
				-H "Authorization: Bearer $tok" -H 'Content-Type: application/json' \
				-H "Idempotency-Key: $tag-$j-$n" \
				--data-binary "{\"contestant\":\"$code\",\"criterion\":\"$crit\",\"value\":\"$val\"}") || st=000
			[ "$st" = 503 ] && [ "$try" -lt "${RETRY_503:-0}" ] || break
			try=$((try + 1))
			sleep 0.02
		done
		case $st in
		2??) echo "$code $crit $val" >>"$T/acks.$j"; fails=0 ;;
		000) fails=$((fails + 1)); [ $fails -ge 3 ] && break ;;
		503) echo "$code $crit $val" >>"$T/refused.$j" ;;
		*) echo "$st $code $crit $val" >>"$T/errors.$j" ;;
		esac
	done <"$T/work.$j"
}

# acks: how many submissions have been acknowledged so far.
acks() { cat "$T"/acks.* | wc -l; }

# wait_workers PID...: the workers stop on their own (connection refused or
# their list done); bounded wait of 60 s.
wait_workers() {
	local i p alive=0
	for i in $(seq 1 600); do
		alive=0
		for p in "$@"; do kill -0 "$p" 2>/dev/null && alive=1; done
		[ $alive -eq 0 ] && break
		sleep 0.1
	done
	[ $alive -eq 0 ] || fail "workers still running 60 s after they were expected to stop"
	wait "$@" 2>/dev/null || true
}

# check_stored "J01 J02...": after a phase (with contestd stopped), the database
# passes integrity_check, has no judge's score twice, and holds every
# acknowledged score with its value (acknowledged ⊆ stored); stored values
# that were never acknowledged must be ones that were sent (in any phase).
# Adds the number of acknowledged scores checked to CHECKED.
check_stored() {
	local judges=$1 j
	[ "$(sqlite3 -readonly "$DB" 'PRAGMA integrity_check;')" = ok ] || fail "database integrity check failed"
	local dups
	dups=$(sqlite3 -readonly "$DB" "SELECT judge_id, contestant_id, criterion_id, COUNT(*) FROM scores
		GROUP BY 1, 2, 3 HAVING COUNT(*) > 1;")
	[ -z "$dups" ] || fail "a judge's score stored twice: $dups"
	sqlite3 -readonly "$DB" "SELECT j.code, c.anon_code, k.code, s.value_c FROM scores s
		JOIN judges j ON j.id = s.judge_id JOIN contestants c ON c.id = s.contestant_id
		JOIN criteria k ON k.id = s.criterion_id;" | tr '|' ' ' | sort >"$T/stored"
	for j in $judges; do
		awk -v j="$j" '{ split($3, p, "."); print j, $1, $2, p[1] * 100 + p[2] }' "$T/acks.$j"
	done | sort >"$T/acked"
	local missing
	missing=$(comm -23 "$T/acked" "$T/stored")
	[ -z "$missing" ] || fail "acknowledged scores missing ($(printf '%s\n' "$missing" | wc -l) of $(wc -l <"$T/acked")): $(printf '%s\n' "$missing" | head -n 10)"
	local extra
	extra=$(comm -23 <(comm -13 "$T/acked" "$T/stored") "$T/sent")
	[ -z "$extra" ] || fail "stored values that were never sent: $(printf '%s\n' "$extra" | head -n 5)"
	CHECKED=$((${CHECKED:-0} + $(wc -l <"$T/acked")))
}
