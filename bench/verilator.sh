#!/usr/bin/env bash
# Benchmarks the generated core in Verilator: compile, Verilator build time, DRAM image load time,
# simulation wall time per position, cycles per token against MACs/LANES, and the AXI read port's
# utilisation (beats delivered per cycle) over whole positions and during matrix phases (the cycles
# in which the design's perf_matrix output is high). Appends one section per design to bench/RESULTS.md.
#
#   bench/verilator.sh [qwen2|llama|stories|all]      (default all)
#
#   qwen2:   the qwen2-0.5b preset, --weights dram, $QWEN_CONFIGS (default "64:1 256:4 1024:16":
#            lanes:AXI ports, 512-bit ports); a 4-token prompt, then its prediction fed back (-n 2:
#            5 positions) at full vocabulary (151,936).
#   Memory model for every dram design: $AXI_LATENCY cycles of read latency (default 200), and
#   $AXI_ARGS (default none; e.g. "--axi-blackout 2340,105 --stall 0.05"); $MEM_LATENCY, when set, is
#   passed to compile as --mem-latency (else compile's default). After the per-position table, a dram
#   design gets the roofline table: the mean simulated cycles per position on each board of $BOARDS
#   (default "kv260 zcu104 u250 u280 u55c") against DRAM peak ÷ the unpadded bytes a token needs.
#   llama:   the llama-3.2-1b preset, --weights dram, lanes 64, the same 4 + 1 positions.
#   stories: the bundled stories260K, --weights rom, lanes $STORIES_LANES (default "16 64");
#            "Once upon a time" (ids 1 403 407 261 378) + up to 64 new tokens, stopping at EOS.
#
# The simulator is built and run through the design's own Makefile/binary (what `fornax verify`
# runs), timed separately. VERIFY=1 additionally runs `./fornax verify --json` on each design and
# records whether every logit matched the golden model (slower: it quantises and runs the golden
# model too). Environment: FORNAX_BENCH_DIR (else BENCH_DIR, else /tmp/fornax-bench).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
which_runs="${1:-all}"
case "$which_runs" in
  qwen2|llama|stories|all) ;;
  *) echo "usage: bench/verilator.sh [qwen2|llama|stories|all]" >&2; exit 2 ;;
esac
bench_init verilator.sh
qwen_configs="${QWEN_CONFIGS:-64:1 256:4 1024:16}"
axi_latency="${AXI_LATENCY:-200}"
read -r -a axi_args <<<"${AXI_ARGS:-}"
stories_lanes="${STORIES_LANES:-16 64}"
mem_latency="${MEM_LATENCY:-}"
boards="${BOARDS:-kv260 zcu104 u250 u280 u55c}"
command -v verilator >/dev/null || { echo "verilator.sh: verilator is missing (apt-get install -y verilator g++ make)" >&2; exit 2; }

