#!/usr/bin/env bash
# The multi-process soak test of the workspace (store/soak_test.go), run for longer than
# the few seconds `go test` gives it: 4 writer processes answering, 2 readers listing and
# verifying, a process reloading as the TUI does, and one of them killed with SIGKILL
# every ~300 ms. It fails on any error a process reports, any committed answer missing
# afterwards, or a chain that does not verify.
#
#   scripts/soak.sh              # 10 minutes
#   DURATION=1h scripts/soak.sh
#   KILL=100ms scripts/soak.sh   # kill more often
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${DURATION:-10m}
KILL=${KILL:-300ms}
export CGO_ENABLED=0
exec go test ./store -run '^TestSoak$' -count 1 -v -timeout 0 -soak.duration="$DURATION" -soak.kill="$KILL"
