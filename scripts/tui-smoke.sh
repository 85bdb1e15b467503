#!/usr/bin/env bash
# Drives the TUI in tmux through the main flow on a fresh demo workspace and fails on any
# error line, panic or missing screen. Usage: scripts/tui-smoke.sh [WIDTHxHEIGHT]
set -euo pipefail
cd "$(dirname "$0")/.."
command -v tmux >/dev/null || { echo "tui-smoke: tmux is not installed (apt-get install tmux)"; exit 1; }

size=${1:-80x24}
w=${size%x*}; h=${size#*x}
work=$(mktemp -d)
session="sg-smoke-$$"
trap 'tmux kill-session -t "$session" 2>/dev/null || true; rm -rf "$work"' EXIT

CGO_ENABLED=0 go build -o "$work/safeguard" .
db="$work/ws.db"
"$work/safeguard" --db "$db" demo >/dev/null

tmux new-session -d -s "$session" -x "$w" -y "$h" "NO_COLOR=1 $work/safeguard --db $db 2>$work/stderr"
screen() { tmux capture-pane -p -t "$session"; }
keys() { tmux send-keys -t "$session" "$@"; sleep 0.4; }
expect() {
  local want=$1 out
  for _ in $(seq 1 25); do
    out=$(screen)
    if grep -qF -- "$want" <<<"$out"; then return 0; fi
    sleep 0.2
  done
  echo "tui-smoke: expected \"$want\" on screen:"; screen; exit 1
}
no_errors() {
  if screen | grep -qE '^Error:|panic|goroutine '; then
    echo "tui-smoke: an error is on screen:"; screen; exit 1
  fi
}

expect "Riverbend Family"
keys Enter
expect "Dashboard"
# Search from the dashboard: / opens the question search in any tab; enter goes to the
# question in Questions. The question is an addressable one the demo leaves unanswered.
addr=308a4iib-acc-01
keys "/"; expect "Find a question"
tmux send-keys -t "$session" "$addr"; sleep 0.3
expect "question matches"
keys Enter; expect "$addr"
# An addressable answer in one key: implemented records "implemented as specified".
keys i; expect "as specified"; no_errors
keys 1
for tab in 1 2 3 4 5 6; do
  keys "$tab"; no_errors
done
# Questions: jump to the next unanswered item and answer it.
keys 2; expect "Questions"
keys "]"; keys i; expect "Saved"; no_errors
# Risks: open the first risk's details and close them.
keys 3; keys Enter; no_errors; keys Escape
# Report: write the findings CSV into the work folder.
keys 5; keys c; expect "Save as"
keys C-u; tmux send-keys -t "$session" "$work/findings.csv"; sleep 0.3
keys Enter; keys Enter; keys Enter
expect "SHA-256"; no_errors
[ -s "$work/findings.csv" ] || { echo "tui-smoke: the findings CSV was not written"; exit 1; }
# Leave the assessment, check the audit trail, quit.
for _ in 1 2 3 4; do keys Escape; done
expect "Assessments"
keys q
sleep 0.5
if tmux has-session -t "$session" 2>/dev/null; then
  echo "tui-smoke: q did not quit"; screen; exit 1
fi
if [ -s "$work/stderr" ]; then
  echo "tui-smoke: the program wrote to stderr:"; cat "$work/stderr"; exit 1
fi
"$work/safeguard" --db "$db" verify >/dev/null || { echo "tui-smoke: verify failed after the session"; exit 1; }
# The addressable answer is stored with its decision.
id=$("$work/safeguard" --db "$db" assessments --json | grep -o '"id": *"[^"]*"' | head -1 | cut -d'"' -f4)
"$work/safeguard" --db "$db" export "$id" --format json --out "$work/doc.json" >/dev/null
grep -A6 "\"question_id\": \"$addr\"" "$work/doc.json" | grep -q '"decision": "as-specified"' ||
  { echo "tui-smoke: $addr was not stored as implemented as specified"; exit 1; }

# The setup wizard on a fresh workspace: a new assessment opens in the guided setup; add a
# vendor and an asset, skip the other steps, and land on the questions.
db2="$work/new.db"
tmux new-session -d -s "$session" -x "$w" -y "$h" "NO_COLOR=1 $work/safeguard --db $db2 2>$work/stderr"
expect "No assessments yet"
keys n; expect "Organization"
tmux send-keys -t "$session" "Cedar Clinic"; keys Enter
tmux send-keys -t "$session" "2026 risk analysis"; keys Enter
expect "Guided setup, step 1 of 6"
keys Right; expect "step 2 of 6"
keys a; expect "The company as named in the contract"
tmux send-keys -t "$session" "Northgate Managed IT"; keys Enter
tmux send-keys -t "$session" "Remote IT support"; keys Enter
keys Enter; expect "attestation or certificate"; keys n
expect "Saved the vendor Northgate Managed IT"; no_errors
keys Right; expect "step 3 of 6"
keys a; expect "What people in the practice call it"
tmux send-keys -t "$session" "Front-office file server"; keys Enter
for _ in $(seq 1 12); do keys Enter; done
expect "Saved the asset Front-office file server"; no_errors
keys Right; keys Right; keys Right; expect "step 6 of 6"
keys Right; expect "Next, answer the questions"; no_errors
keys q
sleep 0.5
if [ -s "$work/stderr" ]; then
  echo "tui-smoke: the program wrote to stderr:"; cat "$work/stderr"; exit 1
fi
"$work/safeguard" --db "$db2" verify >/dev/null || { echo "tui-smoke: verify failed after the setup wizard"; exit 1; }
echo "tui-smoke: OK at ${w}x${h}"
