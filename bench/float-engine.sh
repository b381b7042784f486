#!/usr/bin/env bash
# Benchmarks the float32 engine on the qwen2-0.5b preset (random weights, the exact Qwen2-0.5B
# config: 494M parameters, bf16): load time, prompt and decode tokens/s, peak RSS, once with the
# weights cached in the heap and once streamed from the mapped file. Appends to bench/RESULTS.md.
#
#   bench/float-engine.sh [NEW_TOKENS]        (default 32)
#
# Environment: FORNAX_BENCH_DIR (else BENCH_DIR, else /tmp/fornax-bench: where the preset is written; ~1 GB),
# FORNAX_JAVA_OPTS (JVM options, default -Xmx12g). The machine is shared: the load average at the
# start of each run is recorded next to its figures.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
bench_init float-engine.sh
new_tokens="${1:-32}"
java_opts="${FORNAX_JAVA_OPTS:--Xmx12g}"
model="$(ensure_preset qwen2-0.5b)"

results_section "float engine, qwen2-0.5b preset"
{
  echo "| weights | load s | prompt tok/s | decode tok/s | CPU s (whole run) | peak RSS MiB | load avg at start |"
  echo "|---|---|---|---|---|---|---|"
} >> "$results"
for mode in cached streaming; do
  echo "| $mode | $(generate_cells "$model" "$new_tokens" "$java_opts -Dfornax.float.weights=$mode") |" >> "$results"
done
{
  echo
  echo "Command (per row, with that row's weight mode): \`FORNAX_JAVA_OPTS=\"$java_opts -Dfornax.float.weights=MODE\" ./fornax generate $model --tokens $ENGINE_PROMPT -n $new_tokens --ignore-eos --timings\`; the model from"
  echo "\`./fornax tiny --arch qwen2 --preset qwen2-0.5b --seed 0\`. CPU s is user + system time of the"
  echo "whole run (load included): on a shared machine it is steadier than the wall-clock rates."
} >> "$results"
echo "float-engine.sh: appended to $results" >&2
