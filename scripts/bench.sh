#!/usr/bin/env bash
# Run every benchmark of safeguard and print each figure next to its budget, as a Markdown
# table (paste it into BENCHMARKS.md). Exits 1 if a budget is missed or a listed benchmark
# gave no figure; benchmarks that are listed but not written yet are shown, not failed.
#
#   scripts/bench.sh                    # everything, -benchtime 1s, -count 1
#   BENCHTIME=3s COUNT=3 scripts/bench.sh   # steadier figures (the median of COUNT runs)
#   ONLY=store scripts/bench.sh         # rows whose package or name matches a regexp
#
# Adding a benchmark is one line in BUDGETS:
#
#   package | name | metric | budget | what it measures
#
#   name    the benchmark as go test prints it, without the -N suffix (sub-benchmarks as
#           BenchmarkX/sub), or Test.../subtest for a figure a test logs (see metric)
#   metric  a unit go test -bench prints: ns/op (budget may say µs, ms or s), MB/s, B/op,
#           allocs/op, or a b.ReportMetric unit such as p50-ms; or, for a test that logs
#           its figure, log:UNIT:REGEXP (bash ERE) with the figure as its last group
#   budget  "<= 20ms", ">= 100", "< 64" (in the metric's unit), "<= 2x OTHER" (a ratio to
#           another row of the same package and metric), or "-" for a reference figure
set -uo pipefail
cd "$(dirname "$0")/.."

