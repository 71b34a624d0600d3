#!/usr/bin/env bash
# The oracle comparison at 20 times the small size: 8 events x 380
# contestants (~3,000) and ~45,000 score rows, through judge-cli alone. Prints
# how long each phase took (information only, nothing is asserted on time).
. "$(dirname "$0")/lib.sh"

setup_server
oracle_contest 8 380 3 20260502
