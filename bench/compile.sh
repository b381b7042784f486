#!/usr/bin/env bash
# Benchmarks `fornax compile --weights dram` on a tiny preset (random weights, the real config):
# wall time and peak RSS of the compile, against the raw disk-write time of the INT8 DRAM image's
# size measured in the same run (dd from /dev/zero, conv=fsync). Appends to bench/RESULTS.md.
#
#   bench/compile.sh PRESET [LANES]     PRESET: qwen2-0.5b, llama-3.2-1b, phi-3-mini, gemma-2b; LANES default 64
#
# Environment: FORNAX_BENCH_DIR (else BENCH_DIR, else /tmp/fornax-bench) holds the preset (written
# once with `fornax tiny --seed 0`) and the compile output, which is deleted afterwards unless
# KEEP_OUTPUT=1. FORNAX_JAVA_OPTS as for ./fornax.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
if [ $# -lt 1 ]; then
  echo "usage: bench/compile.sh PRESET [LANES]" >&2
  exit 2
fi
bench_init compile.sh
preset="$1"
lanes="${2:-64}"
model="$(ensure_preset "$preset")"
out="$bench_dir/compiled/$preset-dram-L$lanes"
rm -rf "$out" "$out.tmp"
mkdir -p "$(dirname "$out")"

input_bytes="$(du -sb "$model" | cut -f1)"
# Read the input once before timing, so every run starts from the page cache (as right after
# `fornax tiny` wrote it) and the figure measures the compiler, not whether the disk cache was cold.
cat "$model"/* > /dev/null
load_avg="$(cut -d' ' -f1 /proc/loadavg)"
cmd=(./fornax compile "$model" -o "$out" --weights dram --lanes "$lanes")
log="$(mktemp)"
echo "compile.sh: ${cmd[*]}" >&2
if ! /usr/bin/time -v "${cmd[@]}" >"$log.out" 2>"$log"; then
  echo "compile.sh: compile failed:" >&2
  grep -v '^\s' "$log" | tail -5 >&2
  rm -f "$log" "$log.out"
  exit 1
fi
cat "$log.out" >&2
wall="$(time_wall_s "$log")"
rss="$(time_rss_mib "$log")"
cpu="$(time_cpu_s "$log")"
rm -f "$log" "$log.out"

manifest="$out/manifest.json"
image="$out/$(jq -r '.dram_image' "$manifest")"
image_bytes="$(stat -c %s "$image")"
out_bytes="$(du -sb "$out" | cut -f1)"
dd_s="$(dd_write_s "$bench_dir" "$image_bytes")"
ratio="$(awk -v c="$wall" -v d="$dd_s" 'BEGIN{printf "%.2f", c / d}')"
dd_rate="$(awk -v b="$image_bytes" -v d="$dd_s" 'BEGIN{printf "%.0f", b / d / 1e6}')"
predicted="$(jq -r '.performance.predicted_cycles_at_pos0 // empty' "$manifest")"

results_section "compile, $preset preset (--weights dram, lanes $lanes)"
{
  echo "| input (bf16) | compile wall s | CPU s (user+sys) | peak RSS MiB | DRAM image bytes | output bytes | dd write s (same size, fsync) | dd MB/s | compile ÷ dd |"
  echo "|---|---|---|---|---|---|---|---|---|"
  printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' "$input_bytes" "$wall" "$cpu" "$rss" "$image_bytes" \
    "$out_bytes" "$dd_s" "$dd_rate" "$ratio"
  echo
  echo "Command: \`${cmd[*]}\` (load average $load_avg at its start), the model from"
  echo "\`./fornax tiny --arch $(preset_arch "$preset") --preset $preset --seed 0\` (read once before timing: in the page cache); then"
  echo "\`dd if=/dev/zero bs=1M count=$(( (image_bytes + 1048575) / 1048576 )) conv=fsync\` in $bench_dir."
  if [ -n "$predicted" ]; then
    echo
    echo "Performance model with the schedule's predicted cycles at position 0 ($predicted):"
    echo
    java -cp "$jar" dev.fornax.rtl.perf.PerformanceReport "$model" --lanes "$lanes" --weights dram \
      --context "$(jq -r '.context' "$manifest")" --axi-width "$(jq -r '.axi_data_width' "$manifest")" \
      --cycles "$predicted" --markdown
  fi
} >> "$results"
echo "compile.sh: $preset: compile ${wall}s (CPU ${cpu}s), peak RSS ${rss} MiB, image $image_bytes bytes; dd ${dd_s}s; ratio $ratio" >&2
if [ "${KEEP_OUTPUT:-0}" != 1 ]; then
  rm -rf "$out"
fi
echo "compile.sh: appended to $results" >&2
