#!/usr/bin/env bash
# Issue 2, "Done when": a generated contest of 4 events, ~150 contestants and
# ~2,000 scores run through judge-cli alone reproduces the SPEC section 4
# rules exactly, as computed independently by oracle.py. The oracle first
# checks itself against hand-computed cases.
. "$(dirname "$0")/lib.sh"

run_ok "oracle selfcheck" python3 "$IT_DIR/oracle.py" selfcheck
note "$RUN_OUT"
setup_server
oracle_contest 4 38 3 20260501
