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
# Environment: BENCH_DIR (where the preset model is written, default /tmp/fornax-bench; ~1 GB).
# The machine is shared: the load average at the start of each run is recorded next to its figures.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
new_tokens="${1:-32}"
bench_dir="${BENCH_DIR:-/tmp/fornax-bench}"
model="$bench_dir/qwen2-0.5b"
results="$here/bench/RESULTS.md"
prompt="151643,9707,11,1879,374,264,1273,315,279,17310,4712"   # 11 ids, as bench/float-engine.sh

if [ ! -x /usr/bin/time ]; then
  echo "golden.sh: /usr/bin/time is missing (Debian package 'time')" >&2
  exit 2
fi
if [ ! -f "$model/config.json" ]; then
  mkdir -p "$bench_dir"
  echo "golden.sh: writing the qwen2-0.5b preset to $model" >&2
  ./fornax tiny --arch qwen2 --preset qwen2-0.5b --seed 0 -o "$model"
fi

machine="$(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/Mem:/{print $2}') GiB RAM, $(java -version 2>&1 | head -1)"
{
  echo
  echo "## int8 golden model vs float engine, qwen2-0.5b preset — $(date -u +%Y-%m-%d) (git $(git rev-parse --short HEAD 2>/dev/null || echo '?'))"
  echo "Machine: $machine."
  echo
  echo "| engine | JVM options | load s | prompt tok/s | decode tok/s | CPU s (whole run) | peak RSS MiB | load avg at start |"
  echo "|---|---|---|---|---|---|---|---|"
} >> "$results"

run() {
  local engine="$1" opts="$2"
  local load_avg log timings rss_kb load_s prompt_tps decode_tps cpu_s
  load_avg="$(cut -d' ' -f1 /proc/loadavg)"
  log="$(mktemp)"
  FORNAX_JAVA_OPTS="$opts" /usr/bin/time -v \
    ./fornax generate "$model" --tokens "$prompt" -n "$new_tokens" --ignore-eos --timings --engine "$engine" \
    >/dev/null 2>"$log"
  timings="$(grep '^timings:' "$log")"
  rss_kb="$(awk -F: '/Maximum resident set size/{gsub(/ /,"",$2); print $2}' "$log")"
  load_s="$(sed -E 's/.*load ([0-9.]+) s.*/\1/' <<<"$timings")"
  prompt_tps="$(sed -E 's/.*prompt [0-9]+ tokens [0-9.]+ s \(([0-9.]+) tokens\/s\).*/\1/' <<<"$timings")"
  decode_tps="$(sed -E 's/.*decode [0-9]+ tokens [0-9.]+ s \(([0-9.]+) tokens\/s\).*/\1/' <<<"$timings")"
  cpu_s="$(awk -F: '/User time \(seconds\)|System time \(seconds\)/{t+=$2} END{printf "%.1f", t}' "$log")"
  echo "| $engine | \`$opts\` | $load_s | $prompt_tps | $decode_tps | $cpu_s | $((rss_kb / 1024)) | $load_avg |" >> "$results"
  echo "$engine ($opts): $timings; peak RSS $((rss_kb / 1024)) MiB (load avg $load_avg)" >&2
  rm -f "$log"
}

run int8 "-Xmx12g"
run int8 "-Xmx700m"
run float "-Xmx12g -Dfornax.float.weights=cached"
{
  echo
  echo "Command (per row, with that row's engine and JVM options): \`FORNAX_JAVA_OPTS=\"-Xmx12g\" ./fornax generate $model --tokens $prompt -n $new_tokens --ignore-eos --timings --engine int8\`;"
  echo "the model from \`./fornax tiny --arch qwen2 --preset qwen2-0.5b --seed 0\`. The int8 load time includes"
  echo "quantising all 494M weights; its peak RSS includes the ~0.94 GiB of memory-mapped bf16 pages the"
  echo "quantiser reads once (the heap holds only the 0.47 GiB of int8 weights and tables)."
} >> "$results"
echo "golden.sh: appended to $results" >&2
