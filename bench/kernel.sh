#!/usr/bin/env bash
# The issue-11 acceptance runs: stories260K compiled for a board with its weights in DRAM, then
# verified through the whole kernel (fornax_kernel driven by the C host driver in Verilator) against
# the int8 golden model. Appends a section to bench/RESULTS.md.
#   bench/kernel.sh [BOARD...]          (default: kv260 u280)
source "$(dirname "$0")/lib.sh"
bench_init kernel
latency=${FORNAX_AXI_LATENCY:-150}   # cycles, AR to first R beat: DDR4/HBM at 250-300 MHz (FIELD-NOTES §7)
boards=("$@")
[ ${#boards[@]} -eq 0 ] && boards=(kv260 u280)
model=models/stories260K/stories260K.bin
prompt="Once upon a time"
want=$(java -jar "$jar" generate "$model" --prompt "$prompt" -n 24 --engine int8 --json | jq -c .tokens)
load0=$(cut -d' ' -f1-3 /proc/loadavg)
results_section "kernel: compile --board, verify --via kernel (stories260K, -n 24, weight-port latency $latency)"
{
  echo "| board | lanes | AXI bits | match | tokens = int8 engine | kernel CYCLES | cycles/token | WEIGHT_BEATS | IO_BEATS | register reads | build s | sim s | component.xml | board-check.py |"
  echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"
} >> "$results"
for b in "${boards[@]}"; do
  d="$bench_dir/kernel-$b"
  java -jar "$jar" compile "$model" -o "$d" --board "$b" --weights dram > "$bench_dir/kernel-$b.compile.txt"
  java -jar "$jar" verify "$d" --via kernel --prompt "$prompt" -n 24 --axi-latency "$latency" --json > "$bench_dir/kernel-$b.json" 2> "$bench_dir/kernel-$b.err" || true
  j="$bench_dir/kernel-$b.json"
  xml="not checked"
  if [ -n "${FORNAX_IPXACT_XSD:-}" ]; then
    xml=$(bench/ipxact-schema.sh "$d" "$FORNAX_IPXACT_XSD" >/dev/null 2>&1 && echo "valid (IEEE 1685-2009)" || echo INVALID)
  fi
  check="not run (python3 missing)"
  if command -v python3 >/dev/null; then
    check=$(python3 bench/board-check.py "$d" --fornax ./fornax 2>&1 | tail -1 | sed 's/^[^:]*: //')
  fi
  same=$([ "$(jq -c .tokens "$j")" = "$want" ] && echo yes || echo NO)
  echo "| $b | $(jq .lanes "$d/manifest.json") | $(jq .axi_data_width "$d/manifest.json") | $(jq .match "$j") | $same |" \
       "$(jq .kernel.cycles "$j") | $(jq '.cycles_per_token | floor' "$j") | $(jq .kernel.weight_beats "$j") |" \
       "$(jq .kernel.io_beats "$j") | $(jq .kernel.register_reads "$j") | $(jq '.build_seconds | floor' "$j") |" \
       "$(jq '.sim_seconds * 10 | floor / 10' "$j") | $xml | $check |" >> "$results"
done
{
  echo
  echo "Commands: \`fornax compile $model -o D --board BOARD --weights dram\`, \`fornax verify D --via kernel --prompt \"$prompt\" -n 24 --axi-latency $latency --json\`; load average at the start $load0."
  echo "Memory model (tb/fornax_axi_model.h, the core harness's): weight-port read latency $latency cycles, 32 outstanding bursts per port, no blackouts, no bandwidth cap, no stalls; m_axi_io read latency 40 (same model), write response latency 40; the driver polls AP_CTRL (each poll is an AXI4-Lite read)."
  echo "Cycles/token: between the ends of consecutive logit rows the kernel wrote (kernel-level, WRITE_LOGITS on)."
} >> "$results"
tail -n $((${#boards[@]} + 6)) "$results"
