#!/usr/bin/env bash
# The systemd unit in scripts/contestd.service (issue 12 item 16): systemd
# accepts it (`systemd-analyze verify`, with ExecStart pointed at the built
# contestd, every warning counted as a failure), it restarts contestd on
# failure with the hardening docs/OPERATIONS.md describes, and contestd
# accepts the flags of its ExecStart.
. "$(dirname "$0")/lib.sh"

UNIT="$SOURCE_DIR/scripts/contestd.service"
[ -f "$UNIT" ] || fail "$UNIT is missing"
command -v systemd-analyze >/dev/null || fail "systemd-analyze is not installed (scripts/deps.sh installs systemd)"
mkdir -p "$T/unit"
sed "s|^ExecStart=/usr/local/bin/contestd |ExecStart=$CONTESTD |" "$UNIT" >"$T/unit/contestd.service"
grep -q "^ExecStart=$CONTESTD " "$T/unit/contestd.service" || fail "the unit's ExecStart does not start /usr/local/bin/contestd"
rc=0
systemd-analyze verify "$T/unit/contestd.service" >"$T/verify.out" 2>&1 || rc=$?
[ "$rc" = 0 ] && [ ! -s "$T/verify.out" ] || fail "systemd-analyze verify (exit $rc): $(cat "$T/verify.out")"

for want in '^Restart=on-failure$' '^NoNewPrivileges=yes$' '^ProtectSystem=strict$' '^ReadWritePaths=/var/lib/contest$' \
	'^PrivateTmp=yes$' '^ProtectHome=yes$' '^UMask=0077$' '^KillSignal=SIGTERM$' '^CapabilityBoundingSet=$'; do
	grep -Eq "$want" "$UNIT" || fail "the unit lacks /$want/"
done
# the database is where the unit may write
grep -Eq '^ExecStart=.* --db /var/lib/contest/' "$UNIT" || fail "the unit's --db is not under ReadWritePaths /var/lib/contest"
# contestd knows every flag of ExecStart
for flag in $(sed -n 's/^ExecStart=//p' "$UNIT" | grep -o -- '--[a-z-]*'); do
	"$CONTESTD" --help | grep -q -- "  $flag " || fail "contestd --help does not know $flag of the unit's ExecStart"
done
# a misspelt key is caught: the check above can fail
sed 's/^Restart=/Restartt=/' "$T/unit/contestd.service" >"$T/unit/broken.service"
systemd-analyze verify "$T/unit/broken.service" >"$T/broken.out" 2>&1 || true
grep -q "Restartt" "$T/broken.out" || fail "systemd-analyze verify did not report a misspelt key: the check proves nothing"
note "ok: scripts/contestd.service verified by $(systemd-analyze --version | head -n 1)"
