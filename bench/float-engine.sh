#!/usr/bin/env bash
# Benchmarks the float32 engine on the qwen2-0.5b preset (random weights, the exact Qwen2-0.5B
# config: 494M parameters, bf16): load time, prompt and decode tokens/s, peak RSS, once with the
# weights cached in the heap and once streamed from the mapped file. Appends to bench/RESULTS.md.
#
#   bench/float-engine.sh [NEW_TOKENS]        (default 32)
#
# Environment: BENCH_DIR (where the preset model is written, default /tmp/fornax-bench; ~1 GB),
# FORNAX_JAVA_OPTS (JVM options, default -Xmx12g). The machine is shared: the load average at the
# start of each run is recorded next to its figures.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
new_tokens="${1:-32}"
bench_dir="${BENCH_DIR:-/tmp/fornax-bench}"
model="$bench_dir/qwen2-0.5b"
results="$here/bench/RESULTS.md"
prompt="151643,9707,11,1879,374,264,1273,315,279,17310,4712"   # 11 ids
java_opts="${FORNAX_JAVA_OPTS:--Xmx12g}"

if [ ! -x /usr/bin/time ]; then
  echo "float-engine.sh: /usr/bin/time is missing (Debian package 'time')" >&2
  exit 2
fi
if [ ! -f "$model/config.json" ]; then
  mkdir -p "$bench_dir"
  echo "float-engine.sh: writing the qwen2-0.5b preset to $model" >&2
  ./fornax tiny --arch qwen2 --preset qwen2-0.5b --seed 0 -o "$model"
fi

machine="$(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/Mem:/{print $2}') GiB RAM, $(java -version 2>&1 | head -1)"
{
  echo
  echo "## float engine, qwen2-0.5b preset — $(date -u +%Y-%m-%d) (git $(git rev-parse --short HEAD 2>/dev/null || echo '?'))"
  echo "Machine: $machine."
  echo
  echo "| weights | load s | prompt tok/s | decode tok/s | CPU s (whole run) | peak RSS MiB | load avg at start |"
  echo "|---|---|---|---|---|---|---|"
} >> "$results"

for mode in cached streaming; do
  cmd="FORNAX_JAVA_OPTS=\"$java_opts -Dfornax.float.weights=$mode\" ./fornax generate $model --tokens $prompt -n $new_tokens --ignore-eos --timings"
  load_avg="$(cut -d' ' -f1 /proc/loadavg)"
  log="$(mktemp)"
  FORNAX_JAVA_OPTS="$java_opts -Dfornax.float.weights=$mode" /usr/bin/time -v \
    ./fornax generate "$model" --tokens "$prompt" -n "$new_tokens" --ignore-eos --timings >/dev/null 2>"$log"
  timings="$(grep '^timings:' "$log")"
  rss_kb="$(awk -F: '/Maximum resident set size/{gsub(/ /,"",$2); print $2}' "$log")"
  load_s="$(sed -E 's/.*load ([0-9.]+) s.*/\1/' <<<"$timings")"
  prompt_tps="$(sed -E 's/.*prompt [0-9]+ tokens [0-9.]+ s \(([0-9.]+) tokens\/s\).*/\1/' <<<"$timings")"
  decode_tps="$(sed -E 's/.*decode [0-9]+ tokens [0-9.]+ s \(([0-9.]+) tokens\/s\).*/\1/' <<<"$timings")"
  cpu_s="$(awk -F: '/User time \(seconds\)|System time \(seconds\)/{t+=$2} END{printf "%.1f", t}' "$log")"
  echo "| $mode | $load_s | $prompt_tps | $decode_tps | $cpu_s | $((rss_kb / 1024)) | $load_avg |" >> "$results"
  echo "$mode: $timings; peak RSS $((rss_kb / 1024)) MiB (load avg $load_avg)" >&2
  rm -f "$log"
done
{
  echo
  echo "Command (per row, with that row's weight mode): \`$cmd\`; the model from"
  echo "\`./fornax tiny --arch qwen2 --preset qwen2-0.5b --seed 0\`. CPU s is user + system time of the"
  echo "whole run (load included): on a shared machine it is steadier than the wall-clock rates."
} >> "$results"
echo "float-engine.sh: appended to $results" >&2