BUDGETS=$(cat <<'EOF'
./store      | BenchmarkAuditedWrite             | ns/op  | <= 2x BenchmarkBareWrite | one committed mutation with its audit entry (issue 2)
./store      | BenchmarkBareWrite                | ns/op  | -                        | plain INSERT + COMMIT, same pragmas (reference)
./controls   | BenchmarkLoadCatalog              | ns/op  | <= 20ms                  | decode and validate the embedded catalog, every start (issue 3)
./controls   | BenchmarkLoadYAMLSources          | ns/op  | -                        | parse the YAML sources (go generate and tests only)
./store      | BenchmarkSaveAnswer/assets=40     | p50-ms | <= 5                     | save one answer with its audit entry, gap answers (risk proposals) included, 40-asset assessment (issues 4, 18)
./store      | BenchmarkSaveAnswer/assets=160    | p50-ms | <= 5                     | the same at 160 assets, 2,000 risks: the write path does not grow with the assessment (issue 18)
./assessment | BenchmarkSummarize                | ns/op  | <= 50ms                  | scores, readiness and risk counts, 40 assets x catalog, 500 risks (issue 4)
./assessment | BenchmarkItemListing              | ns/op  | <= 20ms                  | item listing and applicability (depth, hosting, gates, owners, inheritance), 40 assets x catalog (issue 14)
./store      | BenchmarkSnapshot                 | ns/op  | <= 200ms                 | load the complete 40-asset assessment (issue 4)
./ui/questions | BenchmarkWalkerView             | ns/op  | <= 4ms                   | questionnaire View() on the 40-asset assessment (issue 5)
./ui/risks   | BenchmarkRiskRegisterView         | ns/op  | <= 4ms                   | risk register View(), 500 risks (issue 5)
./ui/risks   | BenchmarkRiskRegisterViewCold     | ns/op  | <= 4ms                   | risk register View() after a reload or resize, every row drawn afresh (issue 5)
./ui/questions | BenchmarkWalkerNextQuestion     | ns/op  | <= 2ms                   | next question: key and view, without the save (issue 5)
./ui         | BenchmarkStartToFirstFrame        | ns/op  | <= 200ms                 | open the workspace to the first frame, catalog already decoded (issue 5)
./ui/dashboard | BenchmarkDashboardView          | ns/op  | -                        | dashboard View(), 40 assets, 500 risks
./ui/dashboard | BenchmarkDashboardSetData       | ns/op  | -                        | dashboard re-layout after a save
./ui/risks   | BenchmarkRiskRegisterSetData      | ns/op  | -                        | risk register re-layout after a save
./ui/setup   | BenchmarkSetupViewAssets1000      | ns/op  | -                        | setup wizard's asset list with 1000 assets
./reports    | BenchmarkExportFindingsCSV/x1     | ns/op  | -                        | findings CSV of the large assessment
./reports    | BenchmarkExportFindingsCSV/x2     | ns/op  | <= 2.3x BenchmarkExportFindingsCSV/x1 | the same with the content doubled (issue 6)
./reports    | BenchmarkExportRisksCSV/x1        | ns/op  | -                        | risk register CSV of the large assessment
./reports    | BenchmarkExportRisksCSV/x2        | ns/op  | <= 2.3x BenchmarkExportRisksCSV/x1 | the same with the content doubled (issue 6)
./reports    | BenchmarkExportOSCAL/x1           | ns/op  | -                        | OSCAL assessment results of the large assessment
./reports    | BenchmarkExportOSCAL/x2           | ns/op  | <= 2.3x BenchmarkExportOSCAL/x1 | the same with the content doubled (issue 6)
./reports/pdf | BenchmarkDemoReport              | ns/op  | <= 1s                    | PDF report of the demo assessment (issue 6)
./reports/pdf | BenchmarkDemoReportAttached      | ns/op  | -                        | the same with the evidence notes attached
./reports/pdf | BenchmarkLargeReport             | ns/op  | <= 5s                    | PDF of 40 assets, whole catalog, 500 risks, 200 evidence items (issue 6)
./reports/pdf | BenchmarkLargeReport             | peak-MB | <= 300                  | peak heap while rendering it (issue 6)
./reports/pdf | BenchmarkLargeReportDouble       | ns/op  | <= 2.3x BenchmarkLargeReport | the same with the content doubled (issue 6)
./reports/pdf | BenchmarkLargeReportDouble       | peak-MB | -                       | peak heap of the doubled report
./store      | BenchmarkEvidenceIngestPlain      | MB/s   | >= 100                   | add a 64 MiB evidence file, plain (issue 7)
./store      | BenchmarkEvidenceIngestEncrypted  | MB/s   | >= 50                    | add a 64 MiB evidence file, AES-256-GCM (issue 7)
./store      | TestVaultStreamsLargeFiles        | log:MiB:[^0-9.]1[0-9. ]*[GM]i?B/plain: .*peak while adding ([0-9.]+) MiB | < 64 | peak resident memory adding a 1 GiB file, plain (issue 7)
./store      | TestVaultStreamsLargeFiles        | log:MiB:[^0-9.]1[0-9. ]*[GM]i?B/encrypted: .*peak while adding ([0-9.]+) MiB | < 64 | the same, encrypted (issue 7)
./store      | TestVaultStreamsLargeFiles        | log:MiB:[^0-9.]1[0-9. ]*[GM]i?B/plain: .*peak while exporting ([0-9.]+) MiB | < 64 | peak resident memory exporting it again, plain
./store      | TestVaultStreamsLargeFiles        | log:MiB:[^0-9.]1[0-9. ]*[GM]i?B/encrypted: .*peak while exporting ([0-9.]+) MiB | < 64 | the same, encrypted
./reports/pdf | BenchmarkIncidentMemo            | ns/op  | <= 300ms                 | breach decision memo PDF of one incident, demo assessment (issue 16)
.            | BenchmarkPacketExport600          | ns/op  | <= 1s                    | questionnaire packet of 600 items: choose, write the protected workbook, record it (issue 17)
.            | BenchmarkPacketImport600          | ns/op  | <= 2s                    | returned packet of 600 answers: read, check, judge, apply in one transaction (issue 17)
./store      | BenchmarkBundleMerge              | ns/op  | <= 2s                    | merge a second assessor's bundle of the large assessment, 200 changes a side, 50 conflicts (issue 17)
./store      | TestBackupLargeWorkspace          | log:MB/s:backup: .*\(([0-9.]+) MB/s\) | >= 100 | backup of a 1 GB workspace, the copy verified (issue 17)
./store      | TestBackupLargeWorkspace          | log:MiB:backup: .*peak ([0-9.]+) MiB | < 64 | peak resident memory of that backup (issue 17)
./store      | TestBackupLargeWorkspace          | log:MB/s:backup-api-copy: .*\(([0-9.]+) MB/s\) | - | the online backup API's copy alone
./store      | TestBackupLargeWorkspace          | log:MB/s:vacuum-into-copy: .*\(([0-9.]+) MB/s\) | - | VACUUM INTO's copy alone (the alternative)
.            | BenchmarkIncidentList             | ns/op  | <= 50ms                  | `safeguard incident list` with 1,000 incidents: open, load, clocks, print (issue 16)
.            | BenchmarkIncidentList             | cpu-ms | -                        | the same, CPU time per list (a busy machine inflates wall time)
./store      | BenchmarkAuditedAnswer            | ns/op  | <= 2x BenchmarkBareWrite | save one answer: applicability, version check, audit entry, last-seen record (issue 12)
./store      | BenchmarkOpenReadOnly1GB          | ns/op  | <= 100ms                 | open a 1 GB workspace read-only, with the last-seen check (issue 12)
./store      | BenchmarkChanged                  | cpu-%-at-1Hz | < 1                | the change check the TUI polls once a second, as a share of one core (issue 12)
./ui/incidents | BenchmarkIncidentsView          | ns/op  | <= 4ms                   | Incidents tab View() with 1,000 incidents, moving down the list (issue 16)
./ui/incidents | BenchmarkIncidentsPageView      | ns/op  | <= 4ms                   | an incident's page View(), each step in turn, 1,000 incidents loaded (issue 16)
./ui/incidents | BenchmarkIncidentsSetData       | ns/op  | -                        | Incidents tab re-layout after a save, 1,000 incidents, every visible row drawn afresh
./store      | BenchmarkHomeCompletion           | ns/op  | <= 50ms                  | home screen list with its DONE column, 80 assessments, from the completion cache (issue 18)
./store      | BenchmarkHomeCompletion           | cold-ms | -                       | the same on a computer that has no cache yet (each assessment analyzed once)
./store      | BenchmarkCompact                  | compact-x | <= 1.5                | `evidence compact` of a workspace with 96 MB of evidence, a third removed, as a ratio to copying the file with fsync (issue 18)
./reports/pdf | BenchmarkLargeReport160          | peak-MB | <= 150                  | peak heap rendering the 160-asset report, about 1,600 pages (issue 18)
./reports/pdf | BenchmarkLargeReport160          | ns/op  | -                        | its time
./ui         | BenchmarkSaveToScreen160          | p50-ms | <= 33                    | answer key to settled screen (saved, refreshed, drawn), 160 assets, 2,000 risks (issue 18)
./ui         | BenchmarkTenQuickAnswers160       | ns/op  | <= 200ms                 | ten answer keys without waiting, until all ten are saved and shown, 160 assets (issue 18)
.            | BenchmarkScale                    | report-x | <= 1.3                 | `safeguard report` of one 10-asset client in the 20-client x 3-year workspace, ratio to the same client alone (issue 18)
.            | BenchmarkScale                    | tui-pdf-x | <= 1.3                | the TUI's PDF output of that client, same ratio
.            | BenchmarkScale                    | tui-findings-csv-x | <= 1.3       | the TUI's findings CSV, same ratio
.            | BenchmarkScale                    | tui-risks-csv-x | <= 1.3          | the TUI's risk register CSV, same ratio
.            | BenchmarkScale                    | tui-json-x | <= 1.3               | the TUI's JSON export, same ratio
.            | BenchmarkScale                    | tui-oscal-x | <= 1.3              | the TUI's OSCAL export, same ratio
.            | BenchmarkScale                    | verify-floor-x | <= 1.3           | full `safeguard verify` of the 20x3 workspace, ratio to reading every row and hashing the chain and evidence once
.            | BenchmarkScale                    | verify-peak-MB | <= 100           | peak resident memory of that verify (the child's VmHWM)
.            | BenchmarkScale                    | report-peak-MB | -                | peak resident memory of the client's `report` in the 20x3 workspace
.            | BenchmarkScale                    | report-big-ms | -                 | that report's time (whole process)
.            | BenchmarkScale                    | verify-ms | -                     | that verify's time (whole process)
EOF
)

BENCHTIME=${BENCHTIME:-1s}
COUNT=${COUNT:-1}
ONLY=${ONLY:-.}
export CGO_ENABLED=0

trim() { local s=$1; s=${s#"${s%%[![:space:]]*}"}; s=${s%"${s##*[![:space:]]}"}; printf '%s' "$s"; }

declare -a PKG NAME METRIC BUDGET WHAT
while IFS='|' read -r p n m b w; do
  [ -z "$(trim "$p")" ] && continue
  p=$(trim "$p"); n=$(trim "$n")
  if ! [[ $p =~ $ONLY || $n =~ $ONLY ]]; then continue; fi
  PKG+=("$p"); NAME+=("$n"); METRIC+=("$(trim "$m")"); BUDGET+=("$(trim "$b")"); WHAT+=("$(trim "$w")")
done <<< "$BUDGETS"

tmp=$(mktemp -d)
trap '[ -n "${KEEP:-}" ] || rm -rf "$tmp"' EXIT

# Benchmarks in the source that the table does not list: say so, so they get a line.
while read -r file fn; do
  pkg="./$(dirname "$file")"
  [ "$pkg" = ./. ] && pkg=. # the root package (main) is "." in BUDGETS
  listed=no
  for i in "${!NAME[@]}"; do
    [ "${PKG[$i]}" = "$pkg" ] && [ "${NAME[$i]%%/*}" = "$fn" ] && listed=yes
  done
  if [ $listed = no ] && [[ $pkg =~ $ONLY || $fn =~ $ONLY ]]; then
    echo "note: $pkg $fn is not in scripts/bench.sh's BUDGETS; add a line for it" >&2
  fi
done < <(grep -rHo --include='*_test.go' '^func Benchmark[A-Za-z0-9_]*' . | sed 's|^\./||; s|:func | |')

# Which rows exist in the source.
exists() { # pkg name
  local top=${2%%/*}
  grep -q "^func $top(" "$1"/*_test.go 2>/dev/null
}

# Run each package's benchmarks (and logging tests) once.
declare -A RAN
for i in "${!NAME[@]}"; do
  p=${PKG[$i]}
  [ -n "${RAN[$p]:-}" ] && continue
  RAN[$p]=1
  benches=() tests=()
  for j in "${!NAME[@]}"; do
    [ "${PKG[$j]}" = "$p" ] || continue
    exists "$p" "${NAME[$j]}" || continue
    top=${NAME[$j]%%/*}
    if [[ $top == Benchmark* ]]; then benches+=("$top"); else tests+=("$top"); fi
  done
  out="$tmp/$(echo "$p" | tr '/.' '__').txt"
  : > "$out"
  if [ ${#benches[@]} -gt 0 ]; then
    re=$(printf '%s\n' "${benches[@]}" | sort -u | paste -sd'|')
    echo ">> go test -run '^\$' -bench '^($re)\$' -benchmem -benchtime $BENCHTIME -count $COUNT $p" >&2
    go test -run '^$' -bench "^($re)\$" -benchmem -benchtime "$BENCHTIME" -count "$COUNT" -timeout 30m "$p" >> "$out" 2>&1 || echo "   (go test failed; see the rows below)" >&2
  fi
  if [ ${#tests[@]} -gt 0 ]; then
    re=$(printf '%s\n' "${tests[@]}" | sort -u | paste -sd'|')
    echo ">> go test -run '^($re)\$' -v -count 1 $p" >&2
    SAFEGUARD_LARGE_TESTS=1 go test -run "^($re)\$" -v -count 1 -timeout 30m "$p" >> "$out" 2>&1 || echo "   (go test failed; see the rows below)" >&2
  fi
done

# figure pkg name metric: the median over COUNT runs, in the metric's unit; empty if none.
figure() {
  local out="$tmp/$(echo "$1" | tr '/.' '__').txt" name=$2 metric=$3
  [ -f "$out" ] || return
  if [[ $metric == log:* ]]; then
    local rest=${metric#log:} re line
    re=${rest#*:}
    while IFS= read -r line; do
      if [[ $line =~ $re ]]; then echo "${BASH_REMATCH[-1]}"; return; fi
    done < "$out"
    return
  fi
  awk -v name="$name" -v unit="$metric" '
    $1 ~ /^Benchmark/ {
      n = $1; sub(/-[0-9]+$/, "", n)
      if (n != name) next
      for (k = 3; k < NF; k += 2) if ($(k+1) == unit) v[++c] = $k
    }
    END {
      if (c == 0) exit
      for (a = 1; a <= c; a++) for (b = a + 1; b <= c; b++) if (v[b] + 0 < v[a] + 0) { t = v[a]; v[a] = v[b]; v[b] = t }
      print v[int((c + 1) / 2)]
    }' "$out"
}

# human value metric: a figure for people.
human() {
  if [ "$2" = ns/op ]; then
    awk -v v="$1" 'BEGIN { if (v >= 1e9) printf "%.2f s", v/1e9; else if (v >= 1e6) printf "%.2f ms", v/1e6; else if (v >= 1e3) printf "%.1f µs", v/1e3; else printf "%.0f ns", v }'
  else
    local unit=${2#log:}; unit=${unit%%:*}
    awk -v v="$1" -v u="$unit" 'BEGIN { printf "%.4g %s", v, u }'
  fi
}

# limit budget metric: the budget's number in the metric's unit (ns for ns/op).
limit() {
  local n=$1
  if [ "$2" = ns/op ]; then
    case $n in
      *ms) awk -v v="${n%ms}" 'BEGIN { print v * 1e6 }' ;;
      *µs|*us) awk -v v="${n%??}" 'BEGIN { print v * 1e3 }' ;;
      *ns) echo "${n%ns}" ;;
      *s) awk -v v="${n%s}" 'BEGIN { print v * 1e9 }' ;;
      *) echo "$n" ;;
    esac
  else
    echo "$n"
  fi
}

missed=0
printf '| benchmark | what it measures | budget | figure | verdict |\n|---|---|---|---|---|\n'
for i in "${!NAME[@]}"; do
  p=${PKG[$i]} n=${NAME[$i]} m=${METRIC[$i]} b=${BUDGET[$i]} w=${WHAT[$i]}
  label="\`${p#./}\` $n"
  [ "${m%%:*}" = log ] || [ "$m" = ns/op ] || label="$label ($m)"
  if ! exists "$p" "$n"; then
    printf '| %s | %s | %s | — | not written yet |\n' "$label" "$w" "$b"
    continue
  fi
  v=$(figure "$p" "$n" "$m")
  if [ -z "$v" ]; then
    printf '| %s | %s | %s | — | **no figure** (failed or skipped; see go test output) |\n' "$label" "$w" "$b"
    missed=1
    continue
  fi
  shown=$(human "$v" "$m")
  verdict=reference
  if [ "$b" != - ]; then
    op=${b%% *} rest=${b#* }
    if [[ $rest == *x\ * ]]; then # ratio to another row
      factor=${rest%%x *} other=${rest#*x }
      ov=$(figure "$p" "$other" "$m")
      if [ -z "$ov" ]; then
        verdict="**no figure for $other**"; missed=1
      else
        ratio=$(awk -v a="$v" -v b="$ov" 'BEGIN { printf "%.2f", a / b }')
        shown="$shown (${ratio}× ${other#Benchmark})"
        lhs=$ratio lim=$factor
      fi
    else
      lhs=$v lim=$(limit "$rest" "$m")
    fi
    if [ "$verdict" = reference ]; then
      if awk -v a="$lhs" -v b="$lim" -v op="$op" 'BEGIN { exit !((op == "<=" && a <= b) || (op == "<" && a < b) || (op == ">=" && a >= b) || (op == ">" && a > b)) }'; then
        verdict=ok
      else
        verdict="**MISSED**"; missed=1
      fi
    fi
  fi
  printf '| %s | %s | %s | %s | %s |\n' "$label" "$w" "$b" "$shown" "$verdict"
done
echo
echo "$(go version | cut -d' ' -f3-), $(nproc 2>/dev/null || echo '?') cores, $(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2- | sed 's/^ *//'), -benchtime $BENCHTIME -count $COUNT"
if [ $missed -ne 0 ]; then
  echo "A budget was missed or a benchmark gave no figure." >&2
  exit 1
fi
