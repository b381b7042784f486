#!/usr/bin/env bash
# Benchmarks the int8 golden model (--engine int8: quantise at load, then the integer program of
# docs/NUMERICS.md) against the float engine on the qwen2-0.5b preset (random weights, the exact
# Qwen2-0.5B config: 494M parameters, bf16). Records load time (the int8 load includes the
# quantiser), prompt and decode tokens/s, CPU seconds, peak RSS; one int8 run has a 700 MB heap to
# show that quantising streams (the float32 weights alone would take 2 GB). Appends to
# bench/RESULTS.md.
#
#   bench/golden.sh [NEW_TOKENS]        (default 32)
#
# Environment: FORNAX_BENCH_DIR (else BENCH_DIR, else /tmp/fornax-bench: where the preset is written; ~1 GB).
# The machine is shared: the load average at the start of each run is recorded next to its figures.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
bench_init golden.sh
new_tokens="${1:-32}"
model="$(ensure_preset qwen2-0.5b)"

results_section "int8 golden model vs float engine, qwen2-0.5b preset"
{
  echo "| engine | JVM options | load s | prompt tok/s | decode tok/s | CPU s (whole run) | peak RSS MiB | load avg at start |"
  echo "|---|---|---|---|---|---|---|---|"
} >> "$results"

run() {
  local engine="$1" opts="$2"
  echo "| $engine | \`$opts\` | $(generate_cells "$model" "$new_tokens" "$opts" --engine "$engine") |" >> "$results"
}

run int8 "-Xmx12g"
run int8 "-Xmx700m"
run float "-Xmx12g -Dfornax.float.weights=cached"
{
  echo
  echo "Command (per row, with that row's engine and JVM options): \`FORNAX_JAVA_OPTS=\"-Xmx12g\" ./fornax generate $model --tokens $ENGINE_PROMPT -n $new_tokens --ignore-eos --timings --engine int8\`;"
  echo "the model from \`./fornax tiny --arch qwen2 --preset qwen2-0.5b --seed 0\`. The int8 load time includes"
  echo "quantising all 494M weights; its peak RSS includes the ~0.94 GiB of memory-mapped bf16 pages the"
  echo "quantiser reads once (the heap holds only the 0.47 GiB of int8 weights and tables)."
} >> "$results"
echo "golden.sh: appended to $results" >&2