# bench_design NAME MODEL WEIGHTS LANES TOKENS N EOS [PORTS]    (EOS: end-of-sequence ids, or "" to ignore EOS)
bench_design() {
  local name="$1" model="$2" weights="$3" lanes="$4" tokens="$5" n="$6" eos="$7" ports="${8:-1}"
  local stop=(--ignore-eos) verify_stop=(--ignore-eos)
  if [ -n "$eos" ]; then stop=(--eos "$eos"); verify_stop=(); fi
  local dir="$bench_dir/designs/$name" log t0 compile_s build_s
  rm -rf "$dir" "$dir.tmp"
  mkdir -p "$(dirname "$dir")"
  local load_avg; load_avg="$(cut -d' ' -f1 /proc/loadavg)"

  echo "verilator.sh: $name: compile" >&2
  log="$(mktemp)"
  local port_args=()
  [ "$weights" = dram ] && port_args=(--axi-ports "$ports")
  [ "$weights" = dram ] && [ -n "$mem_latency" ] && port_args+=(--mem-latency "$mem_latency")
  /usr/bin/time -v ./fornax compile "$model" -o "$dir" --weights "$weights" --lanes "$lanes" "${port_args[@]}" >/dev/null 2>"$log" \
    || { grep -v '^\s' "$log" >&2; rm -f "$log"; return 1; }
  compile_s="$(time_wall_s "$log")"
  if [ ! -f "$dir/Makefile" ] || [ ! -d "$dir/tb" ]; then
    echo "verilator.sh: $name: fornax compile wrote no Makefile and tb/ (the simulation harness is not wired into compile yet)" >&2
    rm -f "$log"
    return 1
  fi

  echo "verilator.sh: $name: Verilator build" >&2
  /usr/bin/time -v make -C "$dir" obj_dir/Vfornax_dut >/dev/null 2>"$log" \
    || { tail -20 "$log" >&2; rm -f "$log"; return 1; }
  build_s="$(time_wall_s "$log")"
  rm -f "$log"

  local args=(--tokens "$tokens" -n "$n" --out results.bin "${stop[@]}")
  local memory_args=()
  [ "$weights" = dram ] && memory_args=(--axi-latency "$axi_latency" "${axi_args[@]}")
  args+=("${memory_args[@]}")
  echo "verilator.sh: $name: simulate ${args[*]}" >&2
  local stamps="$dir/sim-stderr.log"
  t0="$(date +%s.%N)"
  if ! (cd "$dir" && timestamped_stderr "$stamps" ./obj_dir/Vfornax_dut "${args[@]}"); then
    echo "verilator.sh: $name: simulation failed:" >&2
    tail -5 "$stamps" >&2
    return 1
  fi
  # Load time as the harness reports it (dram mode); wall per position from the arrival of its
  # progress line (position 0 counted from the load line, or from the start in rom mode).
  # (one line per port's image: summed)
  local load_s; load_s="$(sed -nE 's/.*loaded DRAM image .* in ([0-9.]+) s$/\1/p' "$stamps" | awk '{s += $1; n++} END {if (n) printf "%.2f", s}')"
  local walls
  walls="$(awk -v t0="$t0" '
    / loaded DRAM image / {t0 = $1}
    / fornax-sim: seq [0-9]+ pos / {printf "%s%.2f", sep, $1 - t0; sep = " "; t0 = $1}' "$stamps")"
  local n_pos first_wall last_wall mean_wall
  n_pos="$(wc -w <<<"$walls")"
  first_wall="${walls%% *}"
  last_wall="${walls##* }"
  mean_wall="$(tr ' ' '\n' <<<"$walls" | awk '{s += $1} END {if (NR) printf "%.2f", s / NR}')"
  local done_line; done_line="$(grep -m1 'fornax-sim: done' "$stamps" | cut -d' ' -f2-)"
  local mcps; mcps="$(sed -nE 's/.*\(([0-9.]+)M cycles\/s\).*/\1/p' <<<"$done_line")"

  local verify_note=""
  if [ "${VERIFY:-0}" = 1 ]; then
    echo "verilator.sh: $name: fornax verify" >&2
    local vjson verr; verr="$(mktemp)"
    vjson="$(./fornax verify "$dir" --model "$model" --tokens "$tokens" -n "$n" "${verify_stop[@]}" "${memory_args[@]}" --json 2>"$verr")" || true
    if [ -z "$vjson" ] || ! verify_note="$(jq -er '"`fornax verify --json`: match \(.match), \(.positions_compared) positions compared, cycles/token \(.cycles_per_token) (ideal \(.ideal_cycles_per_token))" + (if has("axi_matrix_utilisation") then ", AXI utilisation in matrix phases \(.axi_matrix_utilisation)" else "" end) + ", sim \(.sim_seconds) s, build \(.build_seconds) s"' <<<"$vjson" 2>/dev/null)"; then
      verify_note="\`fornax verify\` gave no JSON: $(tail -1 "$verr")"
    fi
    rm -f "$verr"
  fi

  results_section "Verilator, $name"
  {
    echo "| compile s | Verilator build s | image load s | positions | sim wall s: position 0 | mean per position | last position | M cycles/s |"
    echo "|---|---|---|---|---|---|---|---|"
    printf '| %s | %s | %s | %s | %s | %s | %s | %s |\n' "$compile_s" "$build_s" "${load_s:-n/a (rom)}" \
      "$n_pos" "$first_wall" "$mean_wall" "$last_wall" "${mcps:-?}"
    echo
    java -cp "$jar" dev.fornax.rtl.perf.SimFigures "$model" "$dir/results.bin" --lanes "$lanes" --axi-ports "$ports" \
      --axi-width "$( [ "$weights" = dram ] && jq -r '.axi_data_width' "$dir/manifest.json" || echo 0)"
    if [ "$weights" = dram ]; then
      local mean_cycles
      mean_cycles="$(awk '/ fornax-sim: seq [0-9]+ pos / {s += $(NF - 1); n++} END {if (n) printf "%.0f", s / n}' "$stamps")"
      echo
      echo "Memory model: read latency ${axi_latency} cycles per port${axi_args[*]:+, ${axi_args[*]}}; compile --mem-latency ${mem_latency:-default}."
      echo "Projected on the boards from the mean simulated cycles per position ($mean_cycles), $ports × $(jq -r '.axi_data_width' "$dir/manifest.json")-bit ports,"
      echo "lanes $lanes (\`PerformanceReport --roofline\`; docs/PERFORMANCE.md: tok/s = min(clock ÷ cycles, min(DRAM peak, fabric ports) ÷"
      echo "fetched bytes); roofline = DRAM peak ÷ unpadded bytes; an upper bound, as it overlaps vector phases with streaming):"
      echo
      java -cp "$jar" dev.fornax.rtl.perf.PerformanceReport "$model" --lanes "$lanes" --weights dram \
        --axi-width "$(jq -r '.axi_data_width' "$dir/manifest.json")" --axi-ports "$ports" --position 2 \
        --cycles "$mean_cycles" --cycles-source simulated --boards "${boards// /,}" --roofline
      echo
      echo "AXI-bound cycles: the weight bytes fetched per token ÷ the port's bytes per beat (one beat per"
      echo "cycle), the floor for a one-port core whatever its lanes. AXI beats ÷ cycles is over the whole"
      echo "position, vector phases included. Matrix-phase cycles: the cycles in which the design's"
      echo "\`perf_matrix\` output was high (the matrix engine streaming a weight matrix, from its start to"
      echo "its last weight beat); AXI utilisation in matrix phases: the beats delivered in those cycles ÷"
      echo "those cycles (the port's capacity: one beat per cycle)."
    fi
    [ -n "$verify_note" ] && { echo; echo "$verify_note"; }
    echo
    echo "Commands: \`./fornax compile $model -o DIR --weights $weights --lanes $lanes${port_args[*]:+ ${port_args[*]}}\`, \`make -C DIR obj_dir/Vfornax_dut\`,"
    echo "\`(cd DIR && ./obj_dir/Vfornax_dut ${args[*]})\`; load average $load_avg at the start. Harness: $done_line."
  } >> "$results"
  echo "verilator.sh: $name: build ${build_s}s, load ${load_s:-n/a} s, wall per position $walls" >&2
}

if [ "$which_runs" = all ] || [ "$which_runs" = qwen2 ]; then
  require_free "$bench_dir" 10
  qwen="$(ensure_preset qwen2-0.5b)"
  for cfg in $qwen_configs; do
    lanes="${cfg%%:*}" ports="${cfg##*:}"
    bench_design "qwen2-0.5b-dram-L$lanes-P$ports" "$qwen" dram "$lanes" 151643,9707,11,1879 2 "" "$ports"
  done
fi
if [ "$which_runs" = all ] || [ "$which_runs" = llama ]; then
  require_free "$bench_dir" 10
  llama="$(ensure_preset llama-3.2-1b)"
  bench_design "llama-3.2-1b-dram-L64" "$llama" dram 64 128000,9906,11,1917 2 ""
fi
if [ "$which_runs" = all ] || [ "$which_runs" = stories ]; then
  for lanes in $stories_lanes; do
    bench_design "stories260K-rom-L$lanes" "$here/models/stories260K/stories260K.bin" rom "$lanes" \
      1,403,407,261,378 64 2
  done
fi
echo "verilator.sh: appended to $results" >&2
