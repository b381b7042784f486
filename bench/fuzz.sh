#!/usr/bin/env bash
# Fuzzes every Jazzer target (src/test/java/dev/fornax/fuzz/*FuzzTest.java) for SECONDS each
# (default 600), one target at a time under nice -n 10, and appends a table to bench/RESULTS.md:
# executions, executions/s, coverage (libFuzzer's cov = covered edges, ft = features), corpus
# size, peak RSS, and findings (crash/timeout/oom files written to target/jazzer/).
#
#   bench/fuzz.sh [SECONDS] [TARGET...]      e.g. bench/fuzz.sh 600   or   bench/fuzz.sh 60 GgufFuzzTest
#
# CI runs the same execution for 8 s per target (pom.xml, <fuzz.seconds>). A finding fails the
# target's JUnit run; its input stays in target/jazzer/ (crash-*, timeout-*): move it to the
# target's src/test/resources/dev/fornax/fuzz/<Target>Inputs/<method>/ so that every later build
# replays it as a regression test.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
bench_name=fuzz
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
results="$here/bench/RESULTS.md"
seconds="${1:-600}"
shift || true
if [ $# -gt 0 ]; then
  targets=("$@")
else
  mapfile -t targets < <(ls src/test/java/dev/fornax/fuzz/*FuzzTest.java | xargs -n1 basename | sed 's/\.java$//' | sort)
fi
logs="$here/target/fuzz-logs"
mkdir -p "$logs"
nice -n 10 mvn -B -o -q test-compile >/dev/null

rows=()
for t in "${targets[@]}"; do
  log="$logs/$t.log"
  before=$(ls target/jazzer 2>/dev/null | grep -cE '^(crash|timeout|oom|slow-unit)-' || true)
  start=$(date +%s)
  status=pass
  if ! nice -n 10 mvn -B -o surefire:test@fuzz -Dtest="$t" -Dfuzz.seconds="$seconds" -Dfuzz.skip=false -DfailIfNoTests=false >"$log" 2>&1; then
    status=FAIL
  fi
  wall=$(( $(date +%s) - start ))
  after=$(ls target/jazzer 2>/dev/null | grep -cE '^(crash|timeout|oom|slow-unit)-' || true)
  # libFuzzer's final report: "#N DONE cov: C ft: F corp: K/S ..." and -print_final_stats lines
  done_line=$(grep -aE '^#[0-9]+[[:space:]]+DONE' "$log" | tail -1 || true)
  execs=$(grep -aoE 'stat::number_of_executed_units: +[0-9]+' "$log" | tail -1 | grep -oE '[0-9]+$' || echo "?")
  rate=$(grep -aoE 'stat::average_exec_per_sec: +[0-9]+' "$log" | tail -1 | grep -oE '[0-9]+$' || echo "?")
  rss=$(grep -aoE 'stat::peak_rss_mb: +[0-9]+' "$log" | tail -1 | grep -oE '[0-9]+$' || echo "?")
  cov=$(echo "$done_line" | grep -oE 'cov: [0-9]+' | grep -oE '[0-9]+' || echo "?")
  ft=$(echo "$done_line" | grep -oE 'ft: [0-9]+' | grep -oE '[0-9]+' || echo "?")
  corp=$(echo "$done_line" | grep -oE 'corp: [0-9]+/[0-9]+[a-zA-Z]*' | cut -d' ' -f2 || echo "?")
  findings=$(( after - before ))
  echo "fuzz: $t: $status, $execs executions ($rate/s), cov $cov, ft $ft, corpus $corp, peak RSS $rss MB, $findings new finding file(s), ${wall}s" >&2
  rows+=("| $t | ${seconds} | $execs | $rate | $cov | $ft | $corp | $rss | $findings | $status |")
done

results_section "Fuzzing (Jazzer 0.24.0, libFuzzer), ${seconds} s per target"
{
  echo "Command: \`bench/fuzz.sh $seconds\` (each target: \`mvn surefire:test@fuzz -Dtest=TARGET -Dfuzz.seconds=$seconds\`, nice -n 10,"
  echo "one at a time, -Xmx1g fork, per-input timeout 10 s, per-input allocation bound 256 MiB (FuzzProperty))."
  echo
  echo "| target | s | executions | exec/s | cov (edges) | ft (features) | corpus (inputs/bytes) | peak RSS MB | new findings | result |"
  echo "|---|---|---|---|---|---|---|---|---|---|"
  printf '%s\n' "${rows[@]}"
  echo
} >> "$results"
echo "fuzz: appended to $results; logs in $logs" >&2
