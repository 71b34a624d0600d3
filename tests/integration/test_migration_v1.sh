#!/usr/bin/env bash
# A contest database made by contestd at schema version 1 (tests/fixtures:
# the demo contest drawn, scored, CNC locked, a judge's revision) migrates
# at start-up: the first start's admin secret becomes organizer account
# admin, its tokens and audit trail carry over, audit verify passes, the
# results are unchanged, and the chief's workflow continues on it.
. "$(dirname "$0")/lib.sh"

FIX="${SOURCE_DIR:-$TESTS_DIR/..}/tests/fixtures"
[ -s "$FIX/v1-contest.sql" ] || fail "fixture $FIX/v1-contest.sql is missing"
sqlite3 "$DB" <"$FIX/v1-contest.sql" || fail "cannot restore the fixture"
[ "$(sqlite3 "$DB" 'PRAGMA user_version')" = 1 ] || fail "the fixture is not at schema version 1"
records_v1=$(sqlite3 "$DB" 'SELECT count(*) FROM audit')
install -m 600 "$FIX/v1-contest.admin-secret" "$DB.admin-secret"

start_contestd
# the latest schema version: one per migration in schema/
latest=$(find "${SOURCE_DIR:-$TESTS_DIR/..}/schema" -name '[0-9]*.sql' | wc -l)
http GET /healthz
[ "$(printf '%s' "$LAST_BODY" | json_get schema_version)" = "$latest" ] || fail "after migration /healthz says: $LAST_BODY"
[ "$(sqlite3 "$DB" 'PRAGMA user_version')" = "$latest" ] || fail "the database was not migrated to version $latest"
login_admin
run_ok "whoami" jc whoami
grep -q '^organizer admin' <<<"$RUN_OUT" || fail "the old admin secret does not log in as organizer admin: $RUN_OUT"
run_ok "organizer list" jc organizer list
grep -q 'admin *active *.* system' <<<"$RUN_OUT" || fail "organizer list after migration: $RUN_OUT"

run_ok "audit verify of the migrated database" jc audit verify
# lib.sh starts contestd with its own --contest-name and --public-url, which
# this start records as changes of the contest (audited).
settings=$(sqlite3 "$DB" "SELECT count(*) FROM audit WHERE seq > $records_v1 AND action LIKE 'contest.%'")
[ "$settings" = 2 ] || fail "expected the new contest name and public URL audited at start-up, got $settings records"
grep -q "audit trail verified: $((records_v1 + settings + 2)) records" <<<"$RUN_OUT" ||
	fail "expected the $records_v1 records of version 1, $settings settings and 2 logins: $RUN_OUT"

# CNC's results are the demo's (computed by hand in demo/README.md).
run_ok "results CNC" jc results CNC --format csv
printf '%s\n' "$RUN_OUT" >"$T/CNC.csv"
python3 - "$SOURCE_DIR/demo/expected-results.csv" "$T/CNC.csv" <<'PY' || fail "CNC results changed by the migration: $RUN_OUT"
import csv, sys
want = [r for r in csv.DictReader(open(sys.argv[1], encoding="utf-8")) if r["event"] == "CNC"]
got = list(csv.DictReader(open(sys.argv[2], encoding="utf-8-sig")))
assert [(r["reg_id"], r["total"], r["rank"], r["award"]) for r in got] == \
       [(r["reg_id"], r["total"], r["rank"], r["award"]) for r in want], (got, want)
PY

# The chief's workflow on the migrated contest: CARE's chief sees progress,
# CNC is unlocked with a reason and locked again, the trail still verifies.
JUDGE_CLI_TOKEN_FILE="$T/token-J08" run_ok "login J08 (chief of CARE)" jc login --judge J08 --pin 808080
JUDGE_CLI_TOKEN_FILE="$T/token-J08" run_ok "progress CARE" jc progress CARE
grep -q '5 of 5 competed contestants complete' <<<"$RUN_OUT" || fail "progress CARE: $RUN_OUT"
run_ok "unlock CNC" jc unlock CNC --reason 迁移后复核
run_ok "lock CNC" jc lock CNC
run_ok "audit verify after unlock and lock" jc audit verify
run_ok "audit log" jc audit log --event CNC --format csv
grep -q ',organizer:admin,organizer,unlock,CNC,locked,drawn,迁移后复核' <<<"$RUN_OUT" || fail "audit log of the unlock: $RUN_OUT"
grep -q ',admin,organizer,lock,CNC,drawn,locked,' <<<"$RUN_OUT" || fail "the version-1 lock record (actor admin): $RUN_OUT"
# SIGTERM ends contestd cleanly (under ASan: no leak, no error)
stop_contestd
[ "$CONTESTD_EXIT" = 0 ] || fail "contestd exited with status $CONTESTD_EXIT on SIGTERM"
note "ok: version 1 -> $latest, $records_v1 records of version 1 verified, results unchanged"
