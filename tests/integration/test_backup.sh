#!/usr/bin/env bash
# judge-cli backup FILE (issue 12 item 14): a consistent online copy made
# while four judges submit concurrently, mode 0600, never over an existing
# file unless --force; the copy passes integrity_check, holds every score
# acknowledged before the backup began, and restored (docs/OPERATIONS.md)
# contestd starts on it and `judge-cli audit verify` passes.
. "$(dirname "$0")/lib.sh"
. "$TESTS_DIR/fault/load.sh"

JUDGES="J01 J02 J03 J04"
setup_server
fault_contest 30 8 "$JUDGES"
declare -A TOKEN
for j in $JUDGES; do TOKEN[$j]=$(judge_token "$j" "$(pin_of "$j")"); done

# only organizers
expect_error 403 forbidden POST /api/v1/backup -H "Authorization: Bearer ${TOKEN[J01]}"
expect_status 401 POST /api/v1/backup

WORKERS=()
for j in $JUDGES; do curl_worker "$j" "${TOKEN[$j]}" b & WORKERS+=($!); done
for i in $(seq 1 200); do [ "$(acks)" -ge 150 ] && break; sleep 0.05; done
[ "$(acks)" -ge 150 ] || fail "fewer than 150 submissions acknowledged in 10 s"
for j in $JUDGES; do cp "$T/acks.$j" "$T/before.$j"; done
before=$(cat "$T"/before.* | wc -l)
run_ok "backup while judges submit" jc backup "$T/copy.db"
during=$(acks)
printf '%s' "$RUN_OUT" | grep -q "backup written to $T/copy.db" || fail "backup says: $RUN_OUT"
[ "$(stat -c %a "$T/copy.db")" = 600 ] || fail "the backup has mode $(stat -c %a "$T/copy.db"), expected 600"
[ "$(sqlite3 -readonly "$T/copy.db" 'PRAGMA integrity_check;')" = ok ] || fail "the backup fails integrity_check"
sha=$(sha256sum "$T/copy.db" | awk '{print $1}')
printf '%s' "$RUN_OUT" | grep -q "$sha" || fail "the SHA-256 printed is not the file's ($sha): $RUN_OUT"
# every score acknowledged before the backup began is in the copy
sqlite3 -readonly "$T/copy.db" "SELECT j.code, c.anon_code, k.code, s.value_c FROM scores s
	JOIN judges j ON j.id = s.judge_id JOIN contestants c ON c.id = s.contestant_id
	JOIN criteria k ON k.id = s.criterion_id;" | tr '|' ' ' | sort >"$T/in-copy"
for j in $JUDGES; do
	awk -v j="$j" '{ split($3, p, "."); print j, $1, $2, p[1] * 100 + p[2] }' "$T/before.$j"
done | sort >"$T/acked-before"
missing=$(comm -23 "$T/acked-before" "$T/in-copy")
[ -z "$missing" ] || fail "scores acknowledged before the backup are not in it: $(printf '%s\n' "$missing" | head -n 5)"
in_copy=$(wc -l <"$T/in-copy")
note "backup while judges submitted: $before acknowledged before it, $in_copy in the copy, $during by the time it was written"

# never over an existing file, unless --force
expect_fail "exists; give --force" jc backup "$T/copy.db"
[ "$(sha256sum "$T/copy.db" | awk '{print $1}')" = "$sha" ] || fail "a refused backup changed the existing file"
echo "not a database" >"$T/old.db"
chmod 644 "$T/old.db"
run_ok "backup --force" jc backup --force "$T/old.db"
[ "$(stat -c %a "$T/old.db")" = 600 ] || fail "backup --force left mode $(stat -c %a "$T/old.db")"
[ "$(sqlite3 -readonly "$T/old.db" 'PRAGMA integrity_check;')" = ok ] || fail "backup --force wrote no sound copy"
ls "$T"/*.partial-* >/dev/null 2>&1 && fail "backup left a partial file behind"
ls "$DB".backup-* >/dev/null 2>&1 && fail "contestd left its temporary copy beside the database"

wait_workers "${WORKERS[@]}"
ls "$T"/errors.* >/dev/null 2>&1 && fail "submissions refused during the backup: $(cat "$T"/errors.* | head -n 3)"

# restore as docs/OPERATIONS.md says: stop, put the copy in place, remove
# the old -wal and -shm, start; the audit trail verifies
stop_contestd
mv "$DB" "$T/replaced.db"
rm -f "$DB-wal" "$DB-shm"
cp "$T/copy.db" "$DB"
chmod 600 "$DB"
start_contestd
login_admin
run_ok "audit verify on the restored copy" jc audit verify
printf '%s' "$RUN_OUT" | grep -q "audit trail verified" || fail "audit verify says: $RUN_OUT"
restored=$(sqlite3 -readonly "$DB" 'SELECT COUNT(*) FROM scores;')
[ "$restored" = "$in_copy" ] || fail "the restored database has $restored scores, the copy $in_copy"
note "ok: backup under load consistent (integrity ok, $before acknowledged scores in it), 0600, no overwrite without --force, restored copy verified"
